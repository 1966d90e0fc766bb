/**
 * Incremental import: each row with an external id is matched to the project's item with that
 * id, and compared field by field. A row creates an item, updates the matched one (naming the
 * fields that differ), or leaves it unchanged, so re-importing a file changes nothing.
 *
 * Only the targets the file has a column for are compared and written: a file without a
 * `Reach` column leaves every item's reach alone. Raw cells merge (the file's columns over
 * the item's), so columns absent from this file are kept.
 */
import { and, eq, sql } from 'drizzle-orm';
import { items } from '@concord/db';
import type { ImportRowAction, ImportTarget } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { incidentIdsColumn } from '../items/item-incidents.ts';
import type { RowCollector } from './collect.ts';
import { jsonSet, rowFingerprinter, storedFingerprints } from './fingerprint.ts';
import type { ImportedItem } from './row.ts';
import type { ConvertedRow } from './summary.ts';

/** A matched item with its incidents in order (the first primary). */
export type ExistingItem = typeof items.$inferSelect & { incidentIds: string[] };

/** An item to update: its row, the item as stored, and the fields that differ. */
export interface ItemUpdate {
  index: number;
  item: ImportedItem;
  existing: ExistingItem;
  changes: string[];
}

/** A batch of rows' actions: `actions[k]` is `rows[k]`'s. */
export interface BatchPlan {
  creates: ConvertedRow[];
  updates: ItemUpdate[];
  unchanged: number;
  actions: ImportRowAction['action'][];
}

/** The rows matched to the project's items (after the first pass), and how to plan each batch of the second. */
export interface ImportMatcher {
  /** `out.items[i]`'s matched item, null for a row that creates one. */
  itemIds: (string | null)[];
  /** Decides a batch's actions, reading the matched items whose fingerprints differ (`ctx`: the caller's transaction, if any). */
  plan(ctx: ServiceContext, rows: ConvertedRow[]): Promise<BatchPlan>;
}

const SCALAR_TARGETS = [
  'title',
  'url',
  'archivedUrl',
  'platform',
  'author',
  'language',
  'body',
  'reach',
  'likes',
  'shares',
  'comments',
  'translationLanguage',
  'translationTitle',
  'translationBody',
] as const satisfies readonly (keyof ImportedItem & ImportTarget)[];

/** The project's items whose external ids the rows name: their ids and fingerprints (fingerprint.ts), by external id. */
async function fingerprints(ctx: ServiceContext, projectId: string, out: RowCollector, externalIds: string[]) {
  if (!externalIds.length) return new Map<string, { id: string; fingerprint: string }>();
  const rows = await storedFingerprints(ctx.db, projectId, out.columns, externalIds);
  return new Map(rows.map((r) => [r.externalId!, r]));
}

/** Whole items by id. */
async function itemsById(ctx: ServiceContext, projectId: string, ids: string[]): Promise<Map<string, ExistingItem>> {
  if (!ids.length) return new Map();
  // Every column: the comparison needs most of them, and a subset would only repeat the table.
  const rows = await ctx.db
    .select({ item: items, incidentIds: incidentIdsColumn })
    .from(items)
    .where(and(eq(items.projectId, projectId), sql`${items.id} in ${jsonSet(ids)}`));
  return new Map(rows.map((r) => [r.item.id, { ...r.item, incidentIds: r.incidentIds }]));
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

/**
 * Matches the rows to the project's items by external id (one read of their fingerprints), and
 * returns the planner of the rows' actions: a row without a match creates; a matched row with
 * the item's fingerprint is unchanged; the others are compared field by field (an item updated
 * from a file with fewer columns may differ only in its merged raw cells, and is then unchanged too).
 */
export async function matchImport({ ctx, projectId, out, externalIds, incidents }: {
  ctx: ServiceContext;
  projectId: string;
  out: RowCollector;
  externalIds: string[];
  incidents: { id: string; name: string }[];
}): Promise<ImportMatcher> {
  const byName = new Map(incidents.map((r) => [r.name, r.id]));
  const byId = new Map(incidents.map((r) => [r.id, r.name]));
  const stored = await fingerprints(ctx, projectId, out, externalIds);
  const fingerprintRow = rowFingerprinter(out.columns, (name) => byName.get(name));
  const incidentName = (id: string | null) => (id === null ? null : (byId.get(id) ?? null));
  const itemIds = out.items.map((item) => (item.externalId === null ? null : (stored.get(item.externalId)?.id ?? null)));
  async function plan(tx: ServiceContext, rows: ConvertedRow[]): Promise<BatchPlan> {
    const batch: BatchPlan = { creates: [], updates: [], unchanged: 0, actions: [] };
    const toCompare: number[] = [];
    rows.forEach((row, k) => {
      const match = row.item.externalId === null ? undefined : stored.get(row.item.externalId);
      if (!match) {
        batch.actions.push('create');
        batch.creates.push(row);
      } else if (match.fingerprint === fingerprintRow(row.item)) batch.actions.push('unchanged');
      else {
        batch.actions.push('update');
        toCompare.push(k);
      }
    });
    const existing = await itemsById(tx, projectId, toCompare.map((k) => itemIds[rows[k]!.index]!));
    for (const k of toCompare) {
      const { index, item } = rows[k]!;
      const match = existing.get(itemIds[index]!)!;
      const changes = changedFields(out, item, match, incidentName);
      if (changes.length) batch.updates.push({ index, item, existing: match, changes });
      else batch.actions[k] = 'unchanged';
    }
    for (const action of batch.actions) if (action === 'unchanged') batch.unchanged += 1;
    return batch;
  }
  return { itemIds, plan };
}

/** The row as the item will be after the update: the file's targets over the item's values. */
export function updatedValues(out: RowCollector, { item, existing }: ItemUpdate) {
  const has = (t: ImportTarget) => out.columns[t] !== undefined;
  const pick = <K extends (typeof SCALAR_TARGETS)[number]>(t: K) => (has(t) ? item[t] : existing[t]);
  return {
    id: existing.id,
    title: pick('title'),
    url: pick('url'),
    archived_url: pick('archivedUrl'),
    platform: pick('platform'),
    author: pick('author'),
    language: pick('language'),
    body: pick('body'),
    reach: pick('reach'),
    likes: pick('likes'),
    shares: pick('shares'),
    comments: pick('comments'),
    translation_language: pick('translationLanguage'),
    translation_title: pick('translationTitle'),
    translation_body: pick('translationBody'),
    published_at: (has('publishedAt') ? item.publishedAt : existing.publishedAt)?.toISOString() ?? null,
    raw: { ...existing.raw, ...item.raw },
  };
}
