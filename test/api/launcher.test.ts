/**
 * The launcher (`apps/server/bin/serve`: `pnpm start`, the systemd unit, these tests, the benches)
 * runs the server as node itself with the memory settings the realtime figures were measured with
 * (bench/README.md, Memory), and lets an operator override them.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server.ts';

const LAUNCHER = fileURLToPath(new URL('../../apps/server/bin/serve', import.meta.url));
const procList = async (pid: number, file: 'cmdline' | 'environ') => (await readFile(`/proc/${pid}/${file}`, 'utf8')).split('\0');

/** What node, started by the launcher with `args`, says of its settings (`-p` runs instead of the bundle). */
function launched(env: Record<string, string>, ...args: string[]): { arenas: string; execArgv: string[] } {
  const script = 'JSON.stringify({ arenas: process.env.MALLOC_ARENA_MAX, execArgv: process.execArgv })';
  const out = execFileSync('sh', [LAUNCHER, ...args, '-p', script], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return JSON.parse(out) as { arenas: string; execArgv: string[] };
}

describe('the server launcher', () => {
  it('execs node with a 4 MiB semi-space and two malloc arenas, and the server answers', async () => {
    // From the run's seeded demo directory: a fresh PGlite's initdb takes minutes on a loaded machine.
    const server = await startServerProcess({ env: { CONCORD_DEMO: '1' }, startTimeoutMs: 240_000 });
    try {
      const argv = await procList(server.pid, 'cmdline');
      // The pid the test (or systemd) holds is node's (exec), running the bundle with the V8 flag before it.
      expect(argv[0]).toMatch(/node$/);
      expect(argv.slice(1, 3)).toEqual(['--max-semi-space-size=4', expect.stringMatching(/apps\/server\/bin\/\.\.\/dist\/main\.mjs$/)]);
      expect(await procList(server.pid, 'environ')).toContain('MALLOC_ARENA_MAX=2');
      const live = await fetch(`${server.url}/api/health/live`);
      expect(live.status).toBe(200);
    } finally {
      await server.dispose();
    }
  });

  it('keeps MALLOC_ARENA_MAX from the environment, and node options given to it come after its own', () => {
    expect(launched({})).toEqual({ arenas: '2', execArgv: ['--max-semi-space-size=4', '-p', expect.any(String)] });
    const overridden = launched({ MALLOC_ARENA_MAX: '4' }, '--max-semi-space-size=16');
    expect(overridden.arenas).toBe('4');
    // V8 takes the last occurrence of a flag.
    expect(overridden.execArgv.slice(0, 2)).toEqual(['--max-semi-space-size=4', '--max-semi-space-size=16']);
  });
});
