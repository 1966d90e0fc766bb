import { and, asc, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import { items } from '@concord/db';
import { MAX_ITEM_ROWS, newId, type Item, type ItemFilterQuery, type ItemInput, type ItemListQuery, type ItemRows, type Phase, type Role } from '@concord/shared';
import { notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { queueFilters } from '../queue/status.ts';
import { inTransaction, iso, type Actor, type ServiceContext } from '../context.ts';
import { leaveIndependence } from '../assignments/independence.ts';
import { assertIncidentInProject } from './incidents.ts';

type ItemRow = typeof items.$inferSelect;

export function toItem(r: ItemRow): Item {
  return {
    id: r.id,
    projectId: r.projectId,
    externalId: r.externalId,
    title: r.title,
    url: r.url,
    platform: r.platform,
    author: r.author,
    publishedAt: iso(r.publishedAt),
    language: r.language,
    body: r.body,
    reach: r.reach,
    likes: r.likes,
    shares: r.shares,
    comments: r.comments,
    incidentId: r.incidentId,
    phase: r.phase,
    createdAt: iso(r.createdAt)!,
  };
}

/** An item of the project, or 404 (never another project's item). */
export async function loadItem(ctx: ServiceContext, projectId: string, itemId: string): Promise<ItemRow> {
  const [row] = await ctx.db.select().from(items).where(and(eq(items.id, itemId), eq(items.projectId, projectId)));
  if (!row) throw notFound('item');
  return row;
}

/**
 * The filters of the item list and table as one condition. Coders may filter by their own
 * assignments only: whom an item is assigned to is not theirs to see (assignments read the same way);
 * the assignment filters (`coder`, `assigned=me`, `status`) are the queue's (queue/status.ts).
 */
function itemFilter(ctx: ServiceContext, projectId: string, query: ItemFilterQuery, caller: { actor: Actor; role: Role }): SQL {
  const where: SQL[] = [eq(items.projectId, projectId)];
  if (query.incident) where.push(eq(items.incidentId, query.incident));
  if (query.phase) where.push(eq(items.phase, query.phase));
  if (query.platform) where.push(eq(items.platform, query.platform));
  where.push(...queueFilters(ctx, caller, query));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(items.title, pattern), ilike(items.body, pattern), ilike(items.author, pattern), ilike(items.externalId, pattern))!);
  }
  return and(...where)!;
}

export async function listItems(ctx: ServiceContext, projectId: string, query: ItemListQuery): Promise<{ items: Item[]; total: number }> {
  const caller = await authorize(ctx, projectId, 'items.read');
  const condition = itemFilter(ctx, projectId, query, caller);
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(items).where(condition).orderBy(asc(items.seq)).limit(query.limit).offset(query.offset),
    ctx.db.select({ n: count() }).from(items).where(condition),
  ]);
  return { items: rows.map(toItem), total: total?.n ?? 0 };
}

/** Every matching item (up to MAX_ITEM_ROWS) as a table row: no text, so 10,000 rows stay small. */
export async function listItemRows(ctx: ServiceContext, projectId: string, query: ItemFilterQuery): Promise<ItemRows> {
  const caller = await authorize(ctx, projectId, 'items.read');
  const rows = await ctx.db
    .select({
      id: items.id,
      externalId: items.externalId,
      title: items.title,
      url: items.url,
      platform: items.platform,
      author: items.author,
      publishedAt: items.publishedAt,
      incidentId: items.incidentId,
      phase: items.phase,
    })
    .from(items)
    .where(itemFilter(ctx, projectId, query, caller))
    .orderBy(asc(items.seq))
    .limit(MAX_ITEM_ROWS + 1);
  const truncated = rows.length > MAX_ITEM_ROWS;
  if (truncated) rows.pop();
  return { rows: rows.map((r) => ({ ...r, publishedAt: iso(r.publishedAt) })), total: rows.length, truncated };
}

export async function getItem(ctx: ServiceContext, projectId: string, itemId: string): Promise<Item> {
  await authorize(ctx, projectId, 'items.read');
  return toItem(await loadItem(ctx, projectId, itemId));
}

const toDate = (value: string | null) => (value ? new Date(value) : null);

function updateValues(input: Partial<ItemInput>) {
  const { publishedAt, ...rest } = input;
  return publishedAt === undefined ? rest : { ...rest, publishedAt: toDate(publishedAt) };
}

export async function createItem(ctx: ServiceContext, projectId: string, input: ItemInput): Promise<Item> {
  await authorize(ctx, projectId, 'items.write');
  if (input.incidentId) await assertIncidentInProject(ctx, projectId, input.incidentId);
  const [row] = await ctx.db.insert(items).values({ id: newId('item'), projectId, ...input, publishedAt: toDate(input.publishedAt) }).returning();
  return toItem(row!);
}

export async function updateItem(ctx: ServiceContext, projectId: string, itemId: string, input: Partial<ItemInput>): Promise<Item> {
  await authorize(ctx, projectId, 'items.write');
  await loadItem(ctx, projectId, itemId);
  if (input.incidentId) await assertIncidentInProject(ctx, projectId, input.incidentId);
  const [row] = await ctx.db
    .update(items)
    .set({ ...updateValues(input), updatedAt: new Date() })
    .where(eq(items.id, itemId))
    .returning();
  return toItem(row!);
}

export async function deleteItem(ctx: ServiceContext, projectId: string, itemId: string): Promise<void> {
  await authorize(ctx, projectId, 'items.write');
  await loadItem(ctx, projectId, itemId);
  await ctx.db.delete(items).where(eq(items.id, itemId));
}

/**
 * Editors open a joint session, reveal, or send an item back to independent coding. Leaving
 * independence early ends it for the coders who have not submitted (assignments/independence.ts).
 */
export async function setItemPhase(ctx: ServiceContext, projectId: string, itemId: string, phase: Phase, options: { confirmExcludeLate?: boolean } = {}): Promise<Item> {
  await authorize(ctx, projectId, 'phase.manage');
  const before = await loadItem(ctx, projectId, itemId);
  const row = await inTransaction(ctx, async (tx) => {
    await leaveIndependence(tx, projectId, itemId, { from: before.phase, to: phase, confirmExcludeLate: options.confirmExcludeLate ?? false });
    const [updated] = await tx.db
      .update(items)
      .set({ phase, revealedAt: phase === 'revealed' ? new Date() : null, updatedAt: new Date() })
      .where(eq(items.id, itemId))
      .returning();
    return updated;
  });
  // Open live documents follow the new phase: readers who lost access are disconnected.
  await ctx.collab?.itemAccessChanged(itemId);
  if (before.phase !== phase) ctx.events?.publish({ type: 'item.phaseChanged', projectId, itemId, from: before.phase, to: phase });
  return toItem(row!);
}
