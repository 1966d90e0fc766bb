/**
 * Starting and stopping real Concord server processes for the benches: as `pnpm start`
 * runs them (the production bundle, `apps/server/dist/main.mjs`, through the launcher
 * `apps/server/bin/serve`), or from the sources with tsx for comparison.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** What starts the bundle in production (`pnpm start`, the systemd unit): node with the deployed memory settings. */
export const SERVER_LAUNCHER = 'apps/server/bin/serve';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the production bundle (a fraction of a second with esbuild). */
export function buildServerBundle(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: path.join(REPO_ROOT, 'apps/server'), stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  pid: number;
  /** The last 20 kB of its stdout and stderr. */
  output(): string;
}

/** The server's environment for a bench: loopback, no demo study, no web app, quiet logs. */
export function benchServerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, HOST: '127.0.0.1', CONCORD_DEMO: '0', LOG_LEVEL: 'warn', CONCORD_WEB_BUILD_DIR: 'none', ...extra };
}

/**
 * Spawns a server (pinned to `cpus` with taskset when given) and waits for its "running at" line:
 * the bundle through the production launcher (its pid is node's: the launcher execs), or the
 * sources with tsx and node's defaults. `nodeArgs` go to node either way.
 */
export async function spawnServer(options: { env: NodeJS.ProcessEnv; tsx?: boolean; cpus?: string; nodeArgs?: string[] }): Promise<ServerProcess> {
  const node = options.tsx
    ? [process.execPath, ...(options.nodeArgs ?? []), '--import', 'tsx', 'apps/server/src/main.ts']
    : ['sh', SERVER_LAUNCHER, ...(options.nodeArgs ?? [])];
  const [cmd, ...args] = options.cpus ? ['taskset', '-c', options.cpus, ...node] : node;
  const child = spawn(cmd!, args, { cwd: REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const append = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stderr!.on('data', append);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      append(d);
      const m = /Concord is running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
  return { child, baseUrl, pid: child.pid!, output: () => out };
}

/**
 * SIGTERM (a clean shutdown: CPU profiles get written), SIGKILL after `graceMs` (5 s; longer when
 * a profile must be written after 1,000 connections' rooms unload).
 */
export async function stopServer(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const res = await Promise.race([exited.then(() => 'ok'), sleep(graceMs).then(() => 'timeout')]);
  if (res === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
