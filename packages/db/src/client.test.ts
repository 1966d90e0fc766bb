import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb, postgresTarget } from './client.ts';
import { queryRows } from './query-rows.ts';
import { createTestDb, testDatabaseUrl } from './testing.ts';

/** Debian's PostgreSQL socket directory (the CI's cluster). */
const SOCKET_DIR = '/var/run/postgresql';

describe('postgresTarget', () => {
  it("takes libpq's ?host= out of the URL and hands it over as the host (a socket directory or a name)", () => {
    expect(postgresTarget('postgres://u:p@localhost:5432/db?host=/var/run/postgresql')).toEqual({ url: 'postgres://u:p@localhost:5432/db', host: '/var/run/postgresql' });
    expect(postgresTarget('postgres://u@localhost/db?sslmode=require&host=db.internal')).toEqual({ url: 'postgres://u@localhost/db?sslmode=require', host: 'db.internal' });
    expect(postgresTarget('postgres://u@127.0.0.1:5432/db?sslmode=require')).toEqual({ url: 'postgres://u@127.0.0.1:5432/db?sslmode=require' });
  });

  // postgres.js alone sends `host` to the server as a setting, which refuses the connection.
  it.runIf(testDatabaseUrl !== undefined && existsSync(SOCKET_DIR))('connects over the Unix socket of a ?host=/dir URL', async () => {
    const tcp = new URL(testDatabaseUrl!);
    const url = `postgres://${tcp.username}${tcp.password ? `:${tcp.password}` : ''}@localhost:${tcp.port || 5432}/postgres?host=${SOCKET_DIR}`;
    const database = await createDb({ kind: 'postgres', url, maxConnections: 1 });
    try {
      // No server address: the connection is not TCP.
      const [row] = await queryRows<{ address: string | null; ok: number }>(database.db, sql`select inet_server_addr()::text as address, 1 as ok`);
      expect(row).toEqual({ address: null, ok: 1 });
      const release = await database.exclusive();
      await release();
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(testDatabaseUrl)('PGlite', () => {
  // PGlite's in-memory file system serves posix_fallocate by copying the whole file each time
  // a table grows by many pages (COPY, bulk inserts): quadratic in the table's size (client.ts).
  it('grows tables by writing zeros, not by posix_fallocate', async () => {
    const database = await createTestDb();
    try {
      expect(await queryRows(database.db, sql`select current_setting('file_extend_method') as method`)).toEqual([{ method: 'write_zeros' }]);
      await database.db.execute(sql`create table grown (n int, padding text)`);
      await database.db.execute(sql`insert into grown select g, repeat('x', 200) from generate_series(1, 5000) g`);
      expect(await queryRows(database.db, sql`select count(*)::int as rows, sum(n)::int as total from grown`)).toEqual([{ rows: 5000, total: (5000 * 5001) / 2 }]);
    } finally {
      await database.close();
    }
  });
});
