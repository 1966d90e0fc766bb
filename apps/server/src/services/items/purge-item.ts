import { count, eq } from 'drizzle-orm';
import { adjudications, codings, comments, items } from '@concord/db';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { loadItem, toItem } from './item-record.ts';
import { attachmentFilesOf, removeItemFiles } from '../attachments/attachments.ts';
import type { AttachmentSettings } from '../attachments/store.ts';

/**
 * Removes an archived item for good, with its codings, comments and decisions: the owner's
 * alone, only once archived, and only when the request repeats the item's id. The audit entry
 * keeps the item and how much work went with it.
 */
export async function purgeItem({ ctx, projectId, itemId, input, attachmentSettings }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  input: { confirmItemId: string };
  attachmentSettings?: AttachmentSettings;
}): Promise<void> {
  await authorize({ ctx, projectId, action: 'items.purge' });
  const files = await inTransaction(ctx, async (tx) => {
    const record = await loadItem({ ctx: tx, projectId, itemId });
    if (!record.archivedAt) throw new AppError('CONFLICT', 'only an archived item can be purged: delete (archive) it first');
    if (input.confirmItemId !== itemId) {
      const message = 'confirmItemId must repeat the id of the item to purge';
      throw new AppError('VALIDATION_FAILED', message, [{ path: ['confirmItemId'], message }]);
    }
    const tally = async (table: typeof codings | typeof comments | typeof adjudications) =>
      (await tx.db.select({ n: count() }).from(table).where(eq(table.itemId, itemId)))[0]?.n ?? 0;
    const removed = { codings: await tally(codings), comments: await tally(comments), decisions: await tally(adjudications) };
    const paths = await attachmentFilesOf({ ctx: tx, itemId });
    await tx.db.delete(items).where(eq(items.id, itemId));
    await audit({ ctx: tx, entry: { projectId, entity: 'item', entityId: itemId, action: 'purge', before: { item: toItem(record), removed } } });
    return paths;
  });
  await removeItemFiles({ ctx, settings: attachmentSettings, paths: files });
}
