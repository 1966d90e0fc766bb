import { createRoute } from '@hono/zod-openapi';
import { chartDataSchema, chartParams, chartQuery, reportQuery, reportSchema, type ChartId, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { getChartData } from '../services/report/chart-data.ts';
import { chartCsv, chartSvg } from '../services/report/chart-svg.ts';
import { getReport } from '../services/report/get-report.ts';
import { reportMarkdown } from '../services/report/report-markdown.ts';
import { sendCsv } from './downloads.ts';
import { errors, projectParams } from './schemas.ts';

const routes = {
  report: createRoute({
    method: 'get',
    path: '/{projectId}/report',
    summary: 'Reliability report: methods paragraph and table row per field, codebook version, SHA-256 of data and codebook; ?format=md downloads Markdown',
    request: { params: projectParams, query: reportQuery },
    responses: {
      200: { content: { 'application/json': { schema: reportSchema }, 'text/markdown': { schema: text() } }, description: 'the report' },
      ...errors,
    },
  }),
  chart: createRoute({
    method: 'get',
    path: '/{projectId}/charts/{chart}',
    summary:
      'Counts for a chart of the seed report on the final dataset, with the share still open (parent-frames, platforms, frames-by-incident, frames-table, impact-by-incident); add .svg for the drawing, .csv for the table; ?incident= limits it to one incident',
    request: { params: chartParams, query: chartQuery },
    responses: {
      200: {
        content: { 'application/json': { schema: chartDataSchema }, 'image/svg+xml': { schema: text() }, 'text/csv': { schema: text() } },
        description: 'chart data, SVG or CSV',
      },
      ...errors,
    },
  }),
};

export function reportRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.report, async (c) => {
      const { format, ...query } = c.req.valid('query');
      const report = await getReport({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query });
      if (format === 'md') {
        return c.body(reportMarkdown(report), 200, { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': 'attachment; filename="reliability-report.md"' });
      }
      return c.json(report, 200);
    })
    .openapi(routes.chart, async (c) => {
      const { projectId, chart } = c.req.valid('param');
      const format = /\.(svg|csv)$/.exec(chart)?.[1];
      const id = (format ? chart.slice(0, -(format.length + 1)) : chart) as ChartId;
      const data = await getChartData({ ctx: serviceContext(deps, c), projectId, chart: id, options: c.req.valid('query') });
      // The incident's id (an identifier) keeps a limited chart's file apart from the whole one.
      const name = data.incident ? `${id}-${data.incident.id}` : id;
      if (format === 'svg') return c.body(chartSvg(data), 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'content-disposition': `inline; filename="${name}.svg"` });
      if (format === 'csv') return sendCsv(c, chartCsv(data), `${name}.csv`, '0');
      return c.json(data, 200);
    });
}
