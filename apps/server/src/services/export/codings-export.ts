/**
 * Codings exports for reliability analysis: submitted codings of revealed items only,
 * so nothing blind ever leaves through an export, and adjudication never alters them.
 * Coders are named by pseudonym (pseudonyms.ts) and ordered by it; each row carries the
 * item's columns (item-meta.ts): after `unit,coder,field,value,item_version` in the long
 * layout, whose readers find columns by name, and before the coders in the wide one.
 * `item_version` is the item's text version the coding was made on (blank when unknown). The
 * wide layout's readers take every column after the item columns as a coder, so its versions
 * come only when asked (`itemVersions`): an `item_version_<coder>` column per coder, between
 * the item columns and the coders, which `concord reliability` skips like the item columns.
 * A `link` field's value is its actors' ids joined with "|" (resolved through merges, sorted, as
 * reliability reads sets); when the codebook has one, the long layout ends with `value_names`,
 * the same actors' names in the same order (empty on other fields' rows).
 */
import { formatValue, ITEM_EXPORT_COLUMNS } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadRevealedCodings, type RevealedCoding } from '../reliability/revealed-codings.ts';
import { csvTable, type CsvText } from './csv.ts';
import { itemCells, itemMetaById, type ItemMeta } from './item-meta.ts';
import { loadCoderLabels, type CoderLabels } from './pseudonyms.ts';
import { xlsxWorkbook, type XlsxBytes } from './xlsx.ts';
import { actorNames, linkCells, type ActorName } from '../actors/link-values.ts';

export type CodingsLayout = 'long' | 'wide';

export const LONG_CODINGS_COLUMNS = ['unit', 'coder', 'field', 'value', 'item_version', ...ITEM_EXPORT_COLUMNS] as const;
/** The long layout's last column when the codebook has a link field. */
export const VALUE_NAMES_COLUMN = 'value_names';

interface CodingsData {
  rows: RevealedCoding[];
  labels: CoderLabels;
  meta: Map<string, ItemMeta>;
  /** Keys of the codebook's link fields, and every actor's id and name (null without link fields). */
  links: { keys: Set<string>; names: Map<string, ActorName> } | null;
}

async function loadCodings(ctx: ServiceContext, projectId: string, field: string | undefined): Promise<CodingsData> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  if (field && !codebook.fields.some((f) => f.key === field)) throw new AppError('VALIDATION_FAILED', `unknown field "${field}"`);
  const linkKeys = new Set(codebook.fields.flatMap((f) => (f.type === 'link' ? [f.key] : [])));
  const links = linkKeys.size ? { keys: linkKeys, names: await actorNames({ ctx, projectId }) } : null;
  const [rows, labels, meta] = await Promise.all([loadRevealedCodings({ ctx, projectId, filters: { field } }), loadCoderLabels({ ctx, projectId }), itemMetaById({ ctx, projectId })]);
  // Rows come by item (import order), coder email, field; the files order coders by pseudonym.
  const order = new Map(rows.map((r, i) => [r, i]));
  rows.sort((a, b) => (a.itemId === b.itemId ? labels.rank(a.coderId) - labels.rank(b.coderId) || order.get(a)! - order.get(b)! : order.get(a)! - order.get(b)!));
  return { rows, labels, meta, links };
}

/** The value cell, and the names cell of a link field's value. */
function cells(r: RevealedCoding, links: CodingsData['links']): { value: string; names: string } {
  const linked = links?.keys.has(r.fieldKey) ? linkCells(r.value, links.names) : null;
  if (!linked) return { value: formatValue(r.value), names: '' };
  return { value: formatValue(linked.ids), names: linked.ids.length ? linked.names.join('|') : '|' };
}

const longColumns = (data: CodingsData): string[] => [...LONG_CODINGS_COLUMNS, ...(data.links ? [VALUE_NAMES_COLUMN] : [])];

function longRows(data: CodingsData): string[][] {
  const { rows, labels, meta, links } = data;
  return rows.map((r) => {
    const { value, names } = cells(r, links);
    const version = r.itemVersion === null ? '' : String(r.itemVersion);
    return [r.itemId, labels.label(r.coderId), r.fieldKey, value, version, ...itemCells(meta.get(r.itemId)), ...(links ? [names] : [])];
  });
}

/** The wide layout's column of a coder's item versions (`itemVersions`). */
export const wideVersionColumn = (coder: string) => `item_version_${coder}`;

export async function exportCodingsCsv({ ctx, projectId, options }: {
  ctx: ServiceContext;
  projectId: string;
  options: { layout: CodingsLayout; field?: string | undefined; itemVersions?: boolean | undefined };
}): Promise<CsvText> {
  if (options.layout === 'wide' && !options.field) {
    await authorize({ ctx, projectId, action: 'export.read' });
    throw new AppError('VALIDATION_FAILED', 'the wide layout holds one field: add ?field=KEY');
  }
  const data = await loadCodings(ctx, projectId, options.field);
  if (options.layout === 'long') return csvTable(longColumns(data), longRows(data));
  const coderIds = [...new Set(data.rows.map((r) => r.coderId))].sort((a, b) => data.labels.rank(a) - data.labels.rank(b));
  const units = new Map<string, Map<string, RevealedCoding>>();
  for (const r of data.rows) {
    if (!units.has(r.itemId)) units.set(r.itemId, new Map());
    units.get(r.itemId)!.set(r.coderId, r);
  }
  const versions = options.itemVersions === true;
  const version = (r: RevealedCoding | undefined) => (r?.itemVersion === null || r?.itemVersion === undefined ? '' : String(r.itemVersion));
  return csvTable(
    ['unit', ...ITEM_EXPORT_COLUMNS, ...(versions ? coderIds.map((id) => wideVersionColumn(data.labels.label(id))) : []), ...coderIds.map((id) => data.labels.label(id))],
    [...units].map(([unit, byCoder]) => [
      unit,
      ...itemCells(data.meta.get(unit)),
      ...(versions ? coderIds.map((c) => version(byCoder.get(c))) : []),
      ...coderIds.map((c) => {
        const r = byCoder.get(c);
        return r ? cells(r, data.links).value : '';
      }),
    ]),
  );
}

/** The long layout as a workbook, with the value column numeric where it holds a number. */
export async function exportCodingsXlsx({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<XlsxBytes> {
  const data = await loadCodings(ctx, projectId, undefined);
  return xlsxWorkbook([{ name: 'codings', header: longColumns(data), rows: longRows(data), numeric: new Set([3, 4]) }]);
}
