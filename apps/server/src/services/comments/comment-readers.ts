import { eq } from 'drizzle-orm';
import { projectMembers } from '@concord/db';
import type { Comment } from '@concord/shared';
import { mayReadCommentOf } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { itemCoders } from './item-comments.ts';

/**
 * The members who may list `comment` right now: the rule of listComments (mayReadCommentOf)
 * applied to every member of the project, with the item's current phase. Internal, for
 * delivering a new comment live (the caller is the server, not a member).
 */
export async function commentReaders(ctx: ServiceContext, projectId: string, itemId: string, comment: Comment): Promise<string[]> {
  const item = await loadItem(ctx, projectId, itemId);
  const coders = await itemCoders(ctx, itemId);
  const members = await ctx.db.select({ userId: projectMembers.userId, role: projectMembers.role }).from(projectMembers).where(eq(projectMembers.projectId, projectId));
  return members
    .filter((m) =>
      mayReadCommentOf({
        viewerId: m.userId,
        viewerRole: m.role,
        viewerIsItemCoder: coders.has(m.userId),
        authorId: comment.authorId,
        authorIsItemCoder: comment.authorId === null || coders.has(comment.authorId),
        phase: item.phase,
      }),
    )
    .map((m) => m.userId);
}
