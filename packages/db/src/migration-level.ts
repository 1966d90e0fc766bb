/**
 * Which migration a database is at, compared with the committed files. The migrator
 * (drizzle) records each applied migration in `drizzle.__drizzle_migrations` with the
 * `when` of its journal entry; the latest `created_at` is therefore the database's level.
 * Readiness checks and backups (which record and restore a level) read it here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from './client.ts';
import { MIGRATIONS_DIR } from './migrate.ts';
import { queryRows } from './query-rows.ts';

export interface MigrationFile {
  /** The journal tag, e.g. `0004_invites`. */
  tag: string;
  /** The journal's `when`: what the migrator stores as `created_at`. */
  createdAt: number;
  hash: string;
  statements: string[];
}

/** The committed migrations, oldest first. */
export function migrationFiles(): MigrationFile[] {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  return files.map((f, i) => ({ tag: journal.entries[i]!.tag, createdAt: f.folderMillis, hash: f.hash, statements: f.sql }));
}

/** The `created_at` of the latest applied migration; null when none was ever applied. */
export async function appliedMigrationLevel(db: Pick<Db, 'execute'>): Promise<number | null> {
  const [table] = await queryRows<{ present: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!table?.present) return null;
  const [last] = await queryRows<{ created_at: string | number }>(db, sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
  return last ? Number(last.created_at) : null;
}

export type MigrationState =
  | { current: true; tag: string }
  | { current: false; reason: string };

/** Whether the database holds exactly the committed migrations (no more, no fewer). */
export async function migrationState(db: Pick<Db, 'execute'>): Promise<MigrationState> {
  const files = migrationFiles();
  const latest = files.at(-1)!;
  const level = await appliedMigrationLevel(db);
  if (level === null) return { current: false, reason: 'no migrations applied' };
  if (level === latest.createdAt) return { current: true, tag: latest.tag };
  if (level > latest.createdAt) return { current: false, reason: 'the database has migrations newer than this server knows (an older version is running)' };
  const pending = files.filter((f) => f.createdAt > level).map((f) => f.tag);
  return { current: false, reason: `pending migrations: ${pending.join(', ')}` };
}

/**
 * Applies the files after `level` up to and including `upTo` (a `createdAt`), in the caller's
 * transaction, recording each as drizzle's migrator does (so it later sees them as applied).
 */
export async function applyMigrationsInTransaction(tx: Pick<Db, 'execute'>, options: { level: number | null; upTo: number }): Promise<void> {
  await tx.execute(sql`create schema if not exists drizzle`);
  await tx.execute(sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`);
  for (const file of migrationFiles()) {
    if ((options.level !== null && file.createdAt <= options.level) || file.createdAt > options.upTo) continue;
    for (const statement of file.statements) await tx.execute(sql.raw(statement));
    await tx.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${file.hash}, ${file.createdAt})`);
  }
}
