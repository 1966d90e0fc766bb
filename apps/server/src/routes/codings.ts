import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { codingSchema, codingsUpsertInput, reopenSubmissionInput, reopenSubmissionResultSchema, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { getMyCodings, listItemCodings, saveMyCodings, submitMyCodings } from '../services/codings/codings.ts';
import { reopenSubmission } from '../services/codings/reopen-submission.ts';
import { errors, itemParams, jsonBody, jsonContent } from './schemas.ts';

const conflict = { 409: errors[400] };

const routes = {
  itemCodings: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/codings',
    summary: "The item's codings the caller may see (own always; others only as the phase allows)",
    request: { params: itemParams },
    responses: { 200: jsonContent(z.array(codingSchema)), ...errors },
  }),
  mine: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/codings/me',
    summary: 'Your own coding of an item (values and status)',
    request: { params: itemParams },
    responses: { 200: jsonContent(z.array(codingSchema)), ...errors },
  }),
  save: createRoute({
    method: 'put',
    path: '/{projectId}/items/{itemId}/codings/me',
    summary: 'Save draft values (null clears a field)',
    request: { params: itemParams, body: jsonBody(codingsUpsertInput) },
    responses: { 200: jsonContent(z.array(codingSchema)), ...errors, ...conflict },
  }),
  submit: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/codings/me/submit',
    summary:
      "Submit own codings; the item is revealed when its last coder submits. Each coding records the item's text version; `itemVersion` (the version the coder sees) refuses a submit on a text that changed since (409)",
    request: { params: itemParams, query: z.object({ itemVersion: z.coerce.number().int().min(1).optional() }) },
    responses: { 200: jsonContent(z.object({ revealed: z.boolean() })), ...errors, ...conflict },
  }),
  reopen: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/codings/{coderId}/reopen',
    summary: "Reopen one coder's submission (editors; reason required, audited); no longer blind if the item had left the independent phase",
    request: { params: itemParams.extend({ coderId: text().max(100) }), body: jsonBody(reopenSubmissionInput) },
    responses: { 200: jsonContent(reopenSubmissionResultSchema), ...errors, ...conflict },
  }),
};

export function codingRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.itemCodings, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await listItemCodings({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.mine, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await getMyCodings({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.save, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await saveMyCodings({ ctx: serviceContext(deps, c), projectId, itemId, values: c.req.valid('json').values }), 200);
    })
    .openapi(routes.submit, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await submitMyCodings({ ctx: serviceContext(deps, c), projectId, itemId, seenVersion: c.req.valid('query').itemVersion }), 200);
    })
    .openapi(routes.reopen, async (c) => {
      const { projectId, itemId, coderId } = c.req.valid('param');
      return c.json(await reopenSubmission({ ctx: serviceContext(deps, c), projectId, itemId, coderId, input: c.req.valid('json') }), 200);
    });
}
