import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { commentInput, commentSchema, fieldKeySchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { addComment } from '../services/comments/add-comment.ts';
import { listComments } from '../services/comments/list-comments.ts';
import { errors, itemParams, jsonBody, jsonContent } from './schemas.ts';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/comments',
    summary: "The item's discussion the caller may read (blind while independent: coders' comments stay private)",
    request: { params: itemParams, query: z.object({ field: fieldKeySchema.optional() }) },
    responses: { 200: jsonContent(z.array(commentSchema)), ...errors },
  }),
  add: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/comments',
    summary: 'Comment on an item, or on one of its fields (a disagreement thread)',
    request: { params: itemParams, body: jsonBody(commentInput) },
    responses: { 201: jsonContent(commentSchema), ...errors },
  }),
};

export function commentRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.list, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await listComments({ ctx: serviceContext(deps, c), projectId, itemId, query: c.req.valid('query') }), 200);
    })
    .openapi(routes.add, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await addComment({ ctx: serviceContext(deps, c), projectId, itemId, input: c.req.valid('json') }), 201);
    });
}
