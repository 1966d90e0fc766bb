/**
 * The launcher (`apps/server/bin/serve`: `pnpm start`, the systemd unit, these tests, the benches)
 * runs the server as node itself with the memory settings the realtime figures were measured with
 * (bench/README.md, Memory), and lets an operator override them.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server.ts';

const procList = async (pid: number, file: 'cmdline' | 'environ') => (await readFile(`/proc/${pid}/${file}`, 'utf8')).split('\0');

describe('the server launcher', () => {
  it('execs node with a 4 MiB semi-space and two malloc arenas, and the server answers', async () => {
    const server = await startServerProcess({ env: { CONCORD_DEMO: '0' } });
    try {
      const argv = await procList(server.pid, 'cmdline');
      // The pid the supervisor holds is node's (exec), running the bundle with the V8 flag before it.
      expect(argv[0]).toMatch(/node$/);
      expect(argv.slice(1, 3)).toEqual(['--max-semi-space-size=4', expect.stringMatching(/apps\/server\/bin\/\.\.\/dist\/main\.mjs$/)]);
      expect(await procList(server.pid, 'environ')).toContain('MALLOC_ARENA_MAX=2');
      const live = await fetch(`${server.url}/api/health/live`);
      expect(live.status).toBe(200);
    } finally {
      await server.dispose();
    }
  });

  it('keeps an arena count given in the environment', async () => {
    const server = await startServerProcess({ env: { CONCORD_DEMO: '0', MALLOC_ARENA_MAX: '4' } });
    try {
      expect(await procList(server.pid, 'environ')).toContain('MALLOC_ARENA_MAX=4');
    } finally {
      await server.dispose();
    }
  });
});
