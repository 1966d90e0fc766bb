import { asc, count } from 'drizzle-orm';
import { items } from '@concord/db';
import type { Item, ItemListQuery } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { itemFilter } from './item-filter.ts';
import { incidentIdsColumn } from './item-incidents.ts';
import { toItem } from './item-record.ts';

export async function listItems({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: ItemListQuery }): Promise<{ items: Item[]; total: number }> {
  const caller = await authorize({ ctx, projectId, action: 'items.read' });
  const condition = itemFilter({ ctx, projectId, query, caller });
  const [rows, [total]] = await Promise.all([
    ctx.db.select({ item: items, incidentIds: incidentIdsColumn }).from(items).where(condition).orderBy(asc(items.seq)).limit(query.limit).offset(query.offset),
    ctx.db.select({ n: count() }).from(items).where(condition),
  ]);
  return { items: rows.map((r) => toItem({ ...r.item, incidentIds: r.incidentIds })), total: total?.n ?? 0 };
}
