import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { bulkInsert } from './bulk-insert.ts';
import { incidents, itemIncidents, items, projects } from './schema/index.ts';
import { queryRows } from './query-rows.ts';
import { createTestDb, type TestDatabase } from './testing.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDb();
  await database.db.insert(projects).values({ id: 'prj_bulk', name: 'bulk' });
});
afterAll(() => database.close());

describe(`bulkInsert`, () => {
  it('keeps quotes, commas, newlines, empty strings, nulls, numbers, dates and JSON intact', async () => {
    await database.db.transaction(async (tx) => {
      await bulkInsert(tx as never, items, [
        { id: 'itm_1', projectId: 'prj_bulk', title: 'Name, with "quotes"', body: 'line one\nline two', reach: 12, publishedAt: new Date('2022-01-05T10:00:00Z'), raw: { Headline: 'a "b", c' } },
        { id: 'itm_2', projectId: 'prj_bulk', title: 'x', body: '', reach: null, publishedAt: null, raw: null },
        { id: 'itm_0', projectId: 'prj_bulk', title: 'Ünïcödé "quoted", 日本 🙂', body: '\\.', reach: 0, raw: { 'Заголовок': 'ё "ж"' } },
      ]);
    });
    const rows = await database.db.select().from(items).where(eq(items.projectId, 'prj_bulk')).orderBy(asc(items.seq));
    expect(rows.map((r) => r.id)).toEqual(['itm_1', 'itm_2', 'itm_0']);
    expect(rows[0]).toMatchObject({ title: 'Name, with "quotes"', body: 'line one\nline two', reach: 12, raw: { Headline: 'a "b", c' } });
    expect(rows[0]!.publishedAt?.toISOString()).toBe('2022-01-05T10:00:00.000Z');
    expect(rows[1]).toMatchObject({ body: '', reach: null, publishedAt: null, raw: null });
    expect(rows[2]).toMatchObject({ title: 'Ünïcödé "quoted", 日本 🙂', body: '\\.', reach: 0, raw: { 'Заголовок': 'ё "ж"' } });
  });

  it('outside a transaction too (on PostgreSQL the JSON batches: a COPY needs its transaction\'s one connection)', async () => {
    await database.db.insert(projects).values({ id: 'prj_plain', name: 'plain' });
    await bulkInsert(database.db, items, [
      { id: 'itm_p1', projectId: 'prj_plain', title: 'Name, with "quotes"', reach: 3, raw: { a: 'ё "ж"' } },
      { id: 'itm_p2', projectId: 'prj_plain', title: 'x', reach: null, raw: null },
    ]);
    const rows = await database.db.select({ id: items.id, title: items.title, reach: items.reach, raw: items.raw }).from(items).where(eq(items.projectId, 'prj_plain')).orderBy(asc(items.id));
    expect(rows).toEqual([
      { id: 'itm_p1', title: 'Name, with "quotes"', reach: 3, raw: { a: 'ё "ж"' } },
      { id: 'itm_p2', title: 'x', reach: null, raw: null },
    ]);
  });

  it('still enforces unique constraints when references are verified, and restores FK checks after', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await bulkInsert(tx as never, items, [{ id: 'itm_1', projectId: 'prj_bulk', title: 'duplicate id' }], { referencesVerified: true });
      }),
    ).rejects.toThrow();
    await expect(
      database.db.transaction(async (tx) => {
        await bulkInsert(tx as never, items, [{ id: 'itm_6', projectId: 'prj_bulk', title: 'ok' }], { referencesVerified: true });
        await tx.insert(items).values({ id: 'itm_7', projectId: 'prj_missing', title: 'dangling' });
      }),
    ).rejects.toThrow();
    expect(await database.db.select().from(items).where(eq(items.id, 'itm_6'))).toEqual([]);
  });

  it('rolls back with the transaction it runs in, and fails whole on a bad row', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await bulkInsert(tx as never, items, [{ id: 'itm_3', projectId: 'prj_bulk', title: 'y' }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await expect(
      database.db.transaction(async (tx) => {
        await bulkInsert(tx as never, items, [
          { id: 'itm_4', projectId: 'prj_bulk', title: 'z' },
          { id: 'itm_5', projectId: 'prj_missing', title: 'z' },
        ]);
      }),
    ).rejects.toThrow();
    const ids = (await database.db.select({ id: items.id }).from(items).where(eq(items.projectId, 'prj_bulk'))).map((r) => r.id);
    expect(ids.sort()).toEqual(['itm_0', 'itm_1', 'itm_2']);
  });

  it('on PostgreSQL, verified references are checked once, locked against deletion until commit, and triggers restored', async () => {
    if (database.kind !== 'postgres') return; // PGlite has one connection: nothing can delete them meanwhile
    await database.db.insert(projects).values({ id: 'prj_locked', name: 'locked' });
    await database.db.transaction(async (tx) => {
      await bulkInsert(tx as never, items, [{ id: 'itm_l1', projectId: 'prj_locked', title: 'a' }, { id: 'itm_l2', projectId: 'prj_locked', title: 'b' }], { referencesVerified: true });
      // The links reference items inserted just above, in this transaction.
      await bulkInsert(tx as never, itemIncidents, [], { referencesVerified: true });
      const [role] = await queryRows<{ role: string }>(tx as never, sql`select current_setting('session_replication_role') as role`);
      expect(role!.role).toBe('origin');
      // Another connection cannot delete the referenced project while this transaction is open.
      await expect(
        database.db.transaction(async (other) => {
          await other.execute(sql`set local lock_timeout = '300ms'`);
          await other.delete(projects).where(eq(projects.id, 'prj_locked'));
        }),
      ).rejects.toThrow(/lock/);
    });
    expect((await database.db.select({ id: items.id }).from(items).where(eq(items.projectId, 'prj_locked'))).map((r) => r.id).sort()).toEqual(['itm_l1', 'itm_l2']);
  });

  it('on PostgreSQL, rows this transaction inserted are counted, not locked again (no WAL record per row), and a missing one still fails', async () => {
    if (database.kind !== 'postgres') return; // PGlite takes no locks for verified references
    await database.db.insert(projects).values({ id: 'prj_here', name: 'here' });
    await database.db.insert(incidents).values({ id: 'inc_here', projectId: 'prj_here', name: 'here' });
    const lockers = await database.db.transaction(async (tx) => {
      await bulkInsert(tx as never, items, [{ id: 'itm_h1', projectId: 'prj_here', title: 'a' }, { id: 'itm_h2', projectId: 'prj_here', title: 'b' }], { referencesVerified: true });
      const links = [{ itemId: 'itm_h1', incidentId: 'inc_here', position: 0 }, { itemId: 'itm_h2', incidentId: 'inc_here', position: 0 }];
      await bulkInsert(tx as never, itemIncidents, links, { referencesVerified: true, referencesInsertedHere: ['itemId'] });
      // A row only inserted has no locker (xmax 0); a FOR KEY SHARE lock would have set it to this transaction.
      return queryRows<{ xmax: string }>(tx as never, sql`select xmax::text from ${items} where ${items.id} in ('itm_h1', 'itm_h2')`);
    });
    expect(lockers.map((r) => r.xmax)).toEqual(['0', '0']);
    expect(await database.db.select({ itemId: itemIncidents.itemId }).from(itemIncidents).where(eq(itemIncidents.incidentId, 'inc_here')).orderBy(asc(itemIncidents.itemId))).toEqual([{ itemId: 'itm_h1' }, { itemId: 'itm_h2' }]);
    await expect(
      database.db.transaction(async (tx) => {
        await bulkInsert(tx as never, itemIncidents, [{ itemId: 'itm_nowhere', incidentId: 'inc_here', position: 0 }], { referencesVerified: true, referencesInsertedHere: ['itemId'] });
      }),
    ).rejects.toMatchObject({ cause: { code: '23503' } });
  });

  it('on PostgreSQL, a missing reference still fails even when the caller says references are verified', async () => {
    if (database.kind !== 'postgres') return; // PGlite trusts the caller (one connection, references read in the same transaction)
    await expect(
      database.db.transaction(async (tx) => {
        await bulkInsert(tx as never, items, [{ id: 'itm_m1', projectId: 'prj_bulk', title: 'a' }, { id: 'itm_m2', projectId: 'prj_nowhere', title: 'b' }], { referencesVerified: true });
      }),
    ).rejects.toMatchObject({ cause: { code: '23503' } }); // foreign_key_violation, from the triggers it fell back to
  });

  it('a COPY failing mid-stream or at its last row rejects with its error, keeps what was saved, and leaves the pool usable', async () => {
    await database.db.insert(projects).values({ id: 'prj_copy', name: 'copy' });
    await database.db.insert(items).values({ id: 'itm_saved', projectId: 'prj_copy', title: 'saved before', reach: 7 });
    // 30,000 rows are several COPY writes: a row early on fails while rows are still being written, the last row after the stream ended.
    const many = (prefix: string) => Array.from({ length: 30_000 }, (_, i) => ({ id: `${prefix}${i}`, projectId: 'prj_copy', title: `row ${i}, "quoted"`, body: 'x'.repeat(40), reach: i }));
    for (const [at, label] of [[2_000, 'mid'], [29_999, 'last']] as const) {
      const rows = many(`itm_${label}_`);
      rows[at]!.id = 'itm_saved';
      const error = await database.db.transaction(async (tx) => {
        await bulkInsert(tx as never, items, [{ id: `itm_${label}_before`, projectId: 'prj_copy', title: 'first statement' }]);
        await bulkInsert(tx as never, items, rows, { referencesVerified: true });
      }).then(() => null, (e: { code?: string; cause?: { code?: string } }) => e);
      // unique_violation, the COPY's own error (as drizzle's `cause` on PostgreSQL, PGlite's own error on PGlite)
      expect(error?.cause?.code ?? error?.code).toBe('23505');
    }
    const saved = await database.db.select({ id: items.id, title: items.title, reach: items.reach }).from(items).where(eq(items.projectId, 'prj_copy'));
    expect(saved).toEqual([{ id: 'itm_saved', title: 'saved before', reach: 7 }]);
    // Every connection of the pool still answers (none left in COPY mode or in a failed transaction).
    const answers = await Promise.all(Array.from({ length: 12 }, () => queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from items where project_id = 'prj_copy'`)));
    expect(answers.map((r) => Number(r[0]!.n))).toEqual(Array(12).fill(1));
    // And a COPY of many rows goes through whole.
    await database.db.transaction(async (tx) => bulkInsert(tx as never, items, many('itm_ok_'), { referencesVerified: true }));
    const [count] = await queryRows<{ n: number; reach: number }>(database.db, sql`select count(*)::int as n, sum(reach)::int as reach from items where id like 'itm_ok_%'`);
    expect(count).toEqual({ n: 30_000, reach: (29_999 * 30_000) / 2 });
  });
});
