import { eq } from 'drizzle-orm';
import { comments, projectMembers, users } from '@concord/db';
import { mentionHandles, newId, resolveMentions, type Comment, type CommentInput } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';

/**
 * Adds a comment to an item's discussion, or to the thread of one of its fields. `@handle`s
 * naming project members (see mentions.ts in @concord/shared) are stored as `mentions`.
 */
export async function addComment({ ctx, projectId, itemId, input }: { ctx: ServiceContext; projectId: string; itemId: string; input: CommentInput }): Promise<Comment> {
  const { actor } = await authorize({ ctx, projectId, action: 'comments.write' });
  await loadItem({ ctx, projectId, itemId });
  if (input.fieldKey !== null) {
    const codebook = await loadCodebook({ ctx, projectId });
    if (!codebook.fields.some((f) => f.key === input.fieldKey)) {
      throw new AppError('VALIDATION_FAILED', `unknown field "${input.fieldKey}"`, [{ path: ['fieldKey'], message: `unknown field "${input.fieldKey}"` }]);
    }
  }
  const members = await ctx.db
    .select({ userId: users.id, email: users.email, name: users.name })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, projectId));
  const mentions = mentionHandles(input.body).length ? resolveMentions(input.body, members) : [];
  const [row] = await ctx.db
    .insert(comments)
    .values({ id: newId('comment'), projectId, itemId, fieldKey: input.fieldKey, authorId: actor.userId, body: input.body, mentions })
    .returning();
  const comment: Comment = {
    id: row!.id,
    projectId,
    itemId,
    fieldKey: row!.fieldKey,
    authorId: actor.userId,
    authorName: members.find((m) => m.userId === actor.userId)?.name ?? null,
    body: row!.body,
    mentions: row!.mentions,
    createdAt: row!.createdAt.toISOString(),
  };
  // Who hears of it is decided by the subscriber with the same rule as listComments.
  ctx.events?.publish({ type: 'comment.added', projectId, itemId, comment });
  return comment;
}
