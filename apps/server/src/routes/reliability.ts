import { createRoute } from '@hono/zod-openapi';
import {
  fieldDrilldownParams,
  fieldDrilldownQuery,
  fieldDrilldownSchema,
  reliabilityPlanInput,
  reliabilityPlanSchema,
  reliabilityQuery,
  reliabilityReportSchema,
  spanReliabilityQuery,
  spanReliabilitySchema,
} from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { createReliabilityCache } from '../services/reliability/cache.ts';
import { getFieldDrilldown } from '../services/reliability/get-field-drilldown.ts';
import { getReliability } from '../services/reliability/get-reliability.ts';
import { planReliabilityRound } from '../services/reliability/plan-reliability.ts';
import { getSpanReliability } from '../services/spans/span-reliability.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

const report = createRoute({
  method: 'get',
  path: '/{projectId}/reliability',
  summary: 'Reliability per codebook field on submitted codings of revealed items (pre-adjudication), with a seeded bootstrap CI',
  request: { params: projectParams, query: reliabilityQuery },
  responses: { 200: jsonContent(reliabilityReportSchema), ...errors },
});

const drilldown = createRoute({
  method: 'get',
  path: '/{projectId}/reliability/fields/{fieldKey}',
  summary:
    "One field's reliability in detail: per value (alpha of the value against the rest, prevalence), per coder pair (agreement, Cohen's kappa, alpha), each coder against the rest, per incident and over rounds or weeks, with a prevalence-paradox warning; same filters and data as /reliability",
  request: { params: fieldDrilldownParams, query: fieldDrilldownQuery },
  responses: { 200: jsonContent(fieldDrilldownSchema), ...errors },
});

const spans = createRoute({
  method: 'get',
  path: '/{projectId}/reliability/spans',
  summary:
    "Span agreement per taggable field: Krippendorff's unitizing alphas (u, |u, cu; per frame u and (k)u; per coder pair and incident) over the coders' own span tags of revealed items, blind coders only, with seeded bootstrap CIs over items; `definition` says which definition is used",
  request: { params: projectParams, query: spanReliabilityQuery },
  responses: { 200: jsonContent(spanReliabilitySchema), ...errors },
});

const plan = createRoute({
  method: 'post',
  path: '/{projectId}/reliability/plan',
  summary:
    "Plan a reliability round: the fewest items and coders for which the lower bound of the field's 95% bootstrap interval reaches the target with the given probability, by simulation from a pilot (the field's revealed blind codings) or an expected alpha; bounded (simulations, replicates, items, coders and total work), with the round's items",
  request: { params: projectParams, body: jsonBody(reliabilityPlanInput) },
  responses: { 200: jsonContent(reliabilityPlanSchema), ...errors },
});

export function reliabilityRoutes(deps: AppDeps) {
  // One cache per app; entries are keyed by the project's data version, so they never go stale.
  const cache = createReliabilityCache();
  return newRouter()
    .openapi(report, async (c) => c.json(await getReliability({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query'), options: { cache } }), 200))
    .openapi(spans, async (c) => c.json(await getSpanReliability({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query'), options: { cache } }), 200))
    .openapi(plan, async (c) => c.json(await planReliabilityRound({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 200))
    .openapi(drilldown, async (c) => {
      const { projectId, fieldKey } = c.req.valid('param');
      return c.json(await getFieldDrilldown({ ctx: serviceContext(deps, c), projectId, fieldKey, query: c.req.valid('query'), options: { cache } }), 200);
    });
}
