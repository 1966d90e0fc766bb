/**
 * The narrative workbench (issue 14 item 6): the page's data, paged, and its Markdown and CSV
 * files (unpaged, the same filters). Managers only, as the final dataset.
 */
import { createRoute } from '@hono/zod-openapi';
import { workbenchCsvQuery, workbenchFilterQuery, workbenchQuery, workbenchSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { getWorkbench } from '../services/workbench/get-workbench.ts';
import { exportWorkbenchCsv, exportWorkbenchMarkdown } from '../services/workbench/workbench-export.ts';
import { attachment, csvResponses, fileResponses, sendCsv } from './downloads.ts';
import { errors, jsonContent, projectParams } from './schemas.ts';

const routes = {
  workbench: createRoute({
    method: 'get',
    path: '/{projectId}/workbench',
    summary:
      "The narrative workbench: items with their final values (labels, provenance; open before reveal), translation and tagged passages, filtered by frame field, frame (with its child frames) and incident, paged",
    request: { params: projectParams, query: workbenchQuery },
    responses: { 200: jsonContent(workbenchSchema), ...errors },
  }),
  markdown: createRoute({
    method: 'get',
    path: '/{projectId}/workbench.md',
    summary: 'The narrative workbench as Markdown: per frame, then per incident, each item with its reference, link, translation, final values and quoted passages',
    request: { params: projectParams, query: workbenchFilterQuery },
    responses: fileResponses('text/markdown', 'Markdown'),
  }),
  csv: createRoute({
    method: 'get',
    path: '/{projectId}/workbench.csv',
    summary: 'The narrative workbench as CSV: a row per frame, item and tagged passage, with the item columns, translation and every final value with its provenance',
    request: { params: projectParams, query: workbenchCsvQuery },
    responses: csvResponses('CSV'),
  }),
};

export function workbenchRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.workbench, async (c) => c.json(await getWorkbench({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200))
    .openapi(routes.markdown, async (c) => {
      const body = await exportWorkbenchMarkdown({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, filters: c.req.valid('query') });
      return c.body(body, 200, attachment('text/markdown; charset=utf-8', 'workbench.md'));
    })
    .openapi(routes.csv, async (c) => {
      const { bom, ...filters } = c.req.valid('query');
      return sendCsv(c, await exportWorkbenchCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, filters }), 'workbench.csv', bom);
    });
}
