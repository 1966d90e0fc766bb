import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createDb } from './client.ts';
import { queryRows } from './query-rows.ts';

it('starts PGlite with its server settings: a small buffer pool, WAL segments not zero-filled', async () => {
  const database = await createDb({ kind: 'pglite', dataDir: 'memory://' });
  try {
    const settings = await queryRows<{ name: string; setting: string; unit: string | null }>(
      database.db,
      sql`select name, setting, unit from pg_settings where name in ('shared_buffers', 'wal_buffers', 'wal_init_zero') order by name`,
    );
    expect(settings).toEqual([
      { name: 'shared_buffers', setting: '4096', unit: '8kB' },
      { name: 'wal_buffers', setting: '512', unit: '8kB' },
      { name: 'wal_init_zero', setting: 'off', unit: null },
    ]);
  } finally {
    await database.close();
  }
});
