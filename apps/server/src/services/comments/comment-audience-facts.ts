import { eq } from 'drizzle-orm';
import { projectMembers } from '@concord/db';
import type { CommentAudienceFacts } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { itemCoders } from './item-comments.ts';

/**
 * What authz's `comment:added` rule needs, read now: every member of the project with their
 * role, the item's coders and its current phase (the answer a list request would get).
 * Internal, for delivering a new comment live (the caller is the server, not a member).
 */
export async function commentAudienceFacts({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<CommentAudienceFacts> {
  const item = await loadItem({ ctx, projectId, itemId });
  const coders = await itemCoders({ ctx, itemId });
  const members = await ctx.db.select({ userId: projectMembers.userId, role: projectMembers.role }).from(projectMembers).where(eq(projectMembers.projectId, projectId));
  return { members, itemCoders: coders, phase: item.phase };
}
