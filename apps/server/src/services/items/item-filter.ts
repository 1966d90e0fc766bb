import { and, eq, ilike, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import { items } from '@concord/db';
import type { ItemFilterQuery, Role } from '@concord/shared';
import { queueFilters } from '../queue/status.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { inIncident } from './item-incidents.ts';

/**
 * The filters of the item list and table as one condition. Coders may filter by their own
 * assignments only: whom an item is assigned to is not theirs to see (assignments read the same way);
 * the assignment filters (`coder`, `assigned=me`, `status`) are the queue's (queue/status.ts).
 * An item in several incidents matches each of them.
 */
export function itemFilter({ ctx, projectId, query, caller }: { ctx: ServiceContext; projectId: string; query: ItemFilterQuery; caller: { actor: Actor; role: Role } }): SQL {
  const where: SQL[] = [eq(items.projectId, projectId)];
  if (query.incident) where.push(inIncident({ ctx, incidentId: query.incident }));
  if (query.archived !== 'include') where.push(query.archived === 'only' ? isNotNull(items.archivedAt) : isNull(items.archivedAt));
  if (query.phase) where.push(eq(items.phase, query.phase));
  if (query.platform) where.push(eq(items.platform, query.platform));
  where.push(...queueFilters({ ctx, caller, query }));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(items.title, pattern), ilike(items.body, pattern), ilike(items.author, pattern), ilike(items.externalId, pattern))!);
  }
  return and(...where)!;
}
