import { createRoute } from '@hono/zod-openapi';
import { queueNextQuery, queueNextSchema, queueQuery, queueSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { getQueue } from '../services/queue/get-queue.ts';
import { nextInQueue } from '../services/queue/next-in-queue.ts';
import { errors, jsonContent, projectParams } from './schemas.ts';

/** A coder's own queue (her assigned items by status) and the next item to code in it. */
const routes = {
  queue: createRoute({
    method: 'get',
    path: '/{projectId}/queue',
    summary: "A coder's queue: her assigned items in project order with her status on each (to do, in progress, submitted) and the counts; managers may ask for any coder's",
    request: { params: projectParams, query: queueQuery },
    responses: { 200: jsonContent(queueSchema), ...errors },
  }),
  next: createRoute({
    method: 'get',
    path: '/{projectId}/queue/next',
    summary: "The caller's next unsubmitted item in queue order (after `after`, wrapping around), or 204 when none is left",
    request: { params: projectParams, query: queueNextQuery },
    responses: { 200: jsonContent(queueNextSchema), 204: { description: 'nothing left to code in the queue' }, ...errors },
  }),
};

export function queueRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.queue, async (c) => c.json(await getQueue({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200))
    .openapi(routes.next, async (c) => {
      const item = await nextInQueue({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') });
      return item ? c.json({ item }, 200) : c.body(null, 204);
    });
}
