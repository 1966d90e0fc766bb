/**
 * Incremental import: each row with an external id is matched to the project's item with that
 * id, and compared field by field. A row creates an item, updates the matched one (naming the
 * fields that differ), or leaves it unchanged, so re-importing a file changes nothing.
 *
 * Only the targets the file has a column for are compared and written: a file without a
 * `Reach` column leaves every item's reach alone. Raw cells merge (the file's columns over
 * the item's), so columns absent from this file are kept.
 */
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { items } from '@concord/db';
import type { ImportRowAction, ImportTarget } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { incidentIdsColumn } from '../items/item-incidents.ts';
import type { RowCollector } from './collect.ts';
import type { ImportedItem } from './row.ts';

/** A matched item with its incidents in order (the first primary). */
export type ExistingItem = typeof items.$inferSelect & { incidentIds: string[] };

/** An item to update: its id, its new values (unmapped targets kept), the merged raw cells. */
export interface ItemUpdate {
  index: number;
  existing: ExistingItem;
  changes: string[];
}

export interface ImportPlan {
  /** Indexes into `out.items`. */
  creates: number[];
  updates: ItemUpdate[];
  unchanged: number;
  /** `out.items[i]`'s action. */
  actions: ImportRowAction['action'][];
}

const SCALAR_TARGETS = ['title', 'url', 'platform', 'author', 'language', 'body', 'reach', 'likes', 'shares', 'comments'] as const satisfies readonly (keyof ImportedItem & ImportTarget)[];

/** The project's items whose external ids the rows name, by external id. */
export async function existingByExternalId(ctx: ServiceContext, projectId: string, externalIds: string[]): Promise<Map<string, ExistingItem>> {
  if (!externalIds.length) return new Map();
  // One JSON parameter instead of one bind parameter per id (PostgreSQL caps both lists and binds).
  // Every column: the comparison needs most of them, and a subset would only repeat the table.
  const rows = await ctx.db
    .select({ item: items, incidentIds: incidentIdsColumn })
    .from(items)
    .where(and(eq(items.projectId, projectId), isNotNull(items.externalId), sql`${items.externalId} in (select jsonb_array_elements_text(${JSON.stringify(externalIds)}::jsonb))`));
  return new Map(rows.map((r) => [r.item.externalId!, { ...r.item, incidentIds: r.incidentIds }]));
}

/** The fields of `item` (as the file has them) that differ from `existing`. */
function changedFields(out: RowCollector, item: ImportedItem, existing: ExistingItem, incidentName: (id: string | null) => string | null): string[] {
  const changed: string[] = [];
  const mapped = new Set<string>();
  for (const t of SCALAR_TARGETS) {
    if (out.columns[t] === undefined) continue;
    if (item[t] !== existing[t]) {
      changed.push(t);
      mapped.add(out.header[out.columns[t]]!);
    }
  }
  if (out.columns.publishedAt !== undefined && (item.publishedAt?.getTime() ?? null) !== (existing.publishedAt?.getTime() ?? null)) {
    changed.push('publishedAt');
    mapped.add(out.header[out.columns.publishedAt]!);
  }
  // The whole list in order: adding a second incident, or swapping the primary, is a change.
  if (out.columns.incident !== undefined && item.incidentNames.join('\u0000') !== existing.incidentIds.map(incidentName).join('\u0000')) {
    changed.push('incident');
    mapped.add(out.header[out.columns.incident]!);
  }
  // Raw cells of columns no changed target explains (e.g. an unmapped "Frames" column).
  const raw = existing.raw ?? {};
  for (const [column, value] of Object.entries(item.raw)) if (raw[column] !== value && !mapped.has(column)) changed.push(column);
  return changed;
}

/** Decides each converted row's action against the project's items. */
export function planImport(out: RowCollector, existing: Map<string, ExistingItem>, incidentNames: Map<string, string>): ImportPlan {
  const plan: ImportPlan = { creates: [], updates: [], unchanged: 0, actions: [] };
  const incidentName = (id: string | null) => (id === null ? null : (incidentNames.get(id) ?? null));
  out.items.forEach((item, index) => {
    const match = item.externalId === null ? undefined : existing.get(item.externalId);
    if (!match) {
      plan.creates.push(index);
      plan.actions.push('create');
      return;
    }
    const changes = changedFields(out, item, match, incidentName);
    if (changes.length) {
      plan.updates.push({ index, existing: match, changes });
      plan.actions.push('update');
    } else {
      plan.unchanged += 1;
      plan.actions.push('unchanged');
    }
  });
  return plan;
}

/** The row as the item will be after the update: the file's targets over the item's values. */
export function updatedValues(out: RowCollector, item: ImportedItem, existing: ExistingItem) {
  const has = (t: ImportTarget) => out.columns[t] !== undefined;
  const pick = <K extends (typeof SCALAR_TARGETS)[number]>(t: K) => (has(t) ? item[t] : existing[t]);
  return {
    id: existing.id,
    title: pick('title'),
    url: pick('url'),
    platform: pick('platform'),
    author: pick('author'),
    language: pick('language'),
    body: pick('body'),
    reach: pick('reach'),
    likes: pick('likes'),
    shares: pick('shares'),
    comments: pick('comments'),
    published_at: (has('publishedAt') ? item.publishedAt : existing.publishedAt)?.toISOString() ?? null,
    raw: { ...existing.raw, ...item.raw },
  };
}
