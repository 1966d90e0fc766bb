import { and, asc, eq, exists, isNull } from 'drizzle-orm';
import { assignments, codings, items } from '@concord/db';
import type { Queue, QueueQuery, QueueStatus } from '@concord/shared';
import { authorize, authorizeCoderFilter } from '../authz.ts';
import { iso, type ServiceContext } from '../context.ts';
import { itemRowColumns } from '../items/item-row-columns.ts';

/**
 * One coder's queue: her assigned items in project order with where she stands on each.
 * Coders read their own; managers any member's (the same rule as filtering items by coder).
 */
export async function getQueue({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: QueueQuery }): Promise<Queue> {
  const caller = await authorize({ ctx, projectId, action: 'assignments.read' });
  const coderId = query.coder ?? caller.actor.userId;
  authorizeCoderFilter(caller, coderId);
  const rows = await ctx.db
    .select({
      ...itemRowColumns,
      submittedAt: assignments.submittedAt,
      blind: assignments.blind,
      started: exists(
        ctx.db
          .select({ one: codings.id })
          .from(codings)
          .where(and(eq(codings.itemId, assignments.itemId), eq(codings.coderId, assignments.coderId))),
      ),
    })
    .from(assignments)
    .innerJoin(items, eq(items.id, assignments.itemId))
    .where(and(eq(assignments.projectId, projectId), eq(assignments.coderId, coderId), isNull(items.archivedAt)))
    .orderBy(asc(items.seq));
  const counts: Record<QueueStatus, number> = { todo: 0, in_progress: 0, submitted: 0 };
  const entries = rows.map(({ submittedAt, started, ...row }) => {
    const status: QueueStatus = submittedAt ? 'submitted' : started ? 'in_progress' : 'todo';
    counts[status]++;
    return { ...row, incidentId: row.incidentIds[0] ?? null, archivedAt: null, publishedAt: iso(row.publishedAt), status };
  });
  return { coderId, entries, counts };
}
