export { barChart, type BarChartInput, type BarSeries } from './bar-chart.ts';
export { tableChart, type TableInput, type TableRow } from './table.ts';
export { escapeXml, formatNumber, PALETTE, wrapLabel } from './svg.ts';
