import { eq } from 'drizzle-orm';
import { items } from '@concord/db';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { loadItem, toItem } from './item-record.ts';

export async function deleteItem(ctx: ServiceContext, projectId: string, itemId: string): Promise<void> {
  await authorize(ctx, projectId, 'items.write');
  await inTransaction(ctx, async (tx) => {
    const before = toItem(await loadItem(tx, projectId, itemId));
    await tx.db.delete(items).where(eq(items.id, itemId));
    await audit(tx, { projectId, entity: 'item', entityId: itemId, action: 'delete', before });
  });
}
