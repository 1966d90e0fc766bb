/**
 * `spans.csv`: the coders' own span tags of revealed items (services/spans/span-tags.ts),
 * as the codings exports hold their codings: submitted coders of revealed items only,
 * named by pseudonym. Offsets are UTF-16 code units of the item's text (JavaScript string
 * indices), `start` inclusive, `end` exclusive, so `text` is `body.slice(start, end)`.
 */
import { taggableFields } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadSubmittedSpans } from '../spans/span-tags.ts';
import { csvTable, type CsvText } from './csv.ts';
import { loadCoderLabels } from './pseudonyms.ts';

export const SPANS_COLUMNS = ['item', 'external_id', 'coder', 'field', 'frame', 'start', 'end', 'text'] as const;

export async function exportSpansCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  const [rows, labels] = await Promise.all([loadSubmittedSpans({ ctx, projectId, fields: codebook.fields }), loadCoderLabels({ ctx, projectId })]);
  const fieldOrder = new Map(taggableFields(codebook.fields).map((f, i) => [f.key, i]));
  // Items in import order (as loaded), then coders by pseudonym, then field, start, end.
  const order = new Map(rows.map((r, i) => [r, i]));
  rows.sort((a, b) => (a.itemId === b.itemId ? labels.rank(a.coderId) - labels.rank(b.coderId) : order.get(a)! - order.get(b)!));
  return csvTable(
    SPANS_COLUMNS,
    rows.flatMap((r) =>
      r.tags
        .toSorted((a, b) => (fieldOrder.get(a.fieldKey) ?? 0) - (fieldOrder.get(b.fieldKey) ?? 0) || a.from - b.from || a.to - b.to)
        .map((t) => [r.itemId, r.externalId ?? '', labels.label(r.coderId), t.fieldKey, t.frame, String(t.from), String(t.to), r.body.slice(t.from, t.to)]),
    ),
  );
}
