import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { adjudicationInput, adjudicationListQuery, adjudicationSchema, csvDownloadQuery, fieldKeySchema, revisedCodingSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { adjudicate } from '../services/adjudications/adjudicate.ts';
import { listAdjudications } from '../services/adjudications/list-adjudications.ts';
import { listItemDecisions } from '../services/adjudications/item-decisions.ts';
import { reopenAdjudication } from '../services/adjudications/reopen-adjudication.ts';
import { listItemRevisions } from '../services/revisions/item-revisions.ts';
import { exportGoldCsv, goldWideLocation } from '../services/export/gold-export.ts';
import { csvResponses, sendCsv } from './downloads.ts';
import { errors, itemParams, jsonBody, jsonContent, projectParams } from './schemas.ts';

const conflict = { 409: errors[400] };
const decisionParams = itemParams.extend({ fieldKey: fieldKeySchema });

const routes = {
  decide: createRoute({
    method: 'put',
    path: '/{projectId}/items/{itemId}/adjudications/{fieldKey}',
    summary: "Record (or revise) the consensus value of a revealed item's field, with a rationale; codings are never changed",
    request: { params: decisionParams, body: jsonBody(adjudicationInput) },
    responses: { 200: jsonContent(adjudicationSchema), ...errors, ...conflict },
  }),
  reopen: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/adjudications/{fieldKey}/reopen',
    summary: 'Reopen a decision; it leaves the gold dataset until decided again',
    request: { params: decisionParams },
    responses: { 200: jsonContent(adjudicationSchema), ...errors, ...conflict },
  }),
  itemDecisions: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/adjudications',
    summary: "The decisions on one item, for everyone in its joint session: managers and the item's coders, once it is no longer coded blind",
    request: { params: itemParams },
    responses: { 200: jsonContent(z.array(adjudicationSchema)), ...errors },
  }),
  itemRevisions: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/revisions',
    summary:
      "The item's revised codings: the values its joint session agreed on in a production round, stored when the session ended; managers and the item's coders, once it is no longer coded blind",
    request: { params: itemParams },
    responses: { 200: jsonContent(z.array(revisedCodingSchema)), ...errors },
  }),
  list: createRoute({
    method: 'get',
    path: '/{projectId}/adjudications',
    summary: 'Adjudications: the gold dataset (status=decided, the default), reopened ones, or all',
    request: { params: projectParams, query: adjudicationListQuery },
    responses: { 200: jsonContent(z.array(adjudicationSchema)), ...errors },
  }),
  goldCsv: createRoute({
    method: 'get',
    path: '/{projectId}/export/gold.csv',
    summary:
      'The gold dataset of revealed items, long: every final value with its provenance, decisions with rationale, who decided and when; wide redirects (308) to export/final.csv',
    request: { params: projectParams, query: z.object({ layout: z.enum(['long', 'wide']).default('long') }).extend(csvDownloadQuery.shape) },
    responses: { ...csvResponses('CSV'), 308: { description: 'layout=wide: the final dataset (export/final.csv) holds the gold values, a row per item' } },
  }),
};

export function adjudicationRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.decide, async (c) => {
      const { projectId, itemId, fieldKey } = c.req.valid('param');
      return c.json(await adjudicate({ ctx: serviceContext(deps, c), projectId, itemId, fieldKey, input: c.req.valid('json') }), 200);
    })
    .openapi(routes.reopen, async (c) => {
      const { projectId, itemId, fieldKey } = c.req.valid('param');
      return c.json(await reopenAdjudication({ ctx: serviceContext(deps, c), projectId, itemId, fieldKey }), 200);
    })
    .openapi(routes.itemDecisions, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await listItemDecisions({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.itemRevisions, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await listItemRevisions({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.list, async (c) =>
      c.json(await listAdjudications({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200),
    )
    .openapi(routes.goldCsv, async (c) => {
      const { layout, bom } = c.req.valid('query');
      const ctx = serviceContext(deps, c);
      const { projectId } = c.req.valid('param');
      if (layout === 'wide') return c.redirect(`${await goldWideLocation({ ctx, projectId })}${bom === '1' ? '?bom=1' : ''}`, 308);
      return sendCsv(c, await exportGoldCsv({ ctx, projectId }), 'gold-long.csv', bom);
    });
}
