import { eq } from 'drizzle-orm';
import { items } from '@concord/db';
import type { Item, Phase } from '@concord/shared';
import { leaveIndependence } from '../assignments/independence.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { markRevisionPending, reviseFromJointSession } from '../revisions/revise-from-joint.ts';
import { loadItem, toItem } from './item-record.ts';

/**
 * Editors open a joint session, reveal, or send an item back to independent coding. Leaving
 * independence early ends it for the coders who have not submitted (assignments/independence.ts);
 * leaving a joint session revises a production round's codings (revisions/revise-from-joint.ts):
 * the phase change marks the revision pending in its transaction, so a restart finishes it
 * (revisions/pending-revisions.ts) if this process dies before the revisions are written.
 */
export async function setItemPhase({ ctx, projectId, itemId, phase, options = {} }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  phase: Phase;
  options?: { confirmExcludeLate?: boolean };
}): Promise<Item> {
  await authorize({ ctx, projectId, action: 'phase.manage' });
  const before = await loadItem({ ctx, projectId, itemId });
  const endsJointSession = before.phase === 'joint' && phase !== 'joint';
  await inTransaction(ctx, async (tx) => {
    await leaveIndependence({ ctx: tx, projectId, itemId, move: { from: before.phase, to: phase, confirmExcludeLate: options.confirmExcludeLate ?? false } });
    await tx.db
      .update(items)
      .set({ phase, revealedAt: phase === 'revealed' ? new Date() : null, updatedAt: new Date() })
      .where(eq(items.id, itemId));
    if (endsJointSession) await markRevisionPending({ ctx: tx, projectId, itemId });
  });
  // Open live documents follow the new phase: readers who lost access are disconnected, and
  // what they wrote before is stored, on every process.
  await ctx.collab?.itemAccessChanged(itemId);
  // Ending a production round's joint session: the joint layer becomes the revised codings.
  if (endsJointSession) await reviseFromJointSession({ ctx, projectId, itemId });
  if (before.phase !== phase) ctx.events?.publish({ type: 'item.phaseChanged', projectId, itemId, from: before.phase, to: phase });
  return toItem({ ...before, phase });
}
