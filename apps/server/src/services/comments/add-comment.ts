import { eq } from 'drizzle-orm';
import { comments, users } from '@concord/db';
import { newId, type Comment, type CommentInput } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';

/** Adds a comment to an item's discussion, or to the thread of one of its fields. */
export async function addComment(ctx: ServiceContext, projectId: string, itemId: string, input: CommentInput): Promise<Comment> {
  const { actor } = await authorize(ctx, projectId, 'comments.write');
  await loadItem(ctx, projectId, itemId);
  if (input.fieldKey !== null) {
    const codebook = await loadCodebook(ctx, projectId);
    if (!codebook.fields.some((f) => f.key === input.fieldKey)) {
      throw new AppError('VALIDATION_FAILED', `unknown field "${input.fieldKey}"`, [{ path: ['fieldKey'], message: `unknown field "${input.fieldKey}"` }]);
    }
  }
  const [row] = await ctx.db
    .insert(comments)
    .values({ id: newId('comment'), projectId, itemId, fieldKey: input.fieldKey, authorId: actor.userId, body: input.body })
    .returning();
  const [author] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
  const comment: Comment = {
    id: row!.id,
    itemId,
    fieldKey: row!.fieldKey,
    authorId: actor.userId,
    authorName: author?.name ?? null,
    body: row!.body,
    createdAt: row!.createdAt.toISOString(),
  };
  // Who hears of it is decided by the subscriber with the same rule as listComments.
  ctx.events?.publish({ type: 'comment.added', projectId, itemId, comment });
  return comment;
}
