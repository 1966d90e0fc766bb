/**
 * `createTestDb({ seed })`: the seed is built once per process and every test database is a
 * copy of it, independent of the others (on PGlite, and on PostgreSQL in the test:pg lane).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { users } from './schema/index.ts';
import { createTestDb, type TestDatabase, type TestSeed } from './testing.ts';

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
