/** A chart's data drawn with @concord/charts (bars for the charts, a table for Table 1), or laid out as CSV. */
import { barChart, tableChart } from '@concord/charts';
import type { ChartData } from '@concord/shared';
import { csvTable, type CsvText } from '../export/csv.ts';

export function chartSvg(data: ChartData): string {
  // The share goes on its own line; the <desc> carries it too, for screen readers.
  const text = { id: data.chart, title: data.title, description: `${data.description} ${data.share}`, note: data.description, share: data.share };
  if (data.chart === 'frames-table') {
    const depth = new Map<string, number>();
    for (const c of data.categories) depth.set(c.key, c.parent === null ? 0 : (depth.get(c.parent) ?? 0) + 1);
    return tableChart({
      ...text,
      columns: [data.fieldLabel, 'Items'],
      rows: data.categories.map((c, i) => ({ cells: [c.label, String(data.series[0]?.values[i] ?? 0)], indent: depth.get(c.key) ?? 0, strong: c.parent === null })),
    });
  }
  return barChart({ ...text, categories: data.categories.map((c) => c.label), series: data.series.map((s) => ({ name: s.label, values: s.values })) });
}

/** The share rows under the bars: `kind` is `items`, so they never mix with an option of the same name. */
const SHARE_ROWS = [
  ['counted', 'Items counted', 'counted'],
  ['open', 'Items still open (no final value yet)', 'open'],
  ['no_value', 'Items with N/A or no value', 'noValue'],
  ['total', 'Items in all', 'total'],
] as const;

/**
 * The chart as a table: `kind,key,label,parent`, then a column per series (Items, or one
 * per incident); a `bar` row per bar (or Table 1 row, `parent` naming the frame above it),
 * then the `items` rows (counted, open, no_value, total), so the open share travels with the counts.
 */
export function chartCsv(data: ChartData): CsvText {
  return csvTable(
    ['kind', 'key', 'label', 'parent', ...data.series.map((s) => s.label)],
    [
      ...data.categories.map((c, i) => ['bar', c.key, c.label, c.parent ?? '', ...data.series.map((s) => String(s.values[i] ?? 0))]),
      ...SHARE_ROWS.map(([key, label, of]) => ['items', key, label, '', ...data.series.map((s) => String(s.items[of]))]),
    ],
  );
}
