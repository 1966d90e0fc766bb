import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { acceptInviteInput, acceptInviteResultSchema, inviteInfoSchema, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { SECURITY } from '../http/openapi.ts';
import { clientIp } from '../http/middleware.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { acceptInvite, getInvite } from '../services/projects/accept-invitation.ts';
import { errors, jsonBody, jsonContent } from './schemas.ts';

const tokenParams = z.object({ token: text().min(1).max(200) });
const gone = { 410: errors[400] };

const routes = {
  get: createRoute({
    method: 'get',
    path: '/{token}',
    summary: 'The invitation behind a one-time link (no sign-in needed); 410 when used or expired',
    security: SECURITY.public,
    request: { params: tokenParams },
    responses: { 200: jsonContent(inviteInfoSchema), ...errors, ...gone },
  }),
  accept: createRoute({
    method: 'post',
    path: '/{token}/accept',
    summary:
      'Use the one-time link: a pending account sets its password and is signed in (sets the session cookie); an account with a password accepts signed in as itself',
    security: SECURITY.optionalSession,
    request: { params: tokenParams, body: jsonBody(acceptInviteInput) },
    responses: { 200: jsonContent(acceptInviteResultSchema), ...errors, ...gone },
  }),
};

export function inviteRoutes(deps: AppDeps) {
  const { config } = deps;
  return newRouter()
    .openapi(routes.get, async (c) => c.json(await getInvite({ ctx: serviceContext(deps, c), token: c.req.valid('param').token }), 200))
    .openapi(routes.accept, async (c) => {
      const result = await acceptInvite({ ctx: serviceContext(deps, c), token: c.req.valid('param').token, input: c.req.valid('json'), session: {
        sessionTtlMs: config.sessionTtlMs,
        ip: clientIp(c, config.trustProxy),
        userAgent: c.req.header('user-agent') ?? null,
      } });
      if (result.session) setSessionCookie(c, config, result.session);
      return c.json({ user: result.user, projectId: result.projectId }, 200);
    });
}
