import { createRoute } from '@hono/zod-openapi';
import {
  adjudicationSchema,
  fieldKeySchema,
  reviewDetailSchema,
  reviewInput,
  reviewQueueQuery,
  reviewQueueSchema,
  reviewRoundsSchema,
  sampleInput,
  sampleResultSchema,
  text,
} from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { listReviewQueue } from '../services/review/review-queue.ts';
import { getReviewDetail, reviewField } from '../services/review/review-item.ts';
import { listReviewRounds, sampleRound } from '../services/review/sample-round.ts';
import { errors, itemParams, jsonBody, jsonContent, projectParams } from './schemas.ts';

/** Review rounds: the queue, a single-coded item field by field, and sampling a share for double coding. */
const conflict = { 409: errors[400] };

const routes = {
  queue: createRoute({
    method: 'get',
    path: '/{projectId}/review',
    summary: "The review queue: items of review rounds their one coder submitted, filterable by coder and incident (managers)",
    request: { params: projectParams, query: reviewQueueQuery },
    responses: { 200: jsonContent(reviewQueueSchema), ...errors },
  }),
  detail: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/review',
    summary: "A single-coded item for review: each field's submitted value and decision (managers)",
    request: { params: itemParams },
    responses: { 200: jsonContent(reviewDetailSchema), ...errors, ...conflict },
  }),
  review: createRoute({
    method: 'put',
    path: '/{projectId}/items/{itemId}/review/{fieldKey}',
    summary: "Accept the coder's value of a field, or revise it with a rationale; recorded like an adjudication (provenance reviewed)",
    request: { params: itemParams.extend({ fieldKey: fieldKeySchema }), body: jsonBody(reviewInput) },
    responses: { 200: jsonContent(adjudicationSchema), ...errors, ...conflict },
  }),
  rounds: createRoute({
    method: 'get',
    path: '/{projectId}/review/rounds',
    summary: 'The review rounds, each with how many items are still open for blind double coding and the samples drawn (managers)',
    request: { params: projectParams },
    responses: { 200: jsonContent(reviewRoundsSchema), ...errors },
  }),
  sample: createRoute({
    method: 'post',
    path: '/{projectId}/rounds/{roundId}/sample',
    summary: "Assign a second, blind coder to a seeded random share (or number) of a review round's items still open, so reliability can be measured on them; `preview` writes nothing",
    request: { params: projectParams.extend({ roundId: text().max(100) }), body: jsonBody(sampleInput) },
    responses: { 200: jsonContent(sampleResultSchema), ...errors, ...conflict },
  }),
};

export function reviewRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.queue, async (c) => c.json(await listReviewQueue({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200))
    .openapi(routes.rounds, async (c) => c.json(await listReviewRounds({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200))
    .openapi(routes.detail, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await getReviewDetail({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.review, async (c) => {
      const { projectId, itemId, fieldKey } = c.req.valid('param');
      return c.json(await reviewField({ ctx: serviceContext(deps, c), projectId, itemId, fieldKey, input: c.req.valid('json') }), 200);
    })
    .openapi(routes.sample, async (c) => {
      const { projectId, roundId } = c.req.valid('param');
      return c.json(await sampleRound({ ctx: serviceContext(deps, c), projectId, roundId, input: c.req.valid('json') }), 200);
    });
}
