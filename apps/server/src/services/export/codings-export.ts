/**
 * Codings exports for reliability analysis: submitted codings of revealed items only,
 * so nothing blind ever leaves through an export, and adjudication never alters them.
 * Coders are named by pseudonym (pseudonyms.ts) and ordered by it; each row carries the
 * item's columns (item-meta.ts): after `unit,coder,field,value,item_version` in the long
 * layout, whose readers find columns by name, and before the coders in the wide one.
 * `item_version` is the item's text version the coding was made on (blank when unknown); the
 * wide layout has no place for it per coder, and its readers take every other column as a coder.
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

export type CodingsLayout = 'long' | 'wide';

export const LONG_CODINGS_COLUMNS = ['unit', 'coder', 'field', 'value', 'item_version', ...ITEM_EXPORT_COLUMNS] as const;

interface CodingsData {
  rows: RevealedCoding[];
  labels: CoderLabels;
  meta: Map<string, ItemMeta>;
}

async function loadCodings(ctx: ServiceContext, projectId: string, field: string | undefined): Promise<CodingsData> {
  await authorize(ctx, projectId, 'export.read');
  if (field) {
    const codebook = await loadCodebook(ctx, projectId);
    if (!codebook.fields.some((f) => f.key === field)) throw new AppError('VALIDATION_FAILED', `unknown field "${field}"`);
  }
  const [rows, labels, meta] = await Promise.all([loadRevealedCodings(ctx, projectId, { field }), loadCoderLabels(ctx, projectId), itemMetaById(ctx, projectId)]);
  // Rows come by item (import order), coder email, field; the files order coders by pseudonym.
  const order = new Map(rows.map((r, i) => [r, i]));
  rows.sort((a, b) => (a.itemId === b.itemId ? labels.rank(a.coderId) - labels.rank(b.coderId) || order.get(a)! - order.get(b)! : order.get(a)! - order.get(b)!));
  return { rows, labels, meta };
}

function longRows({ rows, labels, meta }: CodingsData): string[][] {
  return rows.map((r) => [r.itemId, labels.label(r.coderId), r.fieldKey, formatValue(r.value), r.itemVersion === null ? '' : String(r.itemVersion), ...itemCells(meta.get(r.itemId))]);
}

export async function exportCodingsCsv(ctx: ServiceContext, projectId: string, options: { layout: CodingsLayout; field?: string | undefined }): Promise<CsvText> {
  if (options.layout === 'wide' && !options.field) {
    await authorize(ctx, projectId, 'export.read');
    throw new AppError('VALIDATION_FAILED', 'the wide layout holds one field: add ?field=KEY');
  }
  const data = await loadCodings(ctx, projectId, options.field);
  if (options.layout === 'long') return csvTable(LONG_CODINGS_COLUMNS, longRows(data));
  const coderIds = [...new Set(data.rows.map((r) => r.coderId))].sort((a, b) => data.labels.rank(a) - data.labels.rank(b));
  const units = new Map<string, Map<string, string>>();
  for (const r of data.rows) {
    if (!units.has(r.itemId)) units.set(r.itemId, new Map());
    units.get(r.itemId)!.set(r.coderId, formatValue(r.value));
  }
  return csvTable(
    ['unit', ...ITEM_EXPORT_COLUMNS, ...coderIds.map((id) => data.labels.label(id))],
    [...units].map(([unit, byCoder]) => [unit, ...itemCells(data.meta.get(unit)), ...coderIds.map((c) => byCoder.get(c) ?? '')]),
  );
}

/** The long layout as a workbook, with the value column numeric where it holds a number. */
export async function exportCodingsXlsx(ctx: ServiceContext, projectId: string): Promise<XlsxBytes> {
  const data = await loadCodings(ctx, projectId, undefined);
  return xlsxWorkbook([{ name: 'codings', header: LONG_CODINGS_COLUMNS, rows: longRows(data), numeric: new Set([3, 4]) }]);
}
