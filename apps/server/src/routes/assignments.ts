import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { assignmentInput, assignmentPreviewSchema, workloadRowSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { previewRound, workload } from '../services/assignments/assignments.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

/** Assignment planning for the assignments page; creating and listing rounds live in codings.ts. */
const routes = {
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
    .openapi(routes.preview, async (c) => c.json(await previewRound(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('json')), 200))
    .openapi(routes.workload, async (c) => c.json(await workload(serviceContext(deps, c), c.req.valid('param').projectId), 200));
}
