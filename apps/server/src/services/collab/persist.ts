/**
 * Storing live documents' batches, the service side of collab/persistence.ts (the one path
 * every update takes to the database: apps/server/src/collab/INTERNALS.md). Both kinds end
 * in the same append (`appendDocUpdateRows`); they differ in what must hold with it:
 *
 * - item documents need no check beyond the connection's access, so the batches of several
 *   documents share one statement (`persistItemDocBatches`, the group commit);
 * - a coding document's batch is one transaction with the frozen check and the codings
 *   projection (`persistCodingDocBatch`).
 *
 * With several server processes (`fromStore`), a process's Y.Doc may lack another process's
 * latest batch, so the projected values are computed from the stored state (snapshot + log,
 * this batch included) under the document's advisory lock: the last commit always projects
 * the merged document.
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { assignments, items } from '@concord/db';
import { CODING_DOC, type CodingValue, type DocName } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { codingFrozenReason } from './access.ts';
import { codingRowValues, projectCodingValues, type InvalidValue } from './projection.ts';
import { appendDocUpdateRows, appendDocUpdates, loadDocUpdates, lockDoc, readStoredDoc, type StoredDoc } from './store.ts';

type CodingDocName = Extract<DocName, { kind: 'coding' }>;

/** One batch of a coding document: the frozen check, the log append and the projection, in one transaction. */
export async function persistCodingDocBatch({ ctx, input }: {
  ctx: ServiceContext;
  input: {
    name: string;
    doc: CodingDocName;
    updates: Uint8Array[];
    /** The values after this batch in the caller's Y.Doc (one process: it holds every update). */
    codingValues: () => Record<string, unknown>;
    /** Project the stored state instead (several processes write the document). */
    fromStore?: boolean;
  };
}): Promise<{ invalid: InvalidValue[] }> {
  const { doc } = input;
  return inTransaction(ctx, async (tx) => {
    // Before any other lock, so compaction and the other processes' batches of this document queue here.
    if (input.fromStore) await lockDoc({ ctx: tx, docName: input.name });
    // Lock the assignment so a concurrent submit either precedes this batch (and freezes it) or follows it.
    const [assignment] = await tx.db
      .select({ submittedAt: assignments.submittedAt, reopenedAt: assignments.reopenedAt })
      .from(assignments)
      .where(and(eq(assignments.itemId, doc.itemId), eq(assignments.coderId, doc.coderId)))
      .for('update');
    const [item] = await tx.db.select({ projectId: items.projectId, phase: items.phase }).from(items).where(eq(items.id, doc.itemId)).for('share');
    if (!assignment || !item) throw new AppError('FORBIDDEN', 'the coder is no longer assigned to this item');
    const frozen = codingFrozenReason(item.phase, assignment);
    if (frozen) throw new AppError('CONFLICT', frozen);
    await appendDocUpdates({ ctx: tx, input: { docName: input.name, itemId: doc.itemId, updates: input.updates } });
    const values = input.fromStore ? await storedCodingValues({ ctx: tx, docName: input.name }) : input.codingValues();
    return projectCodingValues({ ctx: { ...tx, actor: { userId: doc.coderId, isAdmin: false } }, input: {
      projectId: item.projectId,
      itemId: doc.itemId,
      coderId: doc.coderId,
      values,
    } });
  });
}

/** A coding document's values as stored (snapshot + log), read in the caller's transaction. */
export function storedCodingValues({ ctx, docName }: { ctx: Pick<ServiceContext, 'db'>; docName: string }): Promise<Record<string, unknown>> {
  return readStoredDoc({ ctx, docName, read: (doc) => doc.getMap(CODING_DOC.values).toJSON() });
}

/**
 * A document's stored state, to load it. A coding document without history starts from the
 * coder's existing rows (codings made before live documents, or through an import).
 */
export async function loadLiveDoc({ ctx, name, doc }: { ctx: ServiceContext; name: string; doc: DocName }): Promise<StoredDoc> {
  const stored = await loadDocUpdates({ ctx, docName: name });
  if (doc.kind !== 'coding' || stored.updates.length) return stored;
  const values = await codingRowValues({ ctx, itemId: doc.itemId, coderId: doc.coderId });
  if (!Object.keys(values).length) return stored;
  const { seeded, stored: late } = await seedCodingDoc(ctx, { name, itemId: doc.itemId, seed: () => encodeValues(values) });
  // Another process may have seeded (or written) it meanwhile: then its state is loaded.
  const updates = seeded ? [seeded] : late;
  return { updates, tailCount: updates.length, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
}

function encodeValues(values: Record<string, CodingValue>): Uint8Array {
  const scratch = new Y.Doc();
  const map = scratch.getMap(CODING_DOC.values);
  Y.transact(scratch, () => Object.entries(values).forEach(([k, v]) => map.set(k, v)));
  const seed = Y.encodeStateAsUpdate(scratch);
  scratch.destroy();
  return seed;
}

/**
 * The first state of a coding document without history, seeded from the coder's rows: stored
 * once, under the document's lock, so two processes opening it at the same time agree on one
 * seed. Returns the stored updates when the document turned out to have history after all.
 */
async function seedCodingDoc(
  ctx: ServiceContext,
  input: { name: string; itemId: string; seed: () => Uint8Array | null },
): Promise<{ seeded: Uint8Array | null; stored: Uint8Array[] }> {
  return inTransaction(ctx, async (tx) => {
    await lockDoc({ ctx: tx, docName: input.name });
    const stored = await loadDocUpdates({ ctx: tx, docName: input.name });
    if (stored.updates.length) return { seeded: null, stored: stored.updates };
    const seed = input.seed();
    if (seed) await appendDocUpdates({ ctx: tx, input: { docName: input.name, itemId: input.itemId, updates: [seed] } });
    return { seeded: seed, stored: [] };
  });
}

export interface ItemDocBatch {
  name: string;
  itemId: string;
  updates: Uint8Array[];
}

/**
 * The batches of several item documents in one commit (group commit): one INSERT statement,
 * atomic by itself (BEGIN/COMMIT around it cost PGlite ~2.5 ms per commit), instead of one
 * transaction per document per batch.
 */
export async function persistItemDocBatches({ ctx, batches }: { ctx: ServiceContext; batches: ItemDocBatch[] }): Promise<void> {
  await appendDocUpdateRows({
    ctx,
    rows: batches.flatMap((b) => b.updates.map((update) => ({ docName: b.name, itemId: b.itemId, update }))),
  });
}
