import { createRoute } from '@hono/zod-openapi';
import { disagreementDetailSchema, disagreementListSchema, disagreementQuery, fieldKeySchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { getDisagreement } from '../services/disagreements/get-disagreement.ts';
import { listDisagreements } from '../services/disagreements/list-disagreements.ts';
import { errors, itemParams, jsonContent, projectParams } from './schemas.ts';

const inbox = createRoute({
  method: 'get',
  path: '/{projectId}/disagreements',
  summary: 'The disagreement inbox: (item, field) pairs of revealed items whose submitted values differ, most severe first (coders: their own items only)',
  request: { params: projectParams, query: disagreementQuery },
  responses: { 200: jsonContent(disagreementListSchema), ...errors },
});

const detail = createRoute({
  method: 'get',
  path: '/{projectId}/items/{itemId}/disagreements/{fieldKey}',
  summary: "One disagreement side by side: the item, each coder's value and notes, the decision and its history (never before reveal)",
  request: { params: itemParams.extend({ fieldKey: fieldKeySchema }) },
  responses: { 200: jsonContent(disagreementDetailSchema), ...errors },
});

export function disagreementRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(inbox, async (c) => c.json(await listDisagreements({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200))
    .openapi(detail, async (c) => {
      const { projectId, itemId, fieldKey } = c.req.valid('param');
      return c.json(await getDisagreement({ ctx: serviceContext(deps, c), projectId, itemId, fieldKey }), 200);
    });
}
