import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { incidentInput, incidentSchema, okSchema, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { createIncident, deleteIncident, listIncidents, updateIncident } from '../services/items/incidents.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

const incidentParams = projectParams.extend({ incidentId: text().max(100) });

const routes = {
  incidents: createRoute({
    method: 'get',
    path: '/{projectId}/incidents',
    summary: 'The project\'s incidents',
    request: { params: projectParams },
    responses: { 200: jsonContent(z.array(incidentSchema)), ...errors },
  }),
  createIncident: createRoute({
    method: 'post',
    path: '/{projectId}/incidents',
    summary: 'Create an incident (owner, editor)',
    request: { params: projectParams, body: jsonBody(incidentInput) },
    responses: { 201: jsonContent(incidentSchema), ...errors, 409: errors[400] },
  }),
  updateIncident: createRoute({
    method: 'patch',
    path: '/{projectId}/incidents/{incidentId}',
    summary: 'Rename or describe an incident (owner, editor)',
    request: { params: incidentParams, body: jsonBody(incidentInput.partial()) },
    responses: { 200: jsonContent(okSchema), ...errors, 409: errors[400] },
  }),
  deleteIncident: createRoute({
    method: 'delete',
    path: '/{projectId}/incidents/{incidentId}',
    summary: 'Delete an incident (owner, editor)',
    request: { params: incidentParams },
    responses: { 200: jsonContent(okSchema), ...errors },
  }),
};

export function incidentRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.incidents, async (c) => c.json(await listIncidents(serviceContext(deps, c), c.req.valid('param').projectId), 200))
    .openapi(routes.createIncident, async (c) =>
      c.json(await createIncident(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('json')), 201),
    )
    .openapi(routes.updateIncident, async (c) => {
      const { projectId, incidentId } = c.req.valid('param');
      await updateIncident(serviceContext(deps, c), projectId, incidentId, c.req.valid('json'));
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.deleteIncident, async (c) => {
      const { projectId, incidentId } = c.req.valid('param');
      await deleteIncident(serviceContext(deps, c), projectId, incidentId);
      return c.json({ ok: true as const }, 200);
    });
}
