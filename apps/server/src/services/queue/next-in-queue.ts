import { and, asc, eq, gt, isNull, ne } from 'drizzle-orm';
import { assignments, items } from '@concord/db';
import type { Item, QueueNextQuery } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem, toItem } from '../items/items.ts';
import { incidentIdsColumn } from '../items/item-incidents.ts';

/**
 * The caller's next unsubmitted item in queue (project) order: the first after `after`,
 * else the first from the start (the queue wraps, so `n` finds items skipped earlier),
 * never `after` itself, never a revealed (frozen) item. Null when nothing is left to code.
 */
export async function nextInQueue({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: QueueNextQuery }): Promise<Item | null> {
  const { actor } = await authorize({ ctx, projectId, action: 'items.read' });
  const from = query.after ? await loadItem({ ctx, projectId, itemId: query.after }) : null;
  const next = (afterSeq: number | null) =>
    ctx.db
      .select({ item: items, incidentIds: incidentIdsColumn })
      .from(assignments)
      .innerJoin(items, eq(items.id, assignments.itemId))
      .where(
        and(
          eq(assignments.projectId, projectId),
          eq(assignments.coderId, actor.userId),
          isNull(assignments.submittedAt),
          // Archived items have left the rounds.
          isNull(items.archivedAt),
          // A revealed item is frozen (saveMyCodings refuses it): nothing to code there.
          ne(items.phase, 'revealed'),
          afterSeq === null ? undefined : gt(items.seq, afterSeq),
        ),
      )
      .orderBy(asc(items.seq))
      .limit(2);
  const later = from ? await next(from.seq) : [];
  const found = later[0] ?? (await next(null)).find((r) => r.item.id !== from?.id);
  return found ? toItem({ ...found.item, incidentIds: found.incidentIds }) : null;
}
