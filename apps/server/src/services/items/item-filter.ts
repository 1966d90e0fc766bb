import { and, eq, exists, ilike, or, type SQL } from 'drizzle-orm';
import { assignments, items } from '@concord/db';
import type { ItemFilterQuery, Role } from '@concord/shared';
import { authorizeCoderFilter } from '../authz.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { inIncident } from './item-incidents.ts';

/**
 * The filters of the item list and table as one condition. Coders may filter by their own
 * assignments only: whom an item is assigned to is not theirs to see (assignments read the same way).
 * An item in several incidents matches each of them.
 */
export function itemFilter(ctx: ServiceContext, projectId: string, query: ItemFilterQuery, caller: { actor: Actor; role: Role }): SQL {
  const where: SQL[] = [eq(items.projectId, projectId)];
  if (query.incident) where.push(inIncident(ctx, query.incident));
  if (query.phase) where.push(eq(items.phase, query.phase));
  if (query.platform) where.push(eq(items.platform, query.platform));
  if (query.coder) {
    authorizeCoderFilter(caller, query.coder);
    where.push(
      exists(
        ctx.db
          .select({ one: assignments.id })
          .from(assignments)
          .where(and(eq(assignments.itemId, items.id), eq(assignments.coderId, query.coder))),
      ),
    );
  }
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(items.title, pattern), ilike(items.body, pattern), ilike(items.author, pattern), ilike(items.externalId, pattern))!);
  }
  return and(...where)!;
}
