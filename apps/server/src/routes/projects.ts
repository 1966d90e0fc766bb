import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { inviteInput, inviteResultSchema, memberInput, memberSchema, memberUpdateInput, okSchema, projectInput, projectSchema, projectUpdateInput, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { inviteMember } from '../services/projects/invites.ts';
import { addMember, listMembers, removeMember, updateMemberRole } from '../services/projects/members.ts';
import { createProject, deleteProject, getProject, listProjects, updateProject } from '../services/projects/projects.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

const memberParams = projectParams.extend({ userId: text().max(100) });

const routes = {
  list: createRoute({ method: 'get', path: '/', summary: "The caller's projects", responses: { 200: jsonContent(z.array(projectSchema)), ...errors } }),
  create: createRoute({
    method: 'post',
    path: '/',
    summary: 'Create a project (the caller becomes its owner)',
    request: { body: jsonBody(projectInput) },
    responses: { 201: jsonContent(projectSchema), ...errors },
  }),
  get: createRoute({ method: 'get', path: '/{projectId}', request: { params: projectParams }, responses: { 200: jsonContent(projectSchema), ...errors } }),
  update: createRoute({
    method: 'patch',
    path: '/{projectId}',
    request: { params: projectParams, body: jsonBody(projectUpdateInput) },
    responses: { 200: jsonContent(projectSchema), ...errors },
  }),
  remove: createRoute({ method: 'delete', path: '/{projectId}', request: { params: projectParams }, responses: { 200: jsonContent(okSchema), ...errors } }),
  members: createRoute({
    method: 'get',
    path: '/{projectId}/members',
    request: { params: projectParams },
    responses: { 200: jsonContent(z.array(memberSchema)), ...errors },
  }),
  addMember: createRoute({
    method: 'post',
    path: '/{projectId}/members',
    summary: 'Add a member; an unknown email creates the account with a one-time password',
    request: { params: projectParams, body: jsonBody(memberInput) },
    responses: { 201: jsonContent(z.object({ member: memberSchema, oneTimePassword: text().nullable() })), ...errors, 409: errors[400] },
  }),
  invite: createRoute({
    method: 'post',
    path: '/{projectId}/invites',
    summary: 'Invite by email: an unknown email gets an account and a one-time link (`/invite/<token>`) for the owner to pass on',
    request: { params: projectParams, body: jsonBody(inviteInput) },
    responses: { 201: jsonContent(inviteResultSchema), ...errors, 409: errors[400] },
  }),
  updateMember: createRoute({
    method: 'patch',
    path: '/{projectId}/members/{userId}',
    request: { params: memberParams, body: jsonBody(memberUpdateInput) },
    responses: { 200: jsonContent(okSchema), ...errors, 409: errors[400] },
  }),
  removeMember: createRoute({
    method: 'delete',
    path: '/{projectId}/members/{userId}',
    request: { params: memberParams },
    responses: { 200: jsonContent(okSchema), ...errors, 409: errors[400] },
  }),
};

export function projectRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.list, async (c) => c.json(await listProjects(serviceContext(deps, c)), 200))
    .openapi(routes.create, async (c) => c.json(await createProject(serviceContext(deps, c), c.req.valid('json')), 201))
    .openapi(routes.get, async (c) => c.json(await getProject(serviceContext(deps, c), c.req.valid('param').projectId), 200))
    .openapi(routes.update, async (c) =>
      c.json(await updateProject(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('json')), 200),
    )
    .openapi(routes.remove, async (c) => {
      await deleteProject(serviceContext(deps, c), c.req.valid('param').projectId);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.members, async (c) => c.json(await listMembers(serviceContext(deps, c), c.req.valid('param').projectId), 200))
    .openapi(routes.addMember, async (c) =>
      c.json(await addMember(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('json')), 201),
    )
    .openapi(routes.invite, async (c) =>
      c.json(await inviteMember(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('json'), { ttlMs: deps.config.inviteTtlMs }), 201),
    )
    .openapi(routes.updateMember, async (c) => {
      const { projectId, userId } = c.req.valid('param');
      await updateMemberRole(serviceContext(deps, c), projectId, userId, c.req.valid('json').role);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.removeMember, async (c) => {
      const { projectId, userId } = c.req.valid('param');
      await removeMember(serviceContext(deps, c), projectId, userId);
      return c.json({ ok: true as const }, 200);
    });
}
