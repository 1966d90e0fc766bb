/**
 * The layout tidycomm's `test_icr()` reads: one row per (unit, coder), a column per coded
 * field (text fields left out). Choice values are their option values, sets joined with
 * "|" (one nominal category per set), N/A of a choice field is "N/A"; missing is `NA`, as
 * is N/A of an ordinal or number field (no scale point, as in the reliability API).
 *   d <- read.csv("tidycomm.csv"); tidycomm::test_icr(d, unit, coder, levels = c(civic_impact = "ordinal"))
 * test_icr() takes every other column as a variable, so the items' columns come in the
 * companion `items.csv` (merge(d, read.csv("items.csv"), by = "unit") for the context).
 * Coders are their pseudonyms, in pseudonym order within each unit.
 */
import { checkValue, formatValue, isNa, type CodingValue, type FieldDefinition } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadRevealedCodings } from '../reliability/revealed-codings.ts';
import { csvTable, type CsvText } from './csv.ts';
import { loadCoderLabels } from './pseudonyms.ts';

export const TIDYCOMM_MISSING = 'NA';
export const TIDYCOMM_NA = 'N/A';

export function tidycommCell(field: FieldDefinition, value: CodingValue | undefined): string {
  if (value === undefined || checkValue(field, value) !== null) return TIDYCOMM_MISSING;
  if (isNa(value)) return field.type === 'single_choice' || field.type === 'multiple_choice' || field.type === 'link' ? TIDYCOMM_NA : TIDYCOMM_MISSING;
  return formatValue(value);
}

export async function exportTidycommCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const fields = (await loadCodebook({ ctx, projectId })).fields.filter((f) => f.type !== 'text');
  const [rows, labels] = await Promise.all([loadRevealedCodings({ ctx, projectId, filters: {} }), loadCoderLabels({ ctx, projectId })]);
  // Rows arrive by item (import order), then coder: one output row per (item, coder).
  const byUnitCoder = new Map<string, { unit: string; coderId: string; values: Map<string, CodingValue> }>();
  for (const r of rows) {
    const key = `${r.itemId}\u0000${r.coderId}`;
    if (!byUnitCoder.has(key)) byUnitCoder.set(key, { unit: r.itemId, coderId: r.coderId, values: new Map() });
    byUnitCoder.get(key)!.values.set(r.fieldKey, r.value);
  }
  const unitOrder = new Map([...byUnitCoder.values()].map((row, i) => [row.unit, i]));
  const ordered = [...byUnitCoder.values()].sort((a, b) => unitOrder.get(a.unit)! - unitOrder.get(b.unit)! || labels.rank(a.coderId) - labels.rank(b.coderId));
  return csvTable(
    ['unit', 'coder', ...fields.map((f) => f.key)],
    ordered.map((row) => [row.unit, labels.label(row.coderId), ...fields.map((f) => tidycommCell(f, row.values.get(f.key)))]),
  );
}
