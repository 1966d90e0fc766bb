/**
 * Bulk inserts in the caller's transaction. On PGlite, multi-row INSERTs through the
 * query builder reach ~3,000 rows/s; COPY … FROM '/dev/blob' is several times faster.
 * On PostgreSQL, inside a transaction, `COPY … FROM STDIN` through postgres.js' `writable()`
 * (`copyIn`: postgres.js hangs on a COPY that fails after its stream ended, hence the way it
 * reads the outcome). Outside a transaction (a COPY and the statement that reads its outcome need
 * one connection) rows go as one JSON parameter per batch (`INSERT … SELECT … FROM
 * json_populate_recordset`), pipelined. The query builder's multi-row INSERTs spent about 13 s of
 * CPU on 100,000 items building parameters. Drizzle has no COPY, hence this module. Values go as
 * CSV or JSON text, so column types are those with a text input (text, numbers, timestamps as
 * ISO strings, json); no bytea.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DrizzleQueryError, getTableColumns, getTableName, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';
import { queryRows } from './query-rows.ts';

interface PgliteLike {
  query(sql: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

/** Rows per JSON parameter on PostgreSQL: about 1 MB. */
const JSON_BATCH = 2500;
/** JSON statements sent and not yet answered: the server runs one while the next is built. */
const IN_FLIGHT = 2;
const COPY_CHUNK = 10_000;
/** Bytes of CSV per write to a PostgreSQL COPY stream. */
const COPY_WRITE = 256 * 1024;

const encoder = new TextEncoder();
const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;

/**
 * One COPY chunk's CSV, written as UTF-8 bytes straight into a reused buffer. Building it as a
 * string (a concatenation per cell) left a tree of about 170,000 string pieces per 10,000 rows
 * for the Blob to flatten and encode, and that garbage was a large part of an import's GC.
 */
class CsvBytes {
  bytes = new Uint8Array(1 << 20);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Always quoted: an unquoted empty field is NULL, and `\.` alone on a line ends the data. */
  quoted(text: string): void {
    this.reserve(text.length * 3 + 2);
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = QUOTE;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: let the encoder write the whole cell (quotes doubled).
        const { written } = encoder.encodeInto(text.replaceAll('"', '""'), bytes.subarray(this.length + 1));
        at = this.length + 1 + written;
        break;
      }
      if (c === QUOTE) bytes[at++] = QUOTE;
      bytes[at++] = c;
    }
    bytes[at++] = QUOTE;
    this.length = at;
  }

  /** ASCII text, unquoted (numbers). */
  plain(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
  }

  row(record: Record<string, unknown>, keys: string[]): void {
    for (let k = 0; k < keys.length; k++) {
      if (k) this.byte(COMMA);
      this.value(record[keys[k]!]);
    }
    this.byte(NEWLINE);
  }

  value(v: unknown): void {
    if (v === null || v === undefined) return;
    if (typeof v === 'number' || typeof v === 'bigint') this.plain(String(v));
    else if (typeof v === 'boolean') this.byte(v ? 116 : 102);
    else this.quoted(v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v));
  }
}

function pgliteClient(db: Db): PgliteLike | null {
  const client = (db._.session as unknown as { client?: Partial<PgliteLike> & { unsafe?: unknown } }).client;
  return client && typeof client.query === 'function' && typeof client.exec === 'function' && client.unsafe === undefined ? (client as PgliteLike) : null;
}

export interface BulkInsertOptions {
  /**
   * The caller has verified, in this same transaction, that every referenced row exists.
   * The per-row foreign-key triggers are then skipped for these rows, which halves the
   * insert's time on either database. On PGlite (one connection, so nothing can delete them
   * concurrently) that is all; on PostgreSQL see `checkReferencesOnce`, which also takes the
   * locks those triggers would. Unique and NOT NULL constraints are still enforced.
   */
  referencesVerified?: boolean;
  /**
   * Foreign-key columns (the table's keys, e.g. `itemId`) whose referenced rows this same
   * transaction inserted. On PostgreSQL they are counted but not locked: no other transaction
   * can see such a row, so none can delete it, and locking it again costs a WAL record per row
   * (5,000 link rows: about twice the time of the count alone).
   */
  referencesInsertedHere?: readonly string[];
}

/** `select … for key share` of a set of keys, counted: what the per-row foreign-key triggers do, once (`lock` false: counted only). */
async function foundCount(db: Db, parent: PgTable, column: string, keys: string[], lock: boolean): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with found as (
      select 1 from ${parent} where ${sql.identifier(column)} in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)) ${lock ? sql`for key share` : sql``}
    ) select count(*)::int as n from found`,
  );
  return Number(row!.n);
}


/**
 * On PostgreSQL, the foreign-key checks of a whole bulk insert done as one query per reference
 * instead of a trigger call per row (each an index lookup and a row lock: 1.7 s of the 4.1 s that
 * 100,000 items took, 2.1 s of 3.2 s for their 100,000 incident links). Each referenced key set
 * is locked `FOR KEY SHARE` (as the triggers lock each row, so no other transaction can delete
 * one before this one commits) and counted (only counted: keys of rows this transaction inserted,
 * `referencesInsertedHere`); then the triggers are skipped for this insert
 * (`session_replication_role = replica`, reset after it). Only when that is sound and allowed:
 * every foreign key is one text column, every referenced key exists, the table has no triggers
 * of its own (replica mode would skip them too), and the role may set session_replication_role
 * (a superuser, or PostgreSQL 15's `GRANT SET ON PARAMETER session_replication_role`). Otherwise
 * false, and the triggers run as usual (and raise PostgreSQL's own error for a missing key).
 */
async function checkReferencesOnce(db: Db, table: PgTable, keys: string[], rows: Record<string, unknown>[], insertedHere: readonly string[]): Promise<boolean> {
  const columns = getTableColumns(table);
  const byName = new Map(Object.entries(columns).map(([key, c]) => [c.name, key]));
  const [allowed] = await queryRows<{ superuser: boolean; version: number; triggers: number }>(
    db,
    sql`select current_setting('is_superuser') = 'on' as superuser, current_setting('server_version_num')::int as version,
      (select count(*)::int from pg_trigger where tgrelid = ${getTableName(table)}::regclass and not tgisinternal) as triggers`,
  );
  if (Number(allowed!.triggers) > 0) return false;
  if (allowed!.superuser !== true) {
    if (Number(allowed!.version) < 150000) return false;
    const [granted] = await queryRows<{ ok: boolean }>(db, sql`select has_parameter_privilege('session_replication_role', 'SET') as ok`);
    if (granted!.ok !== true) return false;
  }
  for (const fk of getTableConfig(table).foreignKeys) {
    const ref = fk.reference();
    if (ref.columns.length !== 1 || ref.foreignColumns.length !== 1) return false;
    const [column, foreign] = [ref.columns[0]!, ref.foreignColumns[0]!];
    if (column.getSQLType() !== 'text' || foreign.getSQLType() !== 'text') return false;
    const key = byName.get(column.name)!;
    if (!keys.includes(key)) continue;
    const values = new Set<string>();
    for (const row of rows) {
      const v = row[key];
      if (v !== null && v !== undefined) values.add(v as string);
    }
    if (values.size && (await foundCount(db, ref.foreignTable, foreign.name, [...values], !insertedHere.includes(key))) !== values.size) return false;
  }
  return true;
}

/** The postgres.js side of a transaction: its `unsafe` runs on the transaction's one connection. */
interface PostgresTx {
  unsafe(query: string): PromiseLike<unknown> & { writable(): Promise<Writable>; reject?: (error: unknown) => void };
  savepoint: unknown;
}

/** The postgres.js client of a drizzle transaction (not the pool: a COPY and its follow-up must share a connection). */
function postgresTx(db: Db): PostgresTx | null {
  const client = (db._.session as unknown as { client?: Partial<PostgresTx> }).client;
  return client && typeof client.unsafe === 'function' && typeof client.savepoint === 'function' ? (client as PostgresTx) : null;
}

/**
 * `COPY … FROM STDIN` through postgres.js' `writable()`, the CSV written as bytes a chunk at a time.
 * postgres.js 3.4.9 hangs on a COPY that fails once its stream has ended: the error arrives
 * after `final` handed over, so `finish` never comes, and the query's promise (resolved with the
 * stream) cannot carry it. So this does not wait for `finish`: the server's answer is read from
 * a statement sent after the COPY on the same connection, which runs after the COPY's end; and
 * the COPY's own error (e.g. a unique violation, 23505) is caught from the query's `reject`,
 * which postgres.js still calls. A failure while writing destroys the stream with that error.
 * Either way this rejects, and the transaction (which the caller rolls back) stays failed.
 */
async function copyIn(tx: PostgresTx, statement: string, rows: Record<string, unknown>[], keys: string[]): Promise<void> {
  const query = tx.unsafe(statement);
  let failed: unknown = null;
  const reject = query.reject!;
  query.reject = (error) => {
    failed ??= error;
    reject(error);
  };
  const stream = (await query.writable()) as Writable & { _final(callback: (error?: Error | null) => void): void };
  // postgres.js leaves COPY mode (and takes further statements) in `final`, which runs after the
  // buffered writes are out; `finish` would wait for the COPY's success, so `final` itself is watched.
  const left = new Promise<void>((resolve) => {
    const final = stream._final;
    stream._final = function (callback) {
      final.call(this, callback);
      resolve();
    };
    stream.on('close', resolve);
  });
  stream.on('error', (error) => {
    failed ??= error;
  });
  const csv = new CsvBytes();
  let draining: Promise<unknown> | null = null;
  const flush = async () => {
    // A copy: the stream may hold the bytes until the socket takes them, and the buffer is reused.
    const chunk = csv.bytes.slice(0, csv.length);
    csv.length = 0;
    if (draining) await draining;
    draining = null;
    if (failed) return;
    if (!stream.write(chunk)) draining = once(stream, 'drain').catch(() => undefined);
  };
  for (let r = 0; r < rows.length && !failed; r++) {
    csv.row(rows[r]!, keys);
    if (csv.length >= COPY_WRITE) await flush();
  }
  if (csv.length) await flush();
  if (draining) await draining;
  if (!failed) stream.end();
  await left;
  try {
    await tx.unsafe('select 1');
  } catch (error) {
    failed ??= error;
  }
  // Wrapped as drizzle wraps its statements' errors (the driver's error as `cause`).
  if (failed) throw new DrizzleQueryError(statement, [], failed as Error);
}

export async function bulkInsert<T extends PgTable>(db: Db, table: T, rows: T['$inferInsert'][], options: BulkInsertOptions = {}): Promise<void> {
  if (!rows.length) return;
  const pglite = pgliteClient(db);
  const columns = getTableColumns(table);
  const present = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) present.add(k);
  const keys = [...present].filter((k) => k in columns);
  const names = keys.map((k) => `"${columns[k]!.name}"`).join(', ');
  if (!pglite) {
    const skipTriggers = options.referencesVerified === true && (await checkReferencesOnce(db, table, keys, rows as Record<string, unknown>[], options.referencesInsertedHere ?? []));
    if (skipTriggers) await db.execute(sql`set local session_replication_role = replica`);
    const tx = postgresTx(db);
    if (tx) {
      await copyIn(tx, `COPY "${getTableName(table)}" (${names}) FROM STDIN WITH (FORMAT csv)`, rows as Record<string, unknown>[], keys);
      if (skipTriggers) await db.execute(sql`set local session_replication_role = origin`);
      return;
    }
    const inFlight: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < rows.length; i += JSON_BATCH) {
        if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
        // Built and serialized with no await between, so the records die young (not promoted).
        const json = JSON.stringify(
          rows.slice(i, i + JSON_BATCH).map((row) => {
            const record = row as Record<string, unknown>;
            const out: Record<string, unknown> = {};
            for (const k of keys) out[columns[k]!.name] = record[k] ?? null;
            return out;
          }),
        );
        // Columns not named keep their defaults; the table's row type gives each value its type.
        // Not awaited here: postgres.js pipelines the transaction's statements on its connection.
        const statement = db.execute(sql`insert into ${table} (${sql.raw(names)}) select ${sql.raw(names)} from json_populate_recordset(null::${table}, ${json}::json)`);
        // Drizzle's query runs when its `then` is called: called now, not at the next await.
        inFlight.push(new Promise((resolve, reject) => statement.then(resolve, reject)));
      }
      await Promise.all(inFlight);
    } finally {
      // A failed statement fails the ones after it: every rejection is awaited, none left unhandled.
      await Promise.allSettled(inFlight);
    }
    if (skipTriggers) await db.execute(sql`set local session_replication_role = origin`);
    return;
  }
  const statement = `COPY "${getTableName(table)}" (${names}) FROM '/dev/blob' WITH (FORMAT csv)`;
  if (options.referencesVerified) await pglite.exec('SET LOCAL session_replication_role = replica');
  // Chunks bound the CSV bytes and PGlite's copy of them; one COPY per chunk, same transaction.
  const csv = new CsvBytes();
  for (let i = 0; i < rows.length; i += COPY_CHUNK) {
    csv.length = 0;
    for (let r = i; r < Math.min(i + COPY_CHUNK, rows.length); r++) csv.row(rows[r] as Record<string, unknown>, keys);
    await pglite.query(statement, [], { blob: new Blob([csv.bytes.subarray(0, csv.length)]) });
  }
  if (options.referencesVerified) await pglite.exec('SET LOCAL session_replication_role = origin');
}
