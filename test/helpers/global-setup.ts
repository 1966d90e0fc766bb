/**
 * Once per run, before any test file: the demo study, seeded by a real server process at its
 * first start (the operator's path, checked here), then stopped. Every test server started
 * with CONCORD_DEMO=1 on PGlite begins from a copy of that data directory instead of seeding
 * again: the seed (initdb, migrations, 30 items coded through live documents) took most of
 * each browser test file's start-up, over 90 s on the loaded 2-core machine.
 */
import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startServerProcess } from './server.ts';

const SEED_TIMEOUT_MS = 240_000;

export default async function setup(project: TestProject) {
  const server = await startServerProcess({ env: { CONCORD_DEMO: '1' }, startTimeoutMs: SEED_TIMEOUT_MS, seedDemo: true });
  const output = server.output();
  const exit = await server.stop();
  if (!/Demo study ready\. Sign in as /.test(output)) throw new Error(`the first start did not seed the demo study. Output:\n${output}`);
  if (exit.code !== 0) throw new Error(`the seeding server did not stop cleanly (${JSON.stringify(exit)}). Output:\n${server.output()}`);
  project.provide('demoDataDir', server.dataDir);
  return () => rm(server.dataDir, { recursive: true, force: true });
}
