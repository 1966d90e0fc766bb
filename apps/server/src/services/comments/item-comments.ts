import { asc, eq } from 'drizzle-orm';
import { assignments, comments, users } from '@concord/db';
import type { Comment } from '@concord/shared';
import { iso, type ServiceContext } from '../context.ts';

/** The item's assigned coders: whose comments stay private while the item is independent. */
export async function itemCoders({ ctx, itemId }: { ctx: ServiceContext; itemId: string }): Promise<Set<string>> {
  const rows = await ctx.db.select({ coderId: assignments.coderId }).from(assignments).where(eq(assignments.itemId, itemId));
  return new Set(rows.map((r) => r.coderId));
}

/** Every comment of the item, oldest first, with its author's name. Internal: callers authorize and filter. */
export async function loadItemComments({ ctx, itemId }: { ctx: ServiceContext; itemId: string }): Promise<Comment[]> {
  const rows = await ctx.db
    .select({ row: comments, authorName: users.name })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(eq(comments.itemId, itemId))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  return rows.map(({ row, authorName }) => ({
    id: row.id,
    projectId: row.projectId,
    itemId: row.itemId,
    fieldKey: row.fieldKey,
    authorId: row.authorId,
    authorName: authorName ?? null,
    body: row.body,
    mentions: row.mentions,
    createdAt: iso(row.createdAt)!,
  }));
}
