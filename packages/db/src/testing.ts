/**
 * Test databases: PGlite in memory by default; with CONCORD_TEST_TARGET=postgres (the
 * `test:pg` scripts) a fresh, uniquely named database on TEST_DATABASE_URL, dropped on
 * close. Either way the real migrations run, so tests see the production schema.
 */
import postgres from 'postgres';
import { createDb, type Database } from './client.ts';
import { migrate } from './migrate.ts';

export interface TestDatabase extends Database {
  /** Human-readable target for test titles: "pglite" or "postgres". */
  label: string;
  /** Options that reopen the same database (for restart tests). */
  reopen(): Promise<Database>;
}

function resolveTestDatabaseUrl(env: Record<string, string | undefined>): string | undefined {
  if (env.CONCORD_TEST_TARGET !== 'postgres') return undefined;
  if (env.TEST_DATABASE_URL) return env.TEST_DATABASE_URL;
  if (env.CI === 'true') throw new Error('CONCORD_TEST_TARGET=postgres needs TEST_DATABASE_URL (CI must run the PostgreSQL lane)');
  console.warn('\n\n*** TEST_DATABASE_URL is not set: the PostgreSQL lane runs on PGlite instead. Set it to test on PostgreSQL. ***\n\n');
  return undefined;
}

// eslint-disable-next-line no-restricted-properties -- test harness: the one env read outside config.ts
export const testDatabaseUrl: string | undefined = resolveTestDatabaseUrl(process.env);

export async function createTestDb(options: { dataDir?: string } = {}): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const dataDir = options.dataDir ?? 'memory://';
    const database = await createDb({ kind: 'pglite', dataDir });
    await migrate(database);
    return { ...database, label: 'pglite', reopen: () => createDb({ kind: 'pglite', dataDir }) };
  }
  const name = `concord_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
  await migrate(database);
  return {
    ...database,
    label: 'postgres',
    reopen: () => createDb({ kind: 'postgres', url: url.toString(), maxConnections: 5 }),
    async close() {
      await database.close();
      const dropper = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}
