import { eq } from 'drizzle-orm';
import { items } from '@concord/db';
import type { Item } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { loadItem, toItem } from './item-record.ts';

/** Brings an archived item back into lists and rounds, with all its work. */
export async function restoreItem({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<Item> {
  await authorize({ ctx, projectId, action: 'items.write' });
  return inTransaction(ctx, async (tx) => {
    const before = await loadItem({ ctx: tx, projectId, itemId });
    if (!before.archivedAt) throw new AppError('CONFLICT', 'the item is not archived');
    await tx.db.update(items).set({ archivedAt: null }).where(eq(items.id, itemId));
    await audit({ ctx: tx, entry: { projectId, entity: 'item', entityId: itemId, action: 'restore', before: { archivedAt: before.archivedAt.toISOString() } } });
    return toItem({ ...before, archivedAt: null });
  });
}
