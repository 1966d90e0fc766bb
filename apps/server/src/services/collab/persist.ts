/**
 * One persisted batch of a live document: the frozen check, the log append and (for coding
 * documents) the codings projection, in one transaction. Nothing of a batch is relayed to
 * other clients before this commits.
 */
import { and, eq } from 'drizzle-orm';
import { assignments, items } from '@concord/db';
import type { DocName } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { codingFrozenReason } from './access.ts';
import { projectCodingValues, type InvalidValue } from './projection.ts';
import { APPEND_CHUNK, appendDocUpdateRows, appendDocUpdates } from './store.ts';

export async function persistDocBatch(
  ctx: ServiceContext,
  input: { name: string; doc: DocName; updates: Uint8Array[]; codingValues: () => Record<string, unknown> },
): Promise<{ invalid: InvalidValue[] }> {
  const { doc } = input;
  return inTransaction(ctx, async (tx) => {
    if (doc.kind === 'item') {
      await appendDocUpdates(tx, { docName: input.name, itemId: doc.itemId, updates: input.updates });
      return { invalid: [] };
    }
    // Lock the assignment so a concurrent submit either precedes this batch (and freezes it) or follows it.
    const [assignment] = await tx.db
      .select({ submittedAt: assignments.submittedAt })
      .from(assignments)
      .where(and(eq(assignments.itemId, doc.itemId), eq(assignments.coderId, doc.coderId)))
      .for('update');
    const [item] = await tx.db.select({ projectId: items.projectId, phase: items.phase }).from(items).where(eq(items.id, doc.itemId)).for('share');
    if (!assignment || !item) throw new AppError('FORBIDDEN', 'the coder is no longer assigned to this item');
    const frozen = codingFrozenReason(item.phase, assignment.submittedAt);
    if (frozen) throw new AppError('CONFLICT', frozen);
    await appendDocUpdates(tx, { docName: input.name, itemId: doc.itemId, updates: input.updates });
    return projectCodingValues({ ...tx, actor: { userId: doc.coderId, isAdmin: false } }, {
      projectId: item.projectId,
      itemId: doc.itemId,
      coderId: doc.coderId,
      values: input.codingValues(),
    });
  });
}

export interface ItemDocBatch {
  name: string;
  itemId: string;
  updates: Uint8Array[];
}

/**
 * The batches of several item documents in one commit (group commit): item documents need
 * no checks beyond the connection's access, so they share one INSERT (one transaction when
 * there are more than APPEND_CHUNK rows) instead of one transaction per document per batch.
 */
export async function persistItemDocBatches(ctx: ServiceContext, batches: ItemDocBatch[]): Promise<void> {
  const rows = batches.flatMap((b) => b.updates.map((update) => ({ docName: b.name, itemId: b.itemId, update })));
  if (!rows.length) return;
  // One INSERT statement is atomic by itself; BEGIN/COMMIT around it cost PGlite ~2.5 ms per commit.
  if (rows.length <= APPEND_CHUNK) await appendDocUpdateRows(ctx, rows);
  else await inTransaction(ctx, (tx) => appendDocUpdateRows(tx, rows));
}
