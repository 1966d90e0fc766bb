import { eq } from 'drizzle-orm';
import { adjudications } from '@concord/db';
import type { Adjudication } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { adjudicationOf, auditState, toAdjudication, versionNumber } from './adjudication-row.ts';

/**
 * Reopens a decision: it leaves the gold dataset until decided again. The last value
 * and rationale stay on the row (and every step stays in the audit log).
 */
export async function reopenAdjudication({ ctx, projectId, itemId, fieldKey }: { ctx: ServiceContext; projectId: string; itemId: string; fieldKey: string }): Promise<Adjudication> {
  await authorize({ ctx, projectId, action: 'adjudications.write' });
  await loadItem({ ctx, projectId, itemId });
  return inTransaction(ctx, async (tx) => {
    const before = await adjudicationOf({ ctx: tx, itemId, fieldKey, lock: true });
    if (!before) throw notFound(`adjudication of "${fieldKey}"`);
    if (before.status === 'reopened') throw new AppError('CONFLICT', `the adjudication of "${fieldKey}" is already reopened`);
    const [after] = await tx.db.update(adjudications).set({ status: 'reopened' }).where(eq(adjudications.id, before.id)).returning();
    await audit({ ctx: tx, entry: { projectId, entity: 'adjudication', entityId: `${itemId}:${fieldKey}`, action: 'reopen', before: auditState(before), after: auditState(after!) } });
    tx.events?.publish({ type: 'adjudication.changed', projectId, itemId, fieldKey, status: 'reopened' });
    return toAdjudication(after!, await versionNumber({ ctx: tx, versionId: after!.codebookVersionId }));
  });
}
