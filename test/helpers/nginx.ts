/**
 * Debian's nginx running the shipped site configuration (deploy/nginx/concord.conf) in front
 * of Concord processes, as an unprivileged child process in a temporary prefix: the file is
 * rendered with only its ports and paths changed (every replacement must match, so the test
 * breaks when the shipped file drifts), a self-signed certificate is made with openssl, and
 * a minimal nginx.conf stands in for Debian's /etc/nginx/nginx.conf, which includes sites
 * inside its http {} block.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const NGINX_PATH = process.env.NGINX_PATH || '/usr/sbin/nginx';
const SITE_CONFIG = fileURLToPath(new URL('../../deploy/nginx/concord.conf', import.meta.url));
const START_TIMEOUT_MS = 10_000;
const run = promisify(execFile);

/**
 * The nginx executable, or null when it is missing. On CI a missing nginx fails the run (.ci/run
 * installs it); locally the deployment test is skipped, loudly.
 */
export function findNginx(): string | null {
  if (existsSync(NGINX_PATH)) return NGINX_PATH;
  const problem = `nginx was not found at ${NGINX_PATH}. Install it (apt-get install -y nginx) or set NGINX_PATH.`;
  if (process.env.CI === 'true') throw new Error(problem);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING THE NGINX DEPLOYMENT TEST: ${problem}\n${'!'.repeat(78)}\n`);
  return null;
}

/** A port free on both 127.0.0.1 and ::1 (the shipped file listens on IPv4 and IPv6). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '::', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Replaces every occurrence of `from`, which must occur: the shipped file is the one tested. */
function substitute(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx/concord.conf no longer contains "${from}": update test/helpers/nginx.ts`);
  return text.split(from).join(to);
}

export interface SiteRendering {
  httpsPort: number;
  httpPort: number;
  /** Ports of the Concord processes, in place of the shipped 3001 and 3002. */
  upstreamPorts: [number, number];
  dir: string;
}

/** The shipped site file with the test's ports, certificate and log paths. */
export async function renderSite({ httpsPort, httpPort, upstreamPorts, dir }: SiteRendering): Promise<string> {
  let site = await readFile(SITE_CONFIG, 'utf8');
  site = substitute(site, 'listen 443 ', `listen 127.0.0.1:${httpsPort} `);
  site = substitute(site, 'listen [::]:443 ', `listen [::1]:${httpsPort} `);
  site = substitute(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`);
  site = substitute(site, 'listen [::]:80;', `listen [::1]:${httpPort};`);
  site = substitute(site, '127.0.0.1:3001 ', `127.0.0.1:${upstreamPorts[0]} `);
  site = substitute(site, '127.0.0.1:3002 ', `127.0.0.1:${upstreamPorts[1]} `);
  site = substitute(site, '/etc/ssl/concord/', `${dir}/tls/`);
  return substitute(site, '/var/log/nginx/', `${dir}/logs/`);
}

/** Debian's nginx.conf reduced to what an unprivileged instance in `dir` needs. */
function mainConfig(dir: string): string {
  const temp = (name: string) => `${name}_temp_path ${dir}/temp/${name};`;
  return [
    // As root (CI) the workers drop to Debian's web user, as Debian's own nginx.conf says.
    process.getuid?.() === 0 ? 'user www-data;' : '',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/logs/error.log warn;`,
    'worker_processes 1;',
    'events { worker_connections 512; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
    `  include ${dir}/sites-enabled/*;`,
    '}',
    '',
  ].join('\n');
}

export interface Nginx {
  /** The https origin the browser opens. */
  url: string;
  /** The site's access log (deploy's `concord` format: each line names its upstream). */
  accessLog(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts nginx with the shipped site in front of the processes listening on `upstreamPorts`. */
export async function startNginx(executable: string, upstreamPorts: [number, number]): Promise<Nginx> {
  const dir = await mkdtemp(path.join(tmpdir(), 'concord-nginx-'));
  // Run as root (CI), nginx's workers become `nobody`: they must reach the temp directories.
  await chmod(dir, 0o755);
  for (const sub of ['tls', 'logs', 'temp', 'sites-enabled']) await mkdir(path.join(dir, sub));
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', `${dir}/tls/privkey.pem`, '-out', `${dir}/tls/fullchain.pem`,
  ]);
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  await writeFile(path.join(dir, 'sites-enabled/concord'), await renderSite({ httpsPort, httpPort, upstreamPorts, dir }));
  await writeFile(path.join(dir, 'nginx.conf'), mainConfig(dir));

  let output = '';
  const child: ChildProcess = spawn(executable, ['-c', `${dir}/nginx.conf`, '-p', dir, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  // Ready once the TLS port accepts connections (nginx binds before it forks its worker).
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${output}`);
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(httpsPort, '127.0.0.1', () => resolve(true)).once('error', () => resolve(false));
      socket.once('connect', () => socket.destroy());
    });
    if (accepted) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen within ${START_TIMEOUT_MS} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url: `https://127.0.0.1:${httpsPort}`,
    accessLog: () => readFile(`${dir}/logs/concord.access.log`, 'utf8').catch(() => ''),
    async stop() {
      process.off('exit', killOnExit);
      // SIGTERM: nginx's fast stop (a graceful SIGQUIT would wait for the open WebSockets).
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
