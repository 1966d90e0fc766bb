import { eq } from 'drizzle-orm';
import { items } from '@concord/db';
import type { Item, Phase } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem, toItem } from './item-record.ts';

/** Editors open a joint session, reveal, or send an item back to independent coding. */
export async function setItemPhase(ctx: ServiceContext, projectId: string, itemId: string, phase: Phase): Promise<Item> {
  await authorize(ctx, projectId, 'phase.manage');
  const before = await loadItem(ctx, projectId, itemId);
  await ctx.db
    .update(items)
    .set({ phase, revealedAt: phase === 'revealed' ? new Date() : null, updatedAt: new Date() })
    .where(eq(items.id, itemId));
  // Open live documents follow the new phase: readers who lost access are disconnected.
  await ctx.collab?.itemAccessChanged(itemId);
  if (before.phase !== phase) ctx.events?.publish({ type: 'item.phaseChanged', projectId, itemId, from: before.phase, to: phase });
  return toItem({ ...before, phase });
}
