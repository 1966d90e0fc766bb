import { ConfigError, loadConfig } from './config.ts';
import { DataDirInUseError } from './ops/data-dir-lock.ts';
import { startConcord } from './server.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

let running;
try {
  running = await startConcord(config);
} catch (err) {
  // A backup, a restore or another server has the PGlite directory: one line, not a stack trace.
  if (err instanceof DataDirInUseError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
// Handlers before the ready line: until a listener exists the kernel's default action kills the
// process, so a supervisor stopping it right after "running" would skip the graceful close.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.deps.logger.info({ signal }, 'shutting down');
    void running.close().then(() => process.exit(0));
  });
}
running.deps.logger.info({ url: running.url, db: running.deps.database.kind }, 'concord started');
process.stdout.write(`Concord is running at ${running.url} (database: ${running.deps.database.kind})\n`);
