import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from './query-rows.ts';
import { executeStatement } from './statement.ts';
import { createTestDb, testDatabaseUrl, type TestDatabase } from './testing.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDb();
  await database.db.execute(sql`create table statement_probe (n int, label text)`);
});
afterAll(() => database.close());

const INSERT = 'insert into statement_probe (n, label) select n, l from unnest($1::int[], $2::text[]) as r(n, l)';
const rows = () => queryRows<{ n: number; label: string }>(database.db, sql`select n, label from statement_probe order by n`);

describe('executeStatement', () => {
  it('runs a statement with array parameters in the database and in a transaction, which it rolls back with', async () => {
    await executeStatement(database.db, INSERT, [[1, 2], ['one', "it's"]]);
    await database.db.transaction(async (tx) => executeStatement(tx as never, INSERT, [[3], ['three']]));
    await expect(
      database.db.transaction(async (tx) => {
        await executeStatement(tx as never, INSERT, [[4], ['four']]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await rows()).toEqual([
      { n: 1, label: 'one' },
      { n: 2, label: "it's" },
      { n: 3, label: 'three' },
    ]);
  });

  it.runIf(testDatabaseUrl !== undefined)('is a prepared statement on PostgreSQL, prepared once per connection', async () => {
    if (database.kind !== 'postgres') return;
    const prepared = await database.db.transaction(async (tx) => {
      await executeStatement(tx as never, INSERT, [[10], ['ten']]);
      await executeStatement(tx as never, INSERT, [[11], ['eleven']]);
      return queryRows<{ count: number }>(tx as never, sql`select count(*)::int as count from pg_prepared_statements where statement = ${INSERT}`);
    });
    expect(prepared[0]!.count).toBe(1);
  });
});
