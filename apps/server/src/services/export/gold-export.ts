/**
 * The gold dataset: decided adjudications of revealed items, kept apart from the codings
 * (which the codings export still gives unchanged). Long: one row per decision, with its
 * rationale; wide: one row per item, a column per codebook field.
 */
import { formatValue } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadAdjudications } from '../adjudications/list-adjudications.ts';
import { csvTable, type CsvText } from './csv.ts';

export async function exportGoldCsv(ctx: ServiceContext, projectId: string, options: { layout: 'long' | 'wide' }): Promise<CsvText> {
  await authorize(ctx, projectId, 'export.read');
  const rows = await loadAdjudications(ctx, projectId, { status: 'decided', revealedOnly: true });
  if (options.layout === 'long') {
    return csvTable(
      ['unit', 'external_id', 'field', 'value', 'rationale', 'decided_by', 'decided_at', 'codebook_version'],
      rows.map((r) => [
        r.row.itemId,
        r.externalId ?? '',
        r.row.fieldKey,
        formatValue(r.row.value),
        r.row.rationale,
        r.decidedByEmail ?? '',
        r.row.decidedAt.toISOString(),
        String(r.version),
      ]),
    );
  }
  const fields = (await loadCodebook(ctx, projectId)).fields.map((f) => f.key);
  const units = new Map<string, { externalId: string | null; values: Map<string, string> }>();
  for (const r of rows) {
    if (!units.has(r.row.itemId)) units.set(r.row.itemId, { externalId: r.externalId, values: new Map() });
    units.get(r.row.itemId)!.values.set(r.row.fieldKey, formatValue(r.row.value));
  }
  return csvTable(['unit', 'external_id', ...fields], [...units].map(([unit, u]) => [unit, u.externalId ?? '', ...fields.map((f) => u.values.get(f) ?? '')]));
}
