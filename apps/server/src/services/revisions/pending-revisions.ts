/**
 * A start duty: joint sessions that ended while a process died before writing their revised
 * codings (the mark `markRevisionPending` left in the phase change's transaction) are finished
 * here, as the editor who ended them. `reviseFromJointSession` clears each mark in the
 * transaction that writes the revisions and skips an item whose mark is gone, so processes that
 * start together, or a process that was only slow, write them once.
 */
import { eq, ne } from 'drizzle-orm';
import { items, pendingRevisions } from '@concord/db';
import type { ServiceContext } from '../context.ts';
import { reviseFromJointSession } from './revise-from-joint.ts';

export async function finishPendingRevisions({ ctx }: { ctx: ServiceContext }): Promise<{ finished: string[] }> {
  // An item back in a joint session keeps its mark: ending that session writes the revisions
  // (reading the layer now would take the new session's changes as the old one's).
  const pending = await ctx.db
    .select({ itemId: pendingRevisions.itemId, projectId: pendingRevisions.projectId, endedBy: pendingRevisions.endedBy })
    .from(pendingRevisions)
    .innerJoin(items, eq(items.id, pendingRevisions.itemId))
    .where(ne(items.phase, 'joint'));
  for (const p of pending) {
    // Another process may still hold changes of the session it took before the end: stored first.
    await ctx.collab?.itemAccessChanged(p.itemId);
    await reviseFromJointSession({ ctx: { ...ctx, actor: p.endedBy ? { userId: p.endedBy, isAdmin: false } : null }, projectId: p.projectId, itemId: p.itemId });
  }
  return { finished: pending.map((p) => p.itemId) };
}
