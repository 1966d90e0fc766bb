import { createRoute } from '@hono/zod-openapi';
import { actorInput, actorListQuery, actorListSchema, actorMergeInput, actorSchema, actorUpdateInput, okSchema, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { createActor, deleteActor, listActors, updateActor } from '../services/actors/actors.ts';
import { mergeActors } from '../services/actors/merge-actors.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

const actorParams = projectParams.extend({ actorId: text().max(100) });

const routes = {
  actors: createRoute({
    method: 'get',
    path: '/{projectId}/actors',
    summary: 'The project\'s actors (sources, speakers, outlets) the caller sees, by name; `q` searches names and aliases',
    request: { params: projectParams, query: actorListQuery },
    responses: { 200: jsonContent(actorListSchema), ...errors },
  }),
  createActor: createRoute({
    method: 'post',
    path: '/{projectId}/actors',
    summary: 'Create an actor (managers; coders only on the fly with `field` and `itemId`, where the link field allows it)',
    request: { params: projectParams, body: jsonBody(actorInput) },
    responses: { 201: jsonContent(actorSchema), ...errors, 409: errors[400] },
  }),
  updateActor: createRoute({
    method: 'patch',
    path: '/{projectId}/actors/{actorId}',
    summary: 'Edit an actor: only the fields sent change',
    request: { params: actorParams, body: jsonBody(actorUpdateInput) },
    responses: { 200: jsonContent(actorSchema), ...errors, 409: errors[400] },
  }),
  deleteActor: createRoute({
    method: 'delete',
    path: '/{projectId}/actors/{actorId}',
    summary: 'Delete an actor: it leaves the list and cannot be coded any more; values already coded keep its name in exports',
    request: { params: actorParams },
    responses: { 200: jsonContent(okSchema), ...errors },
  }),
  mergeActor: createRoute({
    method: 'post',
    path: '/{projectId}/actors/{actorId}/merge',
    summary: 'Merge a duplicate into this actor: its codings move here, its name and aliases become aliases',
    request: { params: actorParams, body: jsonBody(actorMergeInput) },
    responses: { 200: jsonContent(actorSchema), ...errors },
  }),
};

export function actorRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.actors, async (c) => c.json({ actors: await listActors({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }) }, 200))
    .openapi(routes.createActor, async (c) => c.json(await createActor({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 201))
    .openapi(routes.updateActor, async (c) => {
      const { projectId, actorId } = c.req.valid('param');
      return c.json(await updateActor({ ctx: serviceContext(deps, c), projectId, actorId, input: c.req.valid('json') }), 200);
    })
    .openapi(routes.deleteActor, async (c) => {
      const { projectId, actorId } = c.req.valid('param');
      await deleteActor({ ctx: serviceContext(deps, c), projectId, actorId });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.mergeActor, async (c) => {
      const { projectId, actorId } = c.req.valid('param');
      return c.json(await mergeActors({ ctx: serviceContext(deps, c), projectId, actorId, input: c.req.valid('json') }), 200);
    });
}
