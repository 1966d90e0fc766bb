import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { assignmentInput, assignmentPreviewSchema, assignmentResultSchema, assignmentSchema, text, workloadRowSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { createRound, listAssignments, previewRound, workload } from '../services/assignments/assignments.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

/** Rounds of assignments: creating one (and its dry run), listing them, and each coder's workload. */
const routes = {
  createRound: createRoute({
    method: 'post',
    path: '/{projectId}/assignments',
    summary: 'Assign items to coders in a new round (k coders per item, or a p% reliability sample), reproducible from a seed',
    request: { params: projectParams, body: jsonBody(assignmentInput) },
    responses: { 201: jsonContent(assignmentResultSchema), ...errors },
  }),
  list: createRoute({
    method: 'get',
    path: '/{projectId}/assignments',
    summary: "Assignments: a coder's own; all for managers",
    request: { params: projectParams, query: z.object({ coder: text().optional(), item: text().optional() }) },
    responses: { 200: jsonContent(z.array(assignmentSchema)), ...errors },
  }),
  preview: createRoute({
    method: 'post',
    path: '/{projectId}/assignments/preview',
    summary: 'Dry run of POST …/assignments: the workload per coder the same input (and seed) would create; writes nothing',
    request: { params: projectParams, body: jsonBody(assignmentInput) },
    responses: { 200: jsonContent(assignmentPreviewSchema), ...errors },
  }),
  workload: createRoute({
    method: 'get',
    path: '/{projectId}/assignments/workload',
    summary: "Each coder's assignments over all rounds, and how many are submitted",
    request: { params: projectParams },
    responses: { 200: jsonContent(z.array(workloadRowSchema)), ...errors },
  }),
};

export function assignmentRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.createRound, async (c) =>
      c.json(await createRound({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 201),
    )
    .openapi(routes.list, async (c) =>
      c.json(await listAssignments({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, filter: c.req.valid('query') }), 200),
    )
    .openapi(routes.preview, async (c) => c.json(await previewRound({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 200))
    .openapi(routes.workload, async (c) => c.json(await workload({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200));
}
