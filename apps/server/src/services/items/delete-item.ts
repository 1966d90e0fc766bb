import { eq, isNull, and } from 'drizzle-orm';
import { adjudications, codings, comments, items } from '@concord/db';
import type { ItemDeleteResult } from '@concord/shared';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { loadItem, toItem } from './item-record.ts';
import { attachmentFilesOf, removeItemFiles } from '../attachments/attachments.ts';
import type { AttachmentSettings } from '../attachments/store.ts';

/** Whether anyone has worked on the item: a coding, a comment or a decision would be lost with it. */
export async function itemHasWork({ ctx, itemId }: { ctx: ServiceContext; itemId: string }): Promise<boolean> {
  const [coding, comment, decision] = await Promise.all([
    ctx.db.select({ id: codings.id }).from(codings).where(eq(codings.itemId, itemId)).limit(1),
    ctx.db.select({ id: comments.id }).from(comments).where(eq(comments.itemId, itemId)).limit(1),
    ctx.db.select({ id: adjudications.id }).from(adjudications).where(eq(adjudications.itemId, itemId)).limit(1),
  ]);
  return coding.length + comment.length + decision.length > 0;
}

/**
 * Deletes an item nobody has worked on; an item with codings, comments or decisions is
 * archived instead (hidden from lists and rounds, kept in exports, restorable), so deleting
 * never removes work silently. Only an owner's purge removes it for good (purge-item.ts).
 */
export async function deleteItem({ ctx, projectId, itemId, attachmentSettings }: { ctx: ServiceContext; projectId: string; itemId: string; attachmentSettings?: AttachmentSettings }): Promise<ItemDeleteResult> {
  await authorize({ ctx, projectId, action: 'items.write' });
  let files: string[] = [];
  const result = await inTransaction(ctx, async (tx): Promise<ItemDeleteResult> => {
    const before = toItem(await loadItem({ ctx: tx, projectId, itemId }));
    if (await itemHasWork({ ctx: tx, itemId })) {
      if (before.archivedAt === null) {
        await tx.db.update(items).set({ archivedAt: new Date() }).where(and(eq(items.id, itemId), isNull(items.archivedAt)));
        await audit({ ctx: tx, entry: { projectId, entity: 'item', entityId: itemId, action: 'archive', before: { archivedAt: null } } });
      }
      return { ok: true, outcome: 'archived' };
    }
    files = await attachmentFilesOf({ ctx: tx, itemId });
    await tx.db.delete(items).where(eq(items.id, itemId));
    await audit({ ctx: tx, entry: { projectId, entity: 'item', entityId: itemId, action: 'delete', before } });
    return { ok: true, outcome: 'deleted' };
  });
  await removeItemFiles({ ctx, settings: attachmentSettings, paths: files });
  return result;
}
