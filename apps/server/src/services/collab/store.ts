/**
 * Durable live documents: an append-only update log plus one compacted snapshot per
 * document. Loading = snapshot + the document's log rows; compaction merges the log into
 * the snapshot and deletes exactly the rows it merged (one compactor per document at a
 * time, across processes: `lockDoc`), so a row that commits late, with a lower id, or that
 * another process appends meanwhile, is never skipped.
 */
import { asc, eq, getTableName, inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { docSnapshots, docUpdates, executeStatement } from '@concord/db';
import type { ServiceContext } from '../context.ts';

export interface StoredDoc {
  /** The snapshot first (when there is one), then the tail in log order. */
  updates: Uint8Array[];
  /** Log rows not yet merged into the snapshot. */
  tailCount: number;
  bytes: number;
}

/**
 * Documents' snapshots and log tails in ONE statement, so both come from one view of the
 * database: read in two, a compaction committing in between (another process unloading the
 * document) left the first read before it and the second after it, and the document loaded
 * empty (neither the old log nor the new snapshot). Rows in apply order per document.
 */
function storedRows(ctx: Pick<ServiceContext, 'db'>, docNames: string[]) {
  return ctx.db
    .select({ name: docSnapshots.docName, update: docSnapshots.state, fromLog: sql<number>`0`.as('from_log'), id: sql<number>`0`.as('id') })
    .from(docSnapshots)
    .where(inArray(docSnapshots.docName, docNames))
    .unionAll(
      ctx.db
        .select({ name: docUpdates.docName, update: docUpdates.update, fromLog: sql<number>`1`.as('from_log'), id: docUpdates.id })
        .from(docUpdates)
        .where(inArray(docUpdates.docName, docNames)),
    )
    .orderBy(sql`from_log`, sql`id`);
}

export async function loadDocUpdates({ ctx, docName }: { ctx: Pick<ServiceContext, 'db'>; docName: string }): Promise<StoredDoc> {
  const rows = await storedRows(ctx, [docName]);
  const updates = rows.map((r) => r.update);
  const tailCount = rows.filter((r) => Number(r.fromLog) === 1).length;
  return { updates, tailCount, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
}

/**
 * Reads a document as stored (snapshot + log, one statement: `storedRows`), in the caller's
 * database or transaction, through a scratch Y.Doc destroyed after `read`.
 */
export async function readStoredDoc<T>({ ctx, docName, read }: { ctx: Pick<ServiceContext, 'db'>; docName: string; read: (doc: Y.Doc) => T }): Promise<T> {
  const stored = await loadDocUpdates({ ctx, docName });
  const doc = new Y.Doc();
  try {
    Y.transact(doc, () => stored.updates.forEach((u) => Y.applyUpdate(doc, u)));
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** The stored states of several documents: name -> updates in apply order. Documents never stored are absent. */
export async function loadManyDocUpdates({ ctx, docNames }: { ctx: Pick<ServiceContext, 'db'>; docNames: readonly string[] }): Promise<Map<string, Uint8Array[]>> {
  const out = new Map<string, Uint8Array[]>();
  for (let i = 0; i < docNames.length; i += 500) {
    for (const r of await storedRows(ctx, docNames.slice(i, i + 500))) {
      if (!out.has(r.name)) out.set(r.name, []);
      out.get(r.name)!.push(r.update);
    }
  }
  return out;
}

/** Appends updates to the log (in the caller's transaction). */
export async function appendDocUpdates({ ctx, input }: { ctx: Pick<ServiceContext, 'db'>; input: { docName: string; itemId: string; updates: Uint8Array[] } }): Promise<void> {
  await appendDocUpdateRows({
    ctx,
    rows: input.updates.map((update) => ({ docName: input.docName, itemId: input.itemId, update })),
  });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** The log append: three text arrays (names, item ids, hex updates), unnested in order. */
const quoted = (name: string) => `"${name}"`;
const APPEND_LOG_ROWS = `insert into ${quoted(getTableName(docUpdates))} (${[docUpdates.docName, docUpdates.itemId, docUpdates.update].map((c) => quoted(c.name)).join(', ')})
  select d, i, decode(u, 'hex')
  from unnest($1::text[], $2::text[], $3::text[]) with ordinality as r(d, i, u, n)
  order by n`;

/**
 * Appends the updates of several documents to the log, in order, in ONE statement (atomic by
 * itself) whatever the number of rows. A multi-row VALUES list through the query builder (a
 * bind parameter per cell) cost about a tenth of the server's CPU under load; and the
 * statement is prepared (`executeStatement`: one round trip and one socket write on
 * PostgreSQL instead of two, the largest single cost of the live documents' commits). Text
 * arrays bind the same way on PostgreSQL and PGlite.
 */
export async function appendDocUpdateRows({ ctx, rows }: { ctx: Pick<ServiceContext, 'db'>; rows: { docName: string; itemId: string; update: Uint8Array }[] }): Promise<void> {
  if (!rows.length) return;
  await executeStatement(ctx.db, APPEND_LOG_ROWS, [rows.map((r) => r.docName), rows.map((r) => r.itemId), rows.map((r) => hex(r.update))]);
}

/**
 * Serializes the transactions that read a document's whole stored state (compaction, the
 * projection with several writers, the first seed) per document and across processes: a
 * transaction-level advisory lock on a hash of the name, released at commit or rollback.
 */
export async function lockDoc({ ctx: tx, docName }: { ctx: Pick<ServiceContext, 'db'>; docName: string }): Promise<void> {
  await tx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`doc:${docName}`}))`);
}

/** Log rows applied per task of a compaction's merge (about 3 ms of CPU: bench/README.md, 2026-12-07 evening). */
export const MERGE_SLICE_UPDATES = 100;

/**
 * A snapshot plus log rows as one state, through a Y.Doc rather than mergeUpdates (so deleted
 * content is garbage-collected). The rows go in slices, one Yjs transaction each, with a turn
 * of the event loop before each (the snapshot's apply is a task of its own): applied one transaction per row in one task, 500 rows were about
 * 28 ms of CPU that every live delivery of the process waited behind.
 */
export async function mergeStoredState(snapshot: Uint8Array | undefined, rows: Uint8Array[]): Promise<Uint8Array> {
  const doc = new Y.Doc();
  try {
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (let i = 0; i < rows.length; i += MERGE_SLICE_UPDATES) {
      await new Promise((resolve) => setImmediate(resolve));
      doc.transact(() => {
        for (const row of rows.slice(i, i + MERGE_SLICE_UPDATES)) Y.applyUpdate(doc, row);
      });
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Merges the snapshot and the log into a new snapshot and deletes the merged rows. */
export async function compactDoc({ ctx, input }: { ctx: Pick<ServiceContext, 'db'>; input: { docName: string; itemId: string } }): Promise<{ merged: number; bytes: number }> {
  return ctx.db.transaction(async (tx) => {
    await lockDoc({ ctx: { db: tx as unknown as ServiceContext['db'] }, docName: input.docName });
    const [snapshot] = await tx.select({ state: docSnapshots.state, upTo: docSnapshots.upTo }).from(docSnapshots).where(eq(docSnapshots.docName, input.docName));
    const tail = await tx
      .select({ id: docUpdates.id, update: docUpdates.update })
      .from(docUpdates)
      .where(eq(docUpdates.docName, input.docName))
      .orderBy(asc(docUpdates.id));
    if (!tail.length) return { merged: 0, bytes: snapshot?.state.byteLength ?? 0 };
    const state = await mergeStoredState(snapshot?.state, tail.map((r) => r.update));
    const upTo = Math.max(snapshot?.upTo ?? 0, tail[tail.length - 1]!.id);
    await tx
      .insert(docSnapshots)
      .values({ docName: input.docName, itemId: input.itemId, state, upTo })
      .onConflictDoUpdate({ target: docSnapshots.docName, set: { state, upTo, updatedAt: new Date() } });
    const ids = tail.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 1000) await tx.delete(docUpdates).where(inArray(docUpdates.id, ids.slice(i, i + 1000)));
    return { merged: tail.length, bytes: state.byteLength };
  });
}
