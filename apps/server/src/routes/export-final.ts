/**
 * The files a study publishes: the final dataset (CSV, JSON, XLSX), the codings as XLSX, the
 * items file that goes with the R and SPSS layouts, and the owner's key to the coders'
 * pseudonyms.
 */
import { createRoute } from '@hono/zod-openapi';
import { csvDownloadQuery, finalDatasetSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { exportCodingsXlsx } from '../services/export/codings-export.ts';
import { exportFinalCsv, exportFinalXlsx, loadFinalDataset } from '../services/export/final-dataset.ts';
import { exportItemsCsv } from '../services/export/item-meta.ts';
import { exportCoderKeyCsv } from '../services/export/pseudonyms.ts';
import { csvResponses, sendCsv, sendXlsx, xlsxResponses } from './downloads.ts';
import { errors, projectParams } from './schemas.ts';

const routes = {
  finalCsv: createRoute({
    method: 'get',
    path: '/{projectId}/export/final.csv',
    summary: 'The final dataset: one row per item, its columns, and per field the final value and its provenance (unanimous, majority, decided, reviewed, revised, single, imported, open)',
    request: { params: projectParams, query: csvDownloadQuery },
    responses: csvResponses('CSV'),
  }),
  finalJson: createRoute({
    method: 'get',
    path: '/{projectId}/export/final.json',
    summary: 'The final dataset as JSON: fields, and per item its metadata and {value, provenance} per field',
    request: { params: projectParams },
    responses: { 200: { content: { 'application/json': { schema: finalDatasetSchema } }, description: 'JSON' }, ...errors },
  }),
  finalXlsx: createRoute({
    method: 'get',
    path: '/{projectId}/export/final.xlsx',
    summary: 'The final dataset as an Excel workbook (the CSV table; numbers as numbers, no formula)',
    request: { params: projectParams },
    responses: xlsxResponses('XLSX'),
  }),
  codingsXlsx: createRoute({
    method: 'get',
    path: '/{projectId}/export/codings.xlsx',
    summary: 'Submitted codings of revealed items as an Excel workbook (the long layout with the item columns)',
    request: { params: projectParams },
    responses: xlsxResponses('XLSX'),
  }),
  itemsCsv: createRoute({
    method: 'get',
    path: '/{projectId}/export/items.csv',
    summary: "The items' columns by unit (external id, title, incidents, platform, published at, link, phase): the companion of the R and SPSS layouts",
    request: { params: projectParams, query: csvDownloadQuery },
    responses: csvResponses('CSV'),
  }),
  coderKey: createRoute({
    method: 'get',
    path: '/{projectId}/export/coder-key.csv',
    summary: 'The key from the pseudonyms exports use (C1, C2…) to people: owners only',
    request: { params: projectParams, query: csvDownloadQuery },
    responses: csvResponses('CSV'),
  }),
};

export function finalExportRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.finalCsv, async (c) => sendCsv(c, await exportFinalCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'final.csv', c.req.valid('query').bom))
    .openapi(routes.finalJson, async (c) =>
      c.json(await loadFinalDataset({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200, { 'content-disposition': 'attachment; filename="final.json"' }),
    )
    .openapi(routes.finalXlsx, async (c) => sendXlsx(c, await exportFinalXlsx({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'final.xlsx'))
    .openapi(routes.codingsXlsx, async (c) => sendXlsx(c, await exportCodingsXlsx({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'codings.xlsx'))
    .openapi(routes.itemsCsv, async (c) => sendCsv(c, await exportItemsCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'items.csv', c.req.valid('query').bom))
    .openapi(routes.coderKey, async (c) => sendCsv(c, await exportCoderKeyCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'coder-key.csv', c.req.valid('query').bom));
}
