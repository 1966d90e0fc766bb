import { createRoute } from '@hono/zod-openapi';
import { incidentDetailSchema, incidentInput, incidentListSchema, incidentSchema, incidentUpdateInput, okSchema, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { createIncident, deleteIncident, listIncidents, updateIncident } from '../services/items/incidents.ts';
import { getIncident } from '../services/items/get-incident.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

const incidentParams = projectParams.extend({ incidentId: text().max(100) });

const routes = {
  incidents: createRoute({
    method: 'get',
    path: '/{projectId}/incidents',
    summary: 'The project\'s incidents with their dates and item counts (an item in several incidents counts under each)',
    request: { params: projectParams },
    responses: { 200: jsonContent(incidentListSchema), ...errors },
  }),
  incident: createRoute({
    method: 'get',
    path: '/{projectId}/incidents/{incidentId}',
    summary: 'One incident with its item count and progress (items, coded, submitted, revealed), counted as the project\'s progress is for the caller',
    request: { params: incidentParams },
    responses: { 200: jsonContent(incidentDetailSchema), ...errors },
  }),
  createIncident: createRoute({
    method: 'post',
    path: '/{projectId}/incidents',
    summary: 'Create an incident (name, description, country, start and end dates, tags)',
    request: { params: projectParams, body: jsonBody(incidentInput) },
    responses: { 201: jsonContent(incidentSchema), ...errors, 409: errors[400] },
  }),
  updateIncident: createRoute({
    method: 'patch',
    path: '/{projectId}/incidents/{incidentId}',
    summary: 'Edit an incident: only the fields sent change',
    request: { params: incidentParams, body: jsonBody(incidentUpdateInput) },
    responses: { 200: jsonContent(okSchema), ...errors, 409: errors[400] },
  }),
  deleteIncident: createRoute({
    method: 'delete',
    path: '/{projectId}/incidents/{incidentId}',
    summary: 'Delete an incident; its items stay, unlinked from it',
    request: { params: incidentParams },
    responses: { 200: jsonContent(okSchema), ...errors },
  }),
};

export function incidentRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.incidents, async (c) => c.json({ incidents: await listIncidents({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }) }, 200))
    .openapi(routes.incident, async (c) => {
      const { projectId, incidentId } = c.req.valid('param');
      return c.json(await getIncident({ ctx: serviceContext(deps, c), projectId, incidentId }), 200);
    })
    .openapi(routes.createIncident, async (c) =>
      c.json(await createIncident({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 201),
    )
    .openapi(routes.updateIncident, async (c) => {
      const { projectId, incidentId } = c.req.valid('param');
      await updateIncident({ ctx: serviceContext(deps, c), projectId, incidentId, input: c.req.valid('json') });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.deleteIncident, async (c) => {
      const { projectId, incidentId } = c.req.valid('param');
      await deleteIncident({ ctx: serviceContext(deps, c), projectId, incidentId });
      return c.json({ ok: true as const }, 200);
    });
}
