/**
 * What every per-item export says about the item beside its internal id, so a file can be
 * read without Concord: external id, title, incidents, platform, publication time and link
 * (`ITEM_EXPORT_COLUMNS` in @concord/shared). Wide layouts carry them as leading columns;
 * the R and SPSS matrices, whose readers take every column after the first as a coder, get
 * them from the companion `items.csv` instead.
 */
import { asc, eq } from 'drizzle-orm';
import { incidents, items } from '@concord/db';
import { ITEM_EXPORT_COLUMNS, type Phase } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { incidentIdsColumn } from '../items/item-incidents.ts';
import { csvTable, type CsvText } from './csv.ts';

export interface ItemMeta {
  id: string;
  externalId: string | null;
  title: string;
  /** The item's incidents, primary first. */
  incidents: { id: string; name: string }[];
  platform: string | null;
  publishedAt: string | null;
  url: string | null;
  phase: Phase;
  /** Deleted with work attached: out of lists, rounds and the final dataset; its codings stay in the other exports. */
  archived: boolean;
}

/** Several incidents in one cell, as sets are written in every export. */
export const INCIDENT_SEPARATOR = '|';

/** The project's items in import order. Callers authorize. */
export async function loadItemMeta({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<ItemMeta[]> {
  const rows = await ctx.db
    .select({
      id: items.id,
      externalId: items.externalId,
      title: items.title,
      incidentIds: incidentIdsColumn,
      platform: items.platform,
      publishedAt: items.publishedAt,
      url: items.url,
      phase: items.phase,
      archivedAt: items.archivedAt,
    })
    .from(items)
    .where(eq(items.projectId, projectId))
    .orderBy(asc(items.seq));
  const names = new Map(
    (await ctx.db.select({ id: incidents.id, name: incidents.name }).from(incidents).where(eq(incidents.projectId, projectId))).map((i) => [i.id, i.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    externalId: r.externalId,
    title: r.title,
    incidents: r.incidentIds.map((id) => ({ id, name: names.get(id)! })),
    platform: r.platform,
    publishedAt: r.publishedAt ? r.publishedAt.toISOString() : null,
    url: r.url,
    phase: r.phase,
    archived: r.archivedAt !== null,
  }));
}

/** The item's cells under `ITEM_EXPORT_COLUMNS`, in that order. */
export function itemCells(meta: Pick<ItemMeta, 'externalId' | 'title' | 'incidents' | 'platform' | 'publishedAt' | 'url'> | undefined): string[] {
  if (!meta) return ITEM_EXPORT_COLUMNS.map(() => '');
  return [meta.externalId ?? '', meta.title, meta.incidents.map((i) => i.name).join(INCIDENT_SEPARATOR), meta.platform ?? '', meta.publishedAt ?? '', meta.url ?? ''];
}

export async function itemMetaById({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<Map<string, ItemMeta>> {
  return new Map((await loadItemMeta({ ctx, projectId })).map((m) => [m.id, m]));
}

/**
 * The companion file of the R and SPSS layouts: one row per item, `unit` first, with `phase`
 * and `archived` (codings of archived items stay in the codings exports; this flag says which).
 */
export async function exportItemsCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const meta = await loadItemMeta({ ctx, projectId });
  return csvTable(['unit', ...ITEM_EXPORT_COLUMNS, 'phase', 'archived'], meta.map((m) => [m.id, ...itemCells(m), m.phase, String(m.archived)]));
}
