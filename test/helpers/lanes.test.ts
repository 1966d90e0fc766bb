/**
 * The root `pnpm test` schedule (turbo.json and the root script's `--concurrency`): the three
 * long lanes (the server's PGlite and PostgreSQL lanes, this package's e2e lane) run at the same
 * time. None waits for another (the PostgreSQL lane used to wait for the whole PGlite lane, and
 * then ran alone on one core at the end of CI), turbo has a slot for each, and the PostgreSQL lane
 * starts after the web build, so the builds the e2e lane waits for never wait for a slot.
 * The web package's own tests start after its build: their `svelte-kit sync` rewrites
 * `.svelte-kit/generated`, which `vite build` reads, and a build that overlapped it (three slots
 * made that likely) shipped a client that never hydrated.
 * Read from turbo's own plan (`--dry=json`), not from the JSON file's shape.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const LANES = ['@concord/server#test', '@concord/server#test:pg', '@concord/e2e#test'];

it('runs the three long test lanes side by side, the PostgreSQL one after the web build', { timeout: 60_000 }, () => {
  const script = (JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.test!;
  expect(script).toMatch(/^turbo run test test:pg /);
  const concurrency = Number(/--concurrency=(\d+)/.exec(script)?.[1]);
  expect(concurrency).toBeGreaterThanOrEqual(LANES.length);

  const plan = JSON.parse(
    execFileSync(`${repo}node_modules/.bin/turbo`, ['run', 'test', 'test:pg', '--dry=json'], { cwd: repo, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } }),
  ) as { tasks: { taskId: string; dependencies: string[] }[] };
  const direct = new Map(plan.tasks.map((t) => [t.taskId, t.dependencies]));
  const waitsFor = (task: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (t: string) => {
      for (const d of direct.get(t) ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        visit(d);
      }
    };
    visit(task);
    return seen;
  };
  for (const lane of LANES) {
    expect(direct.has(lane), lane).toBe(true);
    const before = waitsFor(lane);
    expect(LANES.filter((other) => before.has(other)), `${lane} waits for`).toEqual([]);
  }
  expect(waitsFor('@concord/server#test:pg')).toContain('@concord/web#build');
  expect(waitsFor('@concord/web#test')).toContain('@concord/web#build');
});
