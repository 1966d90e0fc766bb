import { asc } from 'drizzle-orm';
import { items } from '@concord/db';
import { MAX_ITEM_ROWS, type ItemFilterQuery, type ItemRows } from '@concord/shared';
import { authorize } from '../authz.ts';
import { iso, type ServiceContext } from '../context.ts';
import { itemFilter } from './item-filter.ts';
import { itemRowColumns } from './item-row-columns.ts';

/** Every matching item (up to MAX_ITEM_ROWS) as a table row: no text, so 10,000 rows stay small. */
export async function listItemRows({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: ItemFilterQuery }): Promise<ItemRows> {
  const caller = await authorize({ ctx, projectId, action: 'items.read' });
  const rows = await ctx.db
    .select({
      ...itemRowColumns,
      archivedAt: items.archivedAt,
    })
    .from(items)
    .where(itemFilter({ ctx, projectId, query, caller }))
    .orderBy(asc(items.seq))
    .limit(MAX_ITEM_ROWS + 1);
  const truncated = rows.length > MAX_ITEM_ROWS;
  if (truncated) rows.pop();
  return { rows: rows.map((r) => ({ ...r, incidentId: r.incidentIds[0] ?? null, publishedAt: iso(r.publishedAt), archivedAt: iso(r.archivedAt) })), total: rows.length, truncated };
}
