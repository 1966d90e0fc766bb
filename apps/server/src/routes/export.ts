import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { csvDownloadQuery, discussionExportSchema, perFieldExportQuery, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { exportCodebookCsv, exportCodebookJson, exportCodebookQdc } from '../services/export/codebook-export.ts';
import { exportCodingsCsv } from '../services/export/codings-export.ts';
import { exportDiscussionCsv, loadDiscussion } from '../services/export/discussion-export.ts';
import { exportRMatrixCsv, exportSpssKalphaCsv, exportSpssKalphaSyntax } from '../services/export/matrix-exports.ts';
import { exportSpansCsv } from '../services/export/spans-export.ts';
import { exportTidycommCsv } from '../services/export/tidycomm-export.ts';
import { attachment as download, csvResponses as csv, fileResponses as file, sendCsv } from './downloads.ts';
import { errors, projectParams } from './schemas.ts';

/** Per-field CSV files take the field and the byte-order-mark option. */
const perFieldCsvQuery = perFieldExportQuery.extend(csvDownloadQuery.shape);

const routes = {
  codingsCsv: createRoute({
    method: 'get',
    path: '/{projectId}/export/codings.csv',
    summary:
      'Submitted codings of revealed items: long (unit,coder,field,value,item_version, then the item columns) or wide (one field: unit, the item columns, with itemVersions=1 an item_version_<coder> column per coder, then a column per coder pseudonym)',
    request: {
      params: projectParams,
      query: z
        .object({
          layout: z.enum(['long', 'wide']).default('long'),
          field: text().max(100).optional(),
          itemVersions: z.enum(['0', '1']).default('0').describe("wide layout, 1: before the coders, each coder's item_version_<coder> column (the item text version her coding was made on)"),
        })
        .extend(csvDownloadQuery.shape),
    },
    responses: csv('CSV'),
  }),
  spansCsv: createRoute({
    method: 'get',
    path: '/{projectId}/export/spans.csv',
    summary:
      "The coders' own span tags of revealed items (submitted coders): item, external_id, coder (pseudonym), field, frame, start, end (UTF-16 offsets into the item text, end exclusive), text",
    request: { params: projectParams, query: csvDownloadQuery },
    responses: csv('CSV'),
  }),
  irr: createRoute({
    method: 'get',
    path: '/{projectId}/export/irr.csv',
    summary: 'R irr layout: one field as a units x coders matrix of numeric codes (NA = missing); irr::kripp.alpha(t(as.matrix(d[, -1])))',
    request: { params: projectParams, query: perFieldCsvQuery },
    responses: csv('CSV for read.csv'),
  }),
  krippendorffsalpha: createRoute({
    method: 'get',
    path: '/{projectId}/export/krippendorffsalpha.csv',
    summary: 'R krippendorffsalpha layout (the irr matrix): krippendorffs.alpha(as.matrix(d[, -1]), level = "ordinal")',
    request: { params: projectParams, query: perFieldCsvQuery },
    responses: csv('CSV for read.csv'),
  }),
  tidycomm: createRoute({
    method: 'get',
    path: '/{projectId}/export/tidycomm.csv',
    summary: 'R tidycomm layout: one row per unit and coder, a column per coded field; tidycomm::test_icr(d, unit, coder)',
    request: { params: projectParams, query: csvDownloadQuery },
    responses: csv('CSV for read.csv'),
  }),
  spssData: createRoute({
    method: 'get',
    path: '/{projectId}/export/spss-kalpha.csv',
    summary: 'SPSS KALPHA data: one field, units in rows, coders c1..cN in columns, numeric codes, empty = missing',
    request: { params: projectParams, query: perFieldCsvQuery },
    responses: csv('CSV for GET DATA'),
  }),
  spssSyntax: createRoute({
    method: 'get',
    path: '/{projectId}/export/spss-kalpha.sps',
    summary: 'SPSS syntax for the KALPHA data file: GET DATA, coder and value labels, the KALPHA call',
    request: { params: projectParams, query: perFieldExportQuery },
    responses: file('text/plain', 'SPSS syntax'),
  }),
  codebookJson: createRoute({
    method: 'get',
    path: '/{projectId}/export/codebook.json',
    summary: 'The current codebook version as canonical JSON (sorted keys): {name, version, fields}',
    request: { params: projectParams },
    responses: file('application/json', 'JSON'),
  }),
  codebookCsv: createRoute({
    method: 'get',
    path: '/{projectId}/export/codebook.csv',
    summary: 'The codebook as CSV: one row per option or scale point (with parent and numeric code), N/A, number and text fields',
    request: { params: projectParams, query: csvDownloadQuery },
    responses: csv('CSV'),
  }),
  codebookQdc: createRoute({
    method: 'get',
    path: '/{projectId}/export/codebook.qdc',
    summary: 'The current codebook as a REFI-QDA codebook (QDA-XML CodeBook 1.0) for ATLAS.ti, MAXQDA, NVivo, QualCoder: choice and ordinal fields as codes, options as child codes',
    request: { params: projectParams },
    responses: file('application/xml', 'REFI-QDA codebook XML'),
  }),
  discussionCsv: createRoute({
    method: 'get',
    path: '/{projectId}/export/discussion.csv',
    summary: 'Comments and every adjudication step (decide, revise, reopen) of revealed items, with who, when, value and rationale',
    request: { params: projectParams, query: csvDownloadQuery },
    responses: csv('CSV'),
  }),
  discussionJson: createRoute({
    method: 'get',
    path: '/{projectId}/export/discussion.json',
    summary: 'The discussion export as JSON: {entries: [...]}',
    request: { params: projectParams },
    responses: { 200: { content: { 'application/json': { schema: discussionExportSchema } }, description: 'JSON' }, ...errors },
  }),
};

export function exportRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.codingsCsv, async (c) => {
      const { projectId } = c.req.valid('param');
      const query = c.req.valid('query');
      const body = await exportCodingsCsv({ ctx: serviceContext(deps, c), projectId, options: { layout: query.layout, field: query.field, itemVersions: query.itemVersions === '1' } });
      return sendCsv(c, body, `codings-${query.layout}${query.field ? `-${query.field}` : ''}.csv`, query.bom);
    })
    .openapi(routes.spansCsv, async (c) => sendCsv(c, await exportSpansCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'spans.csv', c.req.valid('query').bom))
    .openapi(routes.irr, async (c) => {
      const { field, bom } = c.req.valid('query');
      return sendCsv(c, await exportRMatrixCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, fieldKey: field }), `irr-${field}.csv`, bom);
    })
    .openapi(routes.krippendorffsalpha, async (c) => {
      const { field, bom } = c.req.valid('query');
      return sendCsv(c, await exportRMatrixCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, fieldKey: field }), `krippendorffsalpha-${field}.csv`, bom);
    })
    .openapi(routes.tidycomm, async (c) => sendCsv(c, await exportTidycommCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'tidycomm.csv', c.req.valid('query').bom))
    .openapi(routes.spssData, async (c) => {
      const { field, bom } = c.req.valid('query');
      return sendCsv(c, await exportSpssKalphaCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, fieldKey: field }), `spss-kalpha-${field}.csv`, bom);
    })
    .openapi(routes.spssSyntax, async (c) => {
      const { field } = c.req.valid('query');
      const body = await exportSpssKalphaSyntax({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, fieldKey: field });
      return c.body(body, 200, download('text/plain; charset=utf-8', `spss-kalpha-${field}.sps`));
    })
    .openapi(routes.codebookJson, async (c) =>
      c.body(await exportCodebookJson({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200, download('application/json; charset=utf-8', 'codebook.json')),
    )
    .openapi(routes.codebookCsv, async (c) => sendCsv(c, await exportCodebookCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'codebook.csv', c.req.valid('query').bom))
    .openapi(routes.codebookQdc, async (c) =>
      c.body(await exportCodebookQdc({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200, download('application/xml; charset=utf-8', 'codebook.qdc')),
    )
    .openapi(routes.discussionCsv, async (c) =>
      sendCsv(c, await exportDiscussionCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 'discussion.csv', c.req.valid('query').bom),
    )
    .openapi(routes.discussionJson, async (c) => {
      const entries = await loadDiscussion({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId });
      return c.json({ entries }, 200, { 'content-disposition': 'attachment; filename="discussion.json"' });
    });
}
