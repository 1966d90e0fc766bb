import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { invitationSchema, inviteResultSchema, memberInput, memberSchema, memberUpdateInput, okSchema, projectInput, projectSchema, projectUpdateInput, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { inviteMember, listInvitations, revokeInvitation } from '../services/projects/invitations.ts';
import { listMembers, removeMember, updateMemberRole } from '../services/projects/members.ts';
import { createProject, deleteProject, getProject, listProjects, updateProject } from '../services/projects/projects.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

const memberParams = projectParams.extend({ userId: text().max(100) });
const invitationParams = projectParams.extend({ invitationId: text().max(100) });

const routes = {
  list: createRoute({ method: 'get', path: '/', summary: "The caller's projects", responses: { 200: jsonContent(z.array(projectSchema)), ...errors } }),
  create: createRoute({
    method: 'post',
    path: '/',
    summary: 'Create a project (the caller becomes its owner)',
    request: { body: jsonBody(projectInput) },
    responses: { 201: jsonContent(projectSchema), ...errors },
  }),
  get: createRoute({ method: 'get', path: '/{projectId}', summary: 'One project, with its progress and the actions your role allows', request: { params: projectParams }, responses: { 200: jsonContent(projectSchema), ...errors } }),
  update: createRoute({
    method: 'patch',
    path: '/{projectId}',
    summary: 'Rename or describe a project (owner)',
    request: { params: projectParams, body: jsonBody(projectUpdateInput) },
    responses: { 200: jsonContent(projectSchema), ...errors },
  }),
  remove: createRoute({ method: 'delete', path: '/{projectId}', summary: 'Delete a project and everything in it (owner)', request: { params: projectParams }, responses: { 200: jsonContent(okSchema), ...errors } }),
  members: createRoute({
    method: 'get',
    path: '/{projectId}/members',
    summary: 'The project\'s members and their roles',
    request: { params: projectParams },
    responses: { 200: jsonContent(z.array(memberSchema)), ...errors },
  }),
  addMember: createRoute({
    method: 'post',
    path: '/{projectId}/members',
    summary:
      'Invite an email: a pending invitation of this project and its one-time link (`/invite/<token>`), the same answer whether or not the email has an account; nobody is a member until the link is used',
    request: { params: projectParams, body: jsonBody(memberInput) },
    responses: { 201: jsonContent(inviteResultSchema), ...errors, 409: errors[400] },
  }),
  invitations: createRoute({
    method: 'get',
    path: '/{projectId}/invitations',
    summary: "This project's pending invitations (unused, unexpired links)",
    request: { params: projectParams },
    responses: { 200: jsonContent(z.array(invitationSchema)), ...errors },
  }),
  revokeInvitation: createRoute({
    method: 'delete',
    path: '/{projectId}/invitations/{invitationId}',
    summary: 'Withdraw a pending invitation: its link stops working',
    request: { params: invitationParams },
    responses: { 200: jsonContent(okSchema), ...errors },
  }),
  updateMember: createRoute({
    method: 'patch',
    path: '/{projectId}/members/{userId}',
    summary: 'Change a member\'s role (owner)',
    request: { params: memberParams, body: jsonBody(memberUpdateInput) },
    responses: { 200: jsonContent(okSchema), ...errors, 409: errors[400] },
  }),
  removeMember: createRoute({
    method: 'delete',
    path: '/{projectId}/members/{userId}',
    summary: 'Remove a member from the project (owner); their live connections to it close',
    request: { params: memberParams },
    responses: { 200: jsonContent(okSchema), ...errors, 409: errors[400] },
  }),
};

export function projectRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.list, async (c) => c.json(await listProjects({ ctx: serviceContext(deps, c) }), 200))
    .openapi(routes.create, async (c) => c.json(await createProject({ ctx: serviceContext(deps, c), input: c.req.valid('json') }), 201))
    .openapi(routes.get, async (c) => c.json(await getProject({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200))
    .openapi(routes.update, async (c) =>
      c.json(await updateProject({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 200),
    )
    .openapi(routes.remove, async (c) => {
      await deleteProject({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.members, async (c) => c.json(await listMembers({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200))
    .openapi(routes.addMember, async (c) =>
      c.json(await inviteMember({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json'), options: { ttlMs: deps.config.inviteTtlMs, mailed: deps.config.smtp !== null } }), 201),
    )
    .openapi(routes.invitations, async (c) => c.json(await listInvitations({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200))
    .openapi(routes.revokeInvitation, async (c) => {
      const { projectId, invitationId } = c.req.valid('param');
      await revokeInvitation({ ctx: serviceContext(deps, c), projectId, invitationId });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.updateMember, async (c) => {
      const { projectId, userId } = c.req.valid('param');
      await updateMemberRole({ ctx: serviceContext(deps, c), projectId, userId, role: c.req.valid('json').role });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.removeMember, async (c) => {
      const { projectId, userId } = c.req.valid('param');
      await removeMember({ ctx: serviceContext(deps, c), projectId, userId });
      return c.json({ ok: true as const }, 200);
    });
}
