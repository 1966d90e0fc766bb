/**
 * Migration 0010 moves each item's single incident into item_incidents (as its primary,
 * position 0) before dropping items.incident_id: no link of a database upgraded in place is lost.
 * Runs on an empty PGlite, and on a fresh PostgreSQL database in the PostgreSQL lane.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from './client.ts';
import { applyMigrationsInTransaction, migrationFiles } from './migration-level.ts';
import { queryRows } from './query-rows.ts';
import { testDatabaseUrl } from './testing.ts';

const name = `concord_mig6_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const admin = testDatabaseUrl ? postgres(testDatabaseUrl, { max: 1, onnotice: () => {} }) : null;

async function emptyDatabase(): Promise<Database> {
  if (!admin) return createDb({ kind: 'pglite', dataDir: 'memory://' });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  return createDb({ kind: 'postgres', url: url.toString(), maxConnections: 1 });
}

afterAll(async () => {
  if (!admin) return;
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe(`migration 0010_item_incidents (${admin ? 'postgres' : 'pglite'})`, () => {
  it('keeps every item\'s incident as its primary linked incident', async () => {
    const files = migrationFiles();
    const at = (tag: string) => files.find((f) => f.tag === tag)!.createdAt;
    const database = await emptyDatabase();
    try {
      const { db } = database;
      await db.transaction((tx) => applyMigrationsInTransaction(tx, { level: null, upTo: at('0009_api_tokens') }));
      await db.execute(sql`insert into projects (id, name) values ('prj_m', 'm')`);
      await db.execute(sql`insert into incidents (id, project_id, name) values ('inc_a', 'prj_m', 'A'), ('inc_b', 'prj_m', 'B')`);
      await db.execute(sql`insert into items (id, project_id, title, incident_id) values ('itm_1', 'prj_m', 'one', 'inc_a'), ('itm_2', 'prj_m', 'two', 'inc_b'), ('itm_3', 'prj_m', 'three', null)`);

      await db.transaction((tx) => applyMigrationsInTransaction(tx, { level: at('0009_api_tokens'), upTo: at('0010_item_incidents') }));
      const links = await queryRows<{ item_id: string; incident_id: string; position: number }>(db, sql`select item_id, incident_id, position from item_incidents order by item_id`);
      expect(links).toEqual([
        { item_id: 'itm_1', incident_id: 'inc_a', position: 0 },
        { item_id: 'itm_2', incident_id: 'inc_b', position: 0 },
      ]);
      const columns = await queryRows<{ column_name: string }>(db, sql`select column_name from information_schema.columns where table_name = 'items' and column_name = 'incident_id'`);
      expect(columns).toEqual([]);
      const [incident] = await queryRows<{ tags: string[]; start_date: string | null }>(db, sql`select tags, start_date from incidents where id = 'inc_a'`);
      expect(incident).toEqual({ tags: [], start_date: null });
    } finally {
      await database.close();
    }
  });
});
