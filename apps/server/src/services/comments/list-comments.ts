import type { Comment } from '@concord/shared';
import { authorize, mayReadCommentOf } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { itemCoders, loadItemComments } from './item-comments.ts';

/** The discussion of an item (optionally of one field) that the caller may read: see mayReadCommentOf. */
export async function listComments({ ctx, projectId, itemId, query }: { ctx: ServiceContext; projectId: string; itemId: string; query: { field?: string | undefined } }): Promise<Comment[]> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'items.read' });
  const item = await loadItem({ ctx, projectId, itemId });
  const coders = await itemCoders({ ctx, itemId });
  const viewerIsItemCoder = coders.has(actor.userId);
  return (await loadItemComments({ ctx, itemId })).filter(
    (c) =>
      (query.field === undefined || c.fieldKey === query.field) &&
      mayReadCommentOf({
        viewerId: actor.userId,
        viewerRole: role,
        viewerIsItemCoder,
        authorId: c.authorId,
        authorIsItemCoder: c.authorId === null || coders.has(c.authorId),
        phase: item.phase,
      }),
  );
}
