import { createRoute } from '@hono/zod-openapi';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { changePasswordInput, loginInput, okSchema, setupInput, setupStatusSchema, userSchema, wsTokenSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { clientIp } from '../http/middleware.ts';
import { SECURITY } from '../http/openapi.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { changePassword, login, logout, SESSION_COOKIE } from '../services/auth/sessions.ts';
import { getMe, setupFirstOwner, setupStatus } from '../services/auth/users.ts';
import { issueWsToken } from '../services/auth/ws-tokens.ts';
import { errors, jsonBody, jsonContent } from './schemas.ts';

const meSchema = userSchema.extend({ mustChangePassword: z.boolean() });

const routes = {
  login: createRoute({
    method: 'post',
    path: '/login',
    summary: 'Sign in; sets the session cookie',
    security: SECURITY.public,
    request: { body: jsonBody(loginInput) },
    responses: { 200: jsonContent(z.object({ user: meSchema })), ...errors, 429: errors[400] },
  }),
  logout: createRoute({ method: 'post', path: '/logout', summary: 'Sign out', responses: { 200: jsonContent(okSchema), ...errors } }),
  me: createRoute({ method: 'get', path: '/me', summary: 'The signed-in user', responses: { 200: jsonContent(meSchema), ...errors } }),
  password: createRoute({
    method: 'post',
    path: '/password',
    summary: 'Change password: every session of the account ends (with its live connections); this one continues as a new session (new cookie)',
    request: { body: jsonBody(changePasswordInput) },
    responses: { 200: jsonContent(okSchema), ...errors, 429: errors[400] },
  }),
  wsToken: createRoute({
    method: 'post',
    path: '/ws-token',
    summary: 'A short-lived token for live-document connections (`/yjs/<doc>?token=…`) from clients without the cookie',
    responses: { 201: jsonContent(wsTokenSchema), ...errors },
  }),
  setupStatus: createRoute({
    method: 'get',
    path: '/setup',
    summary: 'Whether the first owner must be created',
    security: SECURITY.public,
    responses: { 200: jsonContent(setupStatusSchema), ...errors },
  }),
  setup: createRoute({
    method: 'post',
    path: '/setup',
    summary: 'Create the first owner (only on an empty instance)',
    security: SECURITY.public,
    request: { body: jsonBody(setupInput) },
    responses: { 201: jsonContent(z.object({ user: userSchema })), ...errors, 409: errors[400] },
  }),
};

export function authRoutes(deps: AppDeps) {
  const { config } = deps;
  return newRouter()
    .openapi(routes.login, async (c) => {
      const input = c.req.valid('json');
      const session = await login({ ctx: serviceContext(deps, c), deps: { limiters: deps.loginLimits, sessionTtlMs: config.sessionTtlMs }, input: {
        ...input,
        ip: clientIp(c, config.trustProxy),
        userAgent: c.req.header('user-agent') ?? null,
        replaces: c.get('sessionToken'),
      } });
      setSessionCookie(c, config, session);
      return c.json({ user: session.user }, 200);
    })
    .openapi(routes.logout, async (c) => {
      const token = c.get('sessionToken');
      if (token) await logout({ ctx: serviceContext(deps, c), token });
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      // A shared computer: the browser drops this origin's HTTP cache and the pages it kept for
      // Back (an attachment opened as a page). Not "storage": another account's unsent offline work lives there.
      c.header('clear-site-data', '"cache"');
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.me, async (c) => c.json(await getMe({ ctx: serviceContext(deps, c) }), 200))
    .openapi(routes.password, async (c) => {
      const session = await changePassword({ ctx: serviceContext(deps, c), deps: { limiters: deps.loginLimits }, input: {
        ...c.req.valid('json'),
        session: { sessionTtlMs: config.sessionTtlMs, ip: clientIp(c, config.trustProxy), userAgent: c.req.header('user-agent') ?? null },
      } });
      // Every session of the account ended; this browser goes on with a new one.
      setSessionCookie(c, config, session);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.wsToken, async (c) => c.json(await issueWsToken({ ctx: serviceContext(deps, c), session: c.get('session') }), 201))
    .openapi(routes.setupStatus, async (c) => c.json({ ...(await setupStatus({ ctx: serviceContext(deps, c), demoEnabled: config.demo.enabled })), mail: config.smtp !== null }, 200))
    .openapi(routes.setup, async (c) => c.json({ user: await setupFirstOwner({ ctx: serviceContext(deps, c), input: c.req.valid('json') }) }, 201));
}
