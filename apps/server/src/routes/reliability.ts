import { createRoute } from '@hono/zod-openapi';
import { reliabilityQuery, reliabilityReportSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { getReliability } from '../services/reliability/get-reliability.ts';
import { errors, jsonContent, projectParams } from './schemas.ts';

const report = createRoute({
  method: 'get',
  path: '/{projectId}/reliability',
  summary: 'Reliability per codebook field on submitted codings of revealed items (pre-adjudication), with a seeded bootstrap CI',
  request: { params: projectParams, query: reliabilityQuery },
  responses: { 200: jsonContent(reliabilityReportSchema), ...errors },
});

export function reliabilityRoutes(deps: AppDeps) {
  return newRouter().openapi(report, async (c) =>
    c.json(await getReliability(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('query')), 200),
  );
}
