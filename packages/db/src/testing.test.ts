/**
 * `createTestDb({ seed })`: the seed is built once per process and every test database is a
 * copy of it, independent of the others (on PGlite, and on PostgreSQL in the test:pg lane).
 */
import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { users } from './schema/index.ts';
import { createTestDb, dropLeftoverTestDatabases, testDatabaseUrl, type TestDatabase, type TestSeed } from './testing.ts';

describe('seeded test databases', () => {
  let builds = 0;
  const seed: TestSeed = {
    name: 'testing_test',
    async build(database) {
      builds++;
      await database.db.insert(users).values({ id: 'usr_seeded', email: 'seeded@test.concord', name: 'Seeded', passwordHash: 'none' });
    },
  };
  const opened: TestDatabase[] = [];
  afterAll(() => Promise.all(opened.map((d) => d.close())));

  it('builds the seed once and copies it into each database, which then go their own ways', async () => {
    const [a, b] = await Promise.all([createTestDb({ seed }), createTestDb({ seed })]);
    opened.push(a!, b!);
    expect(builds).toBe(1);
    const emails = async (d: TestDatabase) => (await d.db.select({ email: users.email }).from(users)).map((u) => u.email).sort();
    expect(await emails(a!)).toEqual(['seeded@test.concord']);
    await a!.db.insert(users).values({ id: 'usr_only_a', email: 'a@test.concord', name: 'A', passwordHash: 'none' });
    expect(await emails(a!)).toEqual(['a@test.concord', 'seeded@test.concord']);
    expect(await emails(b!)).toEqual(['seeded@test.concord']);
    const c = await createTestDb({ seed });
    opened.push(c);
    expect(await emails(c)).toEqual(['seeded@test.concord']);
    expect(builds).toBe(1);
  });

  it('leaves databases without a seed empty', async () => {
    const plain = await createTestDb();
    opened.push(plain);
    expect(await plain.db.select().from(users)).toEqual([]);
  });
});

describe.skipIf(testDatabaseUrl)('PGlite test databases', () => {
  it('start from a template with 1 MB WAL segments (a smaller tarball to unpack per database)', async () => {
    const database = await createTestDb();
    try {
      const { rows } = (await database.db.execute(sql`select current_setting('wal_segment_size') as size`)) as unknown as { rows: { size: string }[] };
      expect(rows).toEqual([{ size: '1MB' }]);
    } finally {
      await database.close();
    }
  });
});

/** PostgreSQL lane only: test databases are dropped without the caller waiting, and never left behind. */
describe.skipIf(!testDatabaseUrl)('PostgreSQL test databases are dropped', () => {
  const admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
  afterAll(() => admin.end());
  const exists = async (name: string) => (await admin`select 1 from pg_database where datname = ${name}`).length === 1;
  const waitUntilGone = async (name: string) => {
    for (let attempt = 0; attempt < 300 && (await exists(name)); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
  };

  it('drops a closed database in the background', async () => {
    const database = await createTestDb();
    const [{ name }] = (await database.db.execute<{ name: string }>(sql`select current_database() as name`)) as unknown as [{ name: string }];
    expect(await exists(name)).toBe(true);
    await database.close();
    await waitUntilGone(name);
    expect(await exists(name)).toBe(false);
  });

  it('drops the leftover databases of processes that no longer run, and not those of running ones', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const leftover = `concord_test_${ended.stdout}_leftover`;
    const live = `concord_test_${process.ppid}_live`;
    for (const name of [leftover, live]) await admin.unsafe(`CREATE DATABASE "${name}"`);
    try {
      await dropLeftoverTestDatabases();
      expect(await exists(leftover)).toBe(false);
      expect(await exists(live)).toBe(true);
    } finally {
      for (const name of [leftover, live]) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}"`);
    }
  });
});
