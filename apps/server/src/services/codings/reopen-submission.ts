/**
 * An editor reopens one coder's submission (issue 13, item 4): her coding becomes editable
 * again, with a reason in the audit log. Independence holds only while the item stayed
 * independent: once it was in a joint session or revealed, she may have seen the others'
 * values, so her assignment and codings stop being blind for good (left out of reliability).
 * The same once she was shown gold for the item (her calibration feedback, open to her from
 * her submission on): what she changes then may follow the answer key, not her own reading.
 */
import { and, eq } from 'drizzle-orm';
import { assignments, codings, items } from '@concord/db';
import type { ReopenSubmissionInput, ReopenSubmissionResult } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { goldShownToItemCoders } from '../calibration/gold.ts';

export async function reopenSubmission({ ctx, projectId, itemId, coderId, input }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  coderId: string;
  input: ReopenSubmissionInput;
}): Promise<ReopenSubmissionResult> {
  await authorize({ ctx, projectId, action: 'codings.reopen' });
  await loadItem({ ctx, projectId, itemId });
  const result = await inTransaction(ctx, async (tx) => {
    const [assignment] = await tx.db
      .select()
      .from(assignments)
      .where(and(eq(assignments.itemId, itemId), eq(assignments.coderId, coderId)))
      .for('update');
    if (!assignment) throw notFound('assignment of this coder to the item');
    if (!assignment.submittedAt) throw new AppError('CONFLICT', 'this coder has not submitted the item; there is nothing to reopen');
    // Read under the lock, so a phase change either precedes (and counts) or follows this reopening.
    const [item] = await tx.db.select({ phase: items.phase }).from(items).where(eq(items.id, itemId)).for('share');
    const phase = item!.phase;
    // Read in this transaction: gold imported from now on is only shown after her next submission.
    const goldShown = await goldShownToItemCoders({ ctx: tx, projectId, itemId, phase });
    const blind = assignment.blind && phase === 'independent' && !goldShown;
    const now = new Date();
    await tx.db.update(assignments).set({ submittedAt: null, reopenedAt: now, blind }).where(eq(assignments.id, assignment.id));
    await tx.db
      .update(codings)
      .set({ status: 'draft', submittedAt: null, blind, updatedAt: now })
      .where(and(eq(codings.itemId, itemId), eq(codings.coderId, coderId)));
    await audit({ ctx: tx, entry: {
      projectId,
      entity: 'item',
      entityId: itemId,
      action: 'submission-reopened',
      before: { coderId, submittedAt: iso(assignment.submittedAt), blind: assignment.blind },
      after: { coderId, reason: input.reason, phase, goldShown, blind },
    } });
    // Dashboards and exports read submitted codings: hers are drafts again.
    tx.events?.publish({ type: 'codings.changed', projectId, coderId, phase });
    return { itemId, coderId, phase, blind };
  });
  // Her coding document is writable again.
  await ctx.collab?.itemAccessChanged(itemId);
  return result;
}
