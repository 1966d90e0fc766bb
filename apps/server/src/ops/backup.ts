/**
 * `concord backup FILE`: every table of the public schema (accounts, projects, codings, the
 * audit log, the live documents' `doc_updates` and `doc_snapshots`, …) from one
 * REPEATABLE READ, read-only transaction, so the file is one consistent moment even while a
 * PostgreSQL server keeps writing. Rows stream through a cursor; memory stays flat. With
 * CONCORD_ATTACHMENTS_DIR, the files of the attachment rows in that snapshot follow the rows,
 * each checked against its row's SHA-256 as it is read (a missing or changed file stops the backup).
 */
import { createHash } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { appliedMigrationLevel, migrationFiles, queryRows, type Database, type Db } from '@concord/db';
import { BACKUP_FORMAT, BACKUP_VERSION, BACKUP_VERSION_WITH_FILES, BackupFileError, FILE_PART_BYTES, writeBackupFile, type BackupHeader, type BackupTable, type BackupWriter } from './backup-file.ts';

const FETCH_ROWS = 500;

/** The tables of the public schema and their columns (generated columns left out), by name. */
export async function publicTables(db: Pick<Db, 'execute'>): Promise<{ name: string; columns: string[] }[]> {
  const rows = await queryRows<{ table_name: string; column_name: string }>(
    db,
    sql`select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
        order by c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  return [...tables].map(([name, columns]) => ({ name, columns }));
}

/** Tables ordered so that every table comes after the tables its foreign keys reference. */
async function parentsFirst(tx: Pick<Db, 'execute'>, names: string[]): Promise<string[]> {
  const edges = await queryRows<{ child: string; parent: string }>(
    tx,
    sql`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent from pg_constraint c
        where c.contype = 'f' and c.connamespace = 'public'::regnamespace`,
  );
  const unquote = (n: string) => n.replace(/^"|"$/g, '');
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const e of edges) if (unquote(e.child) !== unquote(e.parent)) parents.get(unquote(e.child))?.add(unquote(e.parent));
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const p of parents.get(name) ?? []) if (parents.has(p)) visit(p, path);
    ordered.push(name);
  };
  for (const n of names) visit(n, new Set());
  return ordered;
}

/** The migration the database is at, as the committed files name it; refuses a database this version does not know. */
export async function currentMigration(db: Pick<Db, 'execute'>): Promise<BackupHeader['migration']> {
  const level = await appliedMigrationLevel(db);
  const file = migrationFiles().find((f) => f.createdAt === level);
  if (level === null) throw new BackupFileError('the database has no Concord schema (no migrations applied): nothing to back up');
  if (!file) throw new BackupFileError(`the database is at a migration this Concord does not know (created_at ${level}): use the Concord version that wrote it`);
  return { tag: file.tag, createdAt: file.createdAt, hash: file.hash };
}

interface StoredFile {
  id: string;
  path: string;
  sha256: string;
  size: number;
}

/** The attachment rows whose bytes are in the directory (`path` set), in the snapshot. */
async function storedFiles(tx: Pick<Db, 'execute'>, dir: string | null): Promise<StoredFile[]> {
  const rows = await queryRows<{ id: string; path: string; sha256: string; size: string | number }>(
    tx,
    sql`select id, path, sha256, size from attachments where path is not null order by id`,
  );
  if (rows.length && !dir) throw new Error(`${rows.length} attachment(s) are stored in a directory: set CONCORD_ATTACHMENTS_DIR to it, so the backup holds their files`);
  return rows.map((r) => ({ ...r, size: Number(r.size) }));
}

/** Writes one attachment file's records, its bytes checked against the row. */
async function writeFileRecords(out: BackupWriter, dir: string, f: StoredFile): Promise<void> {
  const where = path.join(dir, path.basename(f.path));
  let bytes: Buffer;
  try {
    bytes = await readFile(where);
  } catch (err) {
    throw new Error(`attachment ${f.id}: its file ${where} cannot be read (${(err as Error).message})`, { cause: err });
  }
  if (createHash('sha256').update(bytes).digest('hex') !== f.sha256 || bytes.length !== f.size) {
    throw new Error(`attachment ${f.id}: its file ${where} does not match the SHA-256 and size stored with it (changed or damaged on disk)`);
  }
  const parts = Math.max(1, Math.ceil(bytes.length / FILE_PART_BYTES));
  await out.line(JSON.stringify({ attachment: f.id, sha256: f.sha256, size: f.size, parts }));
  for (let p = 0; p < parts; p++) await out.line(JSON.stringify({ data: bytes.subarray(p * FILE_PART_BYTES, (p + 1) * FILE_PART_BYTES).toString('base64') }));
}

export async function backupDatabase(database: Database, file: string, options: { attachmentsDir?: string | null } = {}): Promise<BackupHeader> {
  const partial = `${file}.partial`;
  // A leftover of a killed run (or anything planted there) goes first: the file is created anew (writeBackupFile).
  await rm(partial, { force: true });
  try {
    const header = await database.db.transaction(
      async (tx) => {
        const migration = await currentMigration(tx);
        const tables: BackupTable[] = [];
        const all = await publicTables(tx);
        // Parents before children: restore inserts rows as it reads them, foreign keys checked.
        const order = await parentsFirst(tx, all.map((t) => t.name));
        for (const t of order.map((name) => all.find((a) => a.name === name)!)) {
          const [count] = await queryRows<{ n: string | number }>(tx, sql`select count(*) as n from ${sql.identifier(t.name)}`);
          tables.push({ ...t, rows: Number(count!.n) });
        }
        const files = all.some((t) => t.name === 'attachments') ? await storedFiles(tx, options.attachmentsDir ?? null) : [];
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: files.length ? BACKUP_VERSION_WITH_FILES : BACKUP_VERSION,
          createdAt: new Date().toISOString(),
          source: database.kind,
          migration,
          tables,
          ...(files.length ? { files: { count: files.length, bytes: files.reduce((n, f) => n + f.size, 0) } } : {}),
        };
        const out = writeBackupFile(partial);
        await out.line(JSON.stringify(header));
        for (const t of tables) {
          const columns = sql.join(t.columns.map((c) => sql.identifier(c)), sql`, `);
          await tx.execute(sql`declare concord_backup no scroll cursor for select row_to_json(r)::text as j from (select ${columns} from ${sql.identifier(t.name)}) r`);
          let written = 0;
          for (;;) {
            const rows = await queryRows<{ j: string }>(tx, sql.raw(`fetch ${FETCH_ROWS} from concord_backup`));
            for (const r of rows) await out.line(r.j);
            written += rows.length;
            if (rows.length < FETCH_ROWS) break;
          }
          await tx.execute(sql`close concord_backup`);
          // Same snapshot as the count, so they agree; a difference would be a bug worth stopping for.
          if (written !== t.rows) throw new Error(`table ${t.name}: counted ${t.rows} rows but read ${written}`);
        }
        for (const f of files) await writeFileRecords(out, options.attachmentsDir!, f);
        await out.finish();
        return header;
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    await rename(partial, file);
    return header;
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}
