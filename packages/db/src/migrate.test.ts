/**
 * Several processes starting together on one new PostgreSQL database (a multi-process
 * deployment's first start or an upgrade) must migrate it once, without failing each other.
 * The PostgreSQL lane runs it on a fresh empty database; PGlite has one process only.
 */
import { readdirSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from './client.ts';
import { migrate, MIGRATIONS_DIR } from './migrate.ts';
import { testDatabaseUrl } from './testing.ts';

const name = `concord_migrate_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

describe.skipIf(!testDatabaseUrl)('migrate on PostgreSQL', () => {
  const admin = postgres(testDatabaseUrl ?? 'postgres://unused', { max: 1, onnotice: () => {} });
  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('applies every migration exactly once when four processes start at the same time', async () => {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${name}`;
    const databases = await Promise.all([1, 2, 3, 4].map(() => createDb({ kind: 'postgres', url: url.toString(), maxConnections: 2 })));
    try {
      const results = await Promise.allSettled(databases.map((d) => migrate(d)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
      const probe = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const [{ count }] = (await probe`select count(*)::int as count from drizzle.__drizzle_migrations`) as unknown as [{ count: number }];
      await probe.end();
      expect(count).toBe(files.length);
    } finally {
      await Promise.all(databases.map((d) => d.close()));
    }
  });
});
