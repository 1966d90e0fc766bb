import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { itemBulkInput, itemBulkResultSchema, itemDeleteResultSchema, itemFilterQuery, itemVersionListSchema, itemVersionSchema, itemPurgeInput, itemRowsSchema, itemInput, itemListQuery, itemSchema, itemUpdateInput, okSchema, phaseUpdateInput } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import {
  bulkUpdateItems,
  createItem,
  deleteItem,
  getItem,
  getItemVersion,
  listItemRows,
  listItems,
  listItemVersions,
  purgeItem,
  restoreItem,
  setItemPhase,
  updateItem,
} from '../services/items/items.ts';
import { errorResponse, errors, itemParams, jsonBody, jsonContent, projectParams } from './schemas.ts';

const routes = {
  list: createRoute({
    method: 'get',
    path: '/{projectId}/items',
    summary: 'Items, filtered by incident, phase, assigned coder or text; paginated',
    request: { params: projectParams, query: itemListQuery },
    responses: { 200: jsonContent(z.object({ items: z.array(itemSchema), total: z.number().int() })), ...errors },
  }),
  rows: createRoute({
    method: 'get',
    path: '/{projectId}/item-rows',
    summary: 'Every matching item as a table row (no text), in import order; same filters as the item list',
    request: { params: projectParams, query: itemFilterQuery },
    responses: { 200: jsonContent(itemRowsSchema), ...errors },
  }),
  create: createRoute({
    method: 'post',
    path: '/{projectId}/items',
    summary: 'Add one item (the import\'s validation); `incidentIds` links it to incidents, the first primary',
    request: { params: projectParams, body: jsonBody(itemInput) },
    responses: { 201: jsonContent(itemSchema), ...errors },
  }),
  bulk: createRoute({
    method: 'patch',
    path: '/{projectId}/items',
    summary: 'Bulk edit: set incidents (replace or add), platform or language on the selected items, all or nothing; an audit entry per changed item',
    request: { params: projectParams, body: jsonBody(itemBulkInput) },
    responses: { 200: jsonContent(itemBulkResultSchema), ...errors },
  }),
  versions: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/versions',
    summary: "The item's kept earlier texts (newest first, without their text) and its current version number",
    request: { params: itemParams },
    responses: { 200: jsonContent(itemVersionListSchema), ...errors },
  }),
  version: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/versions/{version}',
    summary: 'One text of the item: an earlier version kept when its text changed after coding began, or the current one',
    request: { params: itemParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }) },
    responses: { 200: jsonContent(itemVersionSchema), ...errors },
  }),
  get: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}',
    summary: 'One item with its incidents (`incidentIds`, the first primary)',
    request: { params: itemParams },
    responses: { 200: jsonContent(itemSchema), ...errors },
  }),
  update: createRoute({
    method: 'patch',
    path: '/{projectId}/items/{itemId}',
    summary: 'Edit an item: only the fields sent change; `incidentIds` replaces its incidents',
    request: { params: itemParams, body: jsonBody(itemUpdateInput) },
    responses: { 200: jsonContent(itemSchema), ...errors },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{projectId}/items/{itemId}',
    summary: 'Delete an item; one with codings, comments or decisions is archived instead (`outcome`), restorable',
    request: { params: itemParams },
    responses: { 200: jsonContent(itemDeleteResultSchema), ...errors },
  }),
  restore: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/restore',
    summary: 'Bring an archived item back into lists and rounds (409 when it is not archived)',
    request: { params: itemParams },
    responses: { 200: jsonContent(itemSchema), 409: errorResponse, ...errors },
  }),
  purge: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/purge',
    summary: 'Owners: remove an archived item with its codings, comments and decisions for good; the body repeats the item id',
    request: { params: itemParams, body: jsonBody(itemPurgeInput) },
    responses: { 200: jsonContent(okSchema), 409: errorResponse, ...errors },
  }),
  phase: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/phase',
    summary:
      'Open a joint session, reveal, or return an item to independent coding; a reliability round\'s item leaves independence before every coder submitted only with confirmExcludeLate (409 otherwise)',
    request: { params: itemParams, body: jsonBody(phaseUpdateInput) },
    responses: { 200: jsonContent(itemSchema), 409: errorResponse, ...errors },
  }),
};

export function itemRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.list, async (c) => c.json(await listItems({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200))
    .openapi(routes.rows, async (c) => c.json(await listItemRows({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200))
    .openapi(routes.create, async (c) => c.json(await createItem({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 201))
    .openapi(routes.bulk, async (c) => c.json(await bulkUpdateItems({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 200))
    .openapi(routes.versions, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await listItemVersions({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.version, async (c) => {
      const { projectId, itemId, version } = c.req.valid('param');
      return c.json(await getItemVersion({ ctx: serviceContext(deps, c), projectId, itemId, version }), 200);
    })
    .openapi(routes.get, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await getItem({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.update, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await updateItem({ ctx: serviceContext(deps, c), projectId, itemId, input: c.req.valid('json') }), 200);
    })
    .openapi(routes.remove, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await deleteItem({ ctx: serviceContext(deps, c), projectId, itemId, attachmentSettings: deps.config.attachments }), 200);
    })
    .openapi(routes.restore, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await restoreItem({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.purge, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      await purgeItem({ ctx: serviceContext(deps, c), projectId, itemId, input: c.req.valid('json'), attachmentSettings: deps.config.attachments });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.phase, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      const { phase, confirmExcludeLate } = c.req.valid('json');
      return c.json(await setItemPhase({ ctx: serviceContext(deps, c), projectId, itemId, phase, options: { confirmExcludeLate } }), 200);
    });
}
