/**
 * Runs the real Concord server as a child process through `apps/server/bin/serve` (the launcher
 * `pnpm start` and the systemd unit use: node with the deployed memory settings, running the bundle
 * `apps/server/dist/main.mjs` that the global setup builds), exactly as an operator starts it, on a
 * random port and a temporary PGlite data directory. The child is node itself (the launcher execs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const E2E_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVER_LAUNCHER = path.resolve(E2E_DIR, '../apps/server/bin/serve');
const WEB_HANDLER = path.resolve(E2E_DIR, '../apps/web/build/handler.js');
const READY_LINE = /Concord is running at (http:\/\/\S+)/;
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

export const TEST_DEMO_PASSWORD = 'e2e-demo-password';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A stopped server's PGlite data directory holding the demo study seeded for this run (global-setup.ts). */
    demoDataDir: string;
  }
}

/** The run's seeded demo data directory; none outside vitest (the benches), where the server seeds at start. */
function seededDemoDir(): string | undefined {
  try {
    return inject('demoDataDir');
  } catch {
    return undefined;
  }
}

/** Variables from the developer's shell that would point the child at other services. */
const INHERITED_BUT_IGNORED = ['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST', 'CONCORD_DATA_DIR', 'CONCORD_DEMO', 'CONCORD_DEMO_PASSWORD', 'CONCORD_WEB_BUILD_DIR', 'SMTP_URL', 'SMTP_FROM', 'CONCORD_PUBLIC_URL'];

export interface StartOptions {
  /** Extra variables for the server; they win over the defaults below. */
  env?: Record<string, string>;
  /** How long the start (migrations, demo seed) may take; the demo seed is slow on a loaded machine. */
  startTimeoutMs?: number;
  /** Reuse a data directory (a restart); by default a fresh temporary one is created. */
  dataDir?: string;
  /**
   * With CONCORD_DEMO=1 on PGlite, a fresh data directory starts as a copy of the demo study
   * seeded once per run (helpers/global-setup.ts). `seedDemo: true` seeds it at start instead.
   */
  seedDemo?: boolean;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  dataDir: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; escalates to SIGKILL after 20 s. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** Starts a new process on the same data directory and environment (after stop()). */
  restart(): Promise<ServerProcess>;
  /** Kills the process if it still runs and deletes the data directory when the helper created it. */
  dispose(): Promise<void>;
}

/**
 * Browser tests need the built web app; without it the server serves only the API.
 * Fail with the fix instead of on a JSON 404 page. (turbo's `test` task builds it first.)
 */
export function assertWebBuilt(): void {
  if (!existsSync(WEB_HANDLER)) throw new Error(`no web build at ${WEB_HANDLER}: run \`pnpm --filter @concord/web build\` first`);
}

// A safety net for crashed test runs: no server process outlives the test process.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * `demoPassword`: pass CONCORD_DEMO_PASSWORD. A copy of the run's seeded demo already has it,
 * and giving it again would re-hash it for every demo account at each start (1 s of CPU).
 */
function childEnv(dataDir: string, extra: Record<string, string>, demoPassword: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_BUT_IGNORED) delete env[name];
  return {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    CONCORD_DATA_DIR: dataDir,
    ...(demoPassword ? { CONCORD_DEMO_PASSWORD: TEST_DEMO_PASSWORD } : {}),
    LOG_LEVEL: 'warn',
    // Weak password hashes (about 0.09 s of CPU less per password set or checked): the run's
    // demo copy is seeded with them, so its sign-ins are cheap too. Refused outside NODE_ENV=test.
    NODE_ENV: 'test',
    CONCORD_TEST_WEAK_PASSWORD_HASHING: '1',
    ...extra,
  };
}

function waitForExit(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'concord-e2e-')));
  const env = options.env ?? {};
  const template = !options.dataDir && !options.seedDemo && env.CONCORD_DEMO === '1' && !env.DATABASE_URL ? seededDemoDir() : undefined;
  if (template) await cp(template, dataDir, { recursive: true });
  return launch(dataDir, childEnv(dataDir, env, !template), !options.dataDir, options.startTimeoutMs ?? START_TIMEOUT_MS);
}

async function launch(dataDir: string, env: NodeJS.ProcessEnv, ownsDataDir: boolean, startTimeoutMs: number): Promise<ServerProcess> {
  const child = spawn('sh', [SERVER_LAUNCHER], {
    cwd: E2E_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = waitForExit(child).then((exit) => {
    live.delete(child);
    return exit;
  });

  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${startTimeoutMs} ms. Output:\n${output}`));
    }, startTimeoutMs);
    const onData = () => {
      const match = READY_LINE.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before it was ready (code ${exit.code}, signal ${exit.signal}). Output:\n${output}`));
    });
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return exited;
  };

  return {
    url,
    dataDir,
    pid: child.pid!,
    output: () => output,
    stop,
    async restart() {
      if (live.has(child)) throw new Error('stop() the server before restarting it');
      return launch(dataDir, env, ownsDataDir, startTimeoutMs);
    },
    async dispose() {
      await stop('SIGKILL');
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
