/**
 * `concord restore FILE [--force]`, in one transaction: the target's Concord schema is
 * dropped, the migrations are applied up to the backup's, the rows are loaded (parents
 * before children), the id sequences moved past the restored ids, and the newer migrations
 * of this version applied. Any failure, a damaged file included, leaves the target as it was.
 * Attachment files in the backup (taken with CONCORD_ATTACHMENTS_DIR) are checked against their
 * restored rows' SHA-256 and go into this deployment's directory (written beside their final
 * names during the transaction, renamed after it commits), or, without one, into the rows.
 * A failure before the commit removes the files written; after it, a rename that still fails
 * once retried keeps its file (the rows point at it) and is reported by name; what earlier
 * restores left is settled first (restored-files.ts).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { applyMigrationsInTransaction, migrationFiles, queryRows, type Database, type Db } from '@concord/db';
import { BackupFileError, readBackupFile, type BackupAttachmentFile, type BackupHeader } from './backup-file.ts';
import { publicTables } from './backup.ts';
import { PENDING, renameWithRetry, RestoredFilesError, settleRestoredFiles, type SettledFiles } from './restored-files.ts';

type Tx = Pick<Db, 'execute'>;

/** The target holds data (not just an empty schema), so restoring would replace it. */
export class TargetNotEmptyError extends Error {}

/** The backup's migration must be one of ours (same tag and hash); a newer one needs a newer Concord. */
function checkMigration(header: BackupHeader): void {
  const files = migrationFiles();
  const known = files.find((f) => f.createdAt === header.migration.createdAt);
  if (known && known.hash === header.migration.hash) return;
  if (header.migration.createdAt > files.at(-1)!.createdAt) {
    throw new BackupFileError(`the backup is from a newer schema (${header.migration.tag}) than this Concord knows (${files.at(-1)!.tag}): restore it with that version`);
  }
  throw new BackupFileError(`the backup's migration ${header.migration.tag} does not match this Concord's migration files`);
}

async function tablesWithRows(tx: Tx): Promise<string[]> {
  const full: string[] = [];
  for (const t of await publicTables(tx)) {
    const [row] = await queryRows<{ any: boolean }>(tx, sql`select exists(select 1 from ${sql.identifier(t.name)}) as any`);
    if (row?.any) full.push(t.name);
  }
  return full;
}

/** Drops what the migrations made: the public schema's tables and functions (not extensions'), and the migrations log. */
async function dropConcordSchema(tx: Tx): Promise<void> {
  for (const t of await publicTables(tx)) await tx.execute(sql`drop table if exists ${sql.identifier(t.name)} cascade`);
  const functions = await queryRows<{ signature: string }>(
    tx,
    sql`select p.oid::regprocedure::text as signature from pg_proc p
        where p.pronamespace = 'public'::regnamespace
          and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`,
  );
  for (const f of functions) await tx.execute(sql.raw(`drop function if exists ${f.signature} cascade`));
  await tx.execute(sql`drop table if exists drizzle.__drizzle_migrations`);
}

/** Moves each serial column's sequence past the largest restored value. */
async function resetSequences(tx: Tx): Promise<void> {
  const serials = await queryRows<{ table_name: string; column_name: string }>(
    tx,
    sql`select table_name, column_name from information_schema.columns where table_schema = 'public' and column_default like 'nextval(%'`,
  );
  for (const s of serials) {
    const table = sql.identifier(s.table_name);
    const column = sql.identifier(s.column_name);
    await tx.execute(sql`select setval(pg_get_serial_sequence(${`"${s.table_name}"`}, ${s.column_name}), coalesce(max(${column}), 0) + 1, false) from ${table}`);
  }
}

/** Reads the whole file once (gzip, row counts, end record, checksum, migration): call it before opening the target. */
export async function verifyBackupFile(file: string): Promise<void> {
  const reader = await readBackupFile(file);
  try {
    checkMigration(reader.header);
    for await (const _chunk of reader.tables());
    for await (const _file of reader.files());
  } finally {
    reader.close();
  }
}

/**
 * One attachment file into the target: its restored row must name it with the same SHA-256.
 * Into the directory as `<name>.restoring` (listed in `pending` before it is written, so a
 * half-written one is removed too), or without a directory into the row.
 */
async function restoreFile(tx: Tx, dir: string | null, f: BackupAttachmentFile, pending: string[]): Promise<void> {
  const [row] = await queryRows<{ path: string | null; sha256: string | null }>(tx, sql`select path, sha256 from attachments where id = ${f.id}`);
  if (!row?.path || row.sha256 !== f.sha256) throw new BackupFileError(`attachment file ${f.id}: no restored attachment row stored in a directory has its SHA-256`);
  if (!dir) {
    await tx.execute(sql`update attachments set data = ${f.bytes}::bytea, path = null where id = ${f.id}`);
    return;
  }
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${path.basename(row.path)}${PENDING}`);
  pending.push(file);
  await writeFile(file, f.bytes);
}

export interface RestoreResult {
  header: BackupHeader;
  /** What earlier restores had left in the directory, settled before this one (null without a directory). */
  earlier: SettledFiles | null;
}

/** Restores a file that `verifyBackupFile` accepted (a damage found now would still roll everything back). */
export async function restoreDatabase(database: Database, file: string, options: { force: boolean; attachmentsDir?: string | null }): Promise<RestoreResult> {
  const reader = await readBackupFile(file);
  const dir = options.attachmentsDir ?? null;
  const pending: string[] = [];
  let committed = false;
  try {
    const { header } = reader;
    checkMigration(header);
    // Files of a committed earlier restore take their names against the rows still here; the rest go.
    const earlier = dir ? await settleRestoredFiles(database.db, dir) : null;
    await database.db.transaction(async (tx) => {
      const full = await tablesWithRows(tx);
      if (full.length && !options.force) {
        throw new TargetNotEmptyError(`the target database is not empty (${full.join(', ')} hold rows): restore replaces everything in it; add --force to do that`);
      }
      await dropConcordSchema(tx);
      await applyMigrationsInTransaction(tx, { level: null, upTo: header.migration.createdAt });
      // The file lists parents before children (see backup.ts), so rows load as they stream.
      for await (const { table, rows } of reader.tables()) {
        if (!rows.length) continue;
        const columns = sql.join(table.columns.map((c) => sql.identifier(c)), sql`, `);
        await tx.execute(
          sql`insert into ${sql.identifier(table.name)} (${columns}) select ${columns} from json_populate_recordset(null::${sql.identifier(table.name)}, ${`[${rows.join(',')}]`}::json)`,
        );
      }
      for await (const f of reader.files()) await restoreFile(tx, dir, f, pending);
      await resetSequences(tx);
      await applyMigrationsInTransaction(tx, { level: header.migration.createdAt, upTo: migrationFiles().at(-1)!.createdAt });
    });
    committed = true;
    // Committed: the files take their names (a file of the replaced deployment with the same id had the same bytes or is replaced).
    // One that cannot is kept under its pending name, since its row points at it, and the next start or restore places it.
    const failed: { file: string; error: string }[] = [];
    for (const p of pending) {
      await renameWithRetry(p, p.slice(0, -PENDING.length)).catch((err: unknown) => failed.push({ file: p, error: err instanceof Error ? err.message : String(err) }));
    }
    if (failed.length) throw new RestoredFilesError(failed);
    return { header, earlier };
  } finally {
    // Not committed: no file of this restore is left under a pending name.
    if (!committed) for (const p of pending) await rm(p, { force: true });
    reader.close();
  }
}
