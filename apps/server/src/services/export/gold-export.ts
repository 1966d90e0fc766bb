/**
 * The gold dataset, long: every final value of a revealed item (final-dataset.ts), the
 * editors' decisions with their rationale (mentions by pseudonym), who decided (by pseudonym) and when, and the
 * values the coders agreed on (`unanimous`, `majority`, `single`) with their provenance;
 * open fields are left out. The codings export still gives the codings unchanged. The wide
 * gold file is the final dataset (`export/final.csv`; the route redirects there).
 */
import { formatValue, ITEM_EXPORT_COLUMNS } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadAdjudications } from '../adjudications/list-adjudications.ts';
import { csvTable, type CsvText } from './csv.ts';
import { loadFinalDataset } from './final-dataset.ts';
import { itemCells } from './item-meta.ts';
import { loadCoderLabels, mentionLabeller } from './pseudonyms.ts';

export const GOLD_LONG_COLUMNS = ['unit', 'field', 'value', 'provenance', 'rationale', 'decided_by', 'decided_at', 'codebook_version', ...ITEM_EXPORT_COLUMNS] as const;

export async function exportGoldCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  const data = await loadFinalDataset({ ctx, projectId });
  const [decisions, labels] = await Promise.all([loadAdjudications({ ctx, projectId, filter: { status: 'decided', revealedOnly: true } }), loadCoderLabels({ ctx, projectId })]);
  const decided = new Map(decisions.map((d) => [`${d.row.itemId}\u0000${d.row.fieldKey}`, d]));
  // A rationale's mentions by pseudonym, as in the discussion export.
  const named = await mentionLabeller({ ctx, labels, mentioned: [] });
  const rows: string[][] = [];
  for (const item of data.items) {
    for (const f of data.fields) {
      const v = item.values[f.key];
      if (!v || v.provenance === 'open') continue;
      const d = decided.get(`${item.id}\u0000${f.key}`);
      const decision = d ? [named(d.row.rationale), labels.label(d.row.decidedBy), d.row.decidedAt.toISOString(), String(d.version)] : ['', '', '', String(data.codebook.version)];
      rows.push([item.id, f.key, formatValue(v.value), v.provenance, ...decision, ...itemCells(item)]);
    }
  }
  return csvTable(GOLD_LONG_COLUMNS, rows);
}

/** Where the wide gold file went: the final dataset, one row per item (a redirect, for members who may export). */
export async function goldWideLocation({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<string> {
  await authorize({ ctx, projectId, action: 'export.read' });
  return `/api/projects/${projectId}/export/final.csv`;
}
