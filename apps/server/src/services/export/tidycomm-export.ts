/**
 * The layout tidycomm's `test_icr()` reads: one row per (unit, coder), a column per coded
 * field (text fields left out). Choice values are their option values, sets joined with
 * "|" (one nominal category per set), N/A of a choice field is "N/A"; missing is `NA`, as
 * is N/A of an ordinal or number field (no scale point, as in the reliability API).
 *   d <- read.csv("tidycomm.csv"); tidycomm::test_icr(d, unit, coder, levels = c(civic_impact = "ordinal"))
 */
import { checkValue, formatValue, isNa, type CodingValue, type FieldDefinition } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadRevealedCodings } from '../reliability/revealed-codings.ts';
import { csvTable, type CsvText } from './csv.ts';

export const TIDYCOMM_MISSING = 'NA';
export const TIDYCOMM_NA = 'N/A';

export function tidycommCell(field: FieldDefinition, value: CodingValue | undefined): string {
  if (value === undefined || checkValue(field, value) !== null) return TIDYCOMM_MISSING;
  if (isNa(value)) return field.type === 'single_choice' || field.type === 'multiple_choice' ? TIDYCOMM_NA : TIDYCOMM_MISSING;
  return formatValue(value);
}

export async function exportTidycommCsv(ctx: ServiceContext, projectId: string): Promise<CsvText> {
  await authorize(ctx, projectId, 'export.read');
  const fields = (await loadCodebook(ctx, projectId)).fields.filter((f) => f.type !== 'text');
  const rows = await loadRevealedCodings(ctx, projectId, {});
  // Rows arrive by item, then coder email: one output row per run of (item, coder).
  const byUnitCoder = new Map<string, { unit: string; coder: string; values: Map<string, CodingValue> }>();
  for (const r of rows) {
    const key = `${r.itemId}\u0000${r.email}`;
    if (!byUnitCoder.has(key)) byUnitCoder.set(key, { unit: r.itemId, coder: r.email, values: new Map() });
    byUnitCoder.get(key)!.values.set(r.fieldKey, r.value);
  }
  return csvTable(
    ['unit', 'coder', ...fields.map((f) => f.key)],
    [...byUnitCoder.values()].map((row) => [row.unit, row.coder, ...fields.map((f) => tidycommCell(f, row.values.get(f.key)))]),
  );
}
