/** A chart's data drawn with @concord/charts: bars for the charts, a table for Table 1. */
import { barChart, tableChart } from '@concord/charts';
import type { ChartData } from '@concord/shared';

export function chartSvg(data: ChartData): string {
  if (data.chart === 'frames-table') {
    const depth = new Map<string, number>();
    for (const c of data.categories) depth.set(c.key, c.parent === null ? 0 : (depth.get(c.parent) ?? 0) + 1);
    return tableChart({
      id: data.chart,
      title: data.title,
      description: data.description,
      columns: [data.fieldLabel, 'Items'],
      rows: data.categories.map((c, i) => ({ cells: [c.label, String(data.series[0]?.values[i] ?? 0)], indent: depth.get(c.key) ?? 0, strong: c.parent === null })),
    });
  }
  return barChart({
    id: data.chart,
    title: data.title,
    description: data.description,
    categories: data.categories.map((c) => c.label),
    series: data.series.map((s) => ({ name: s.label, values: s.values })),
  });
}
