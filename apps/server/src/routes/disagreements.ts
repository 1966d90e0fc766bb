import { createRoute } from '@hono/zod-openapi';
import { disagreementListSchema, disagreementQuery } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { listDisagreements } from '../services/disagreements/list-disagreements.ts';
import { errors, jsonContent, projectParams } from './schemas.ts';

const inbox = createRoute({
  method: 'get',
  path: '/{projectId}/disagreements',
  summary: 'The disagreement inbox: (item, field) pairs of revealed items whose submitted values differ, most severe first',
  request: { params: projectParams, query: disagreementQuery },
  responses: { 200: jsonContent(disagreementListSchema), ...errors },
});

export function disagreementRoutes(deps: AppDeps) {
  return newRouter().openapi(inbox, async (c) =>
    c.json(await listDisagreements(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('query')), 200),
  );
}
