import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { apiTokenSchema, createdTokenSchema, createTokenInput, okSchema, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { SECURITY } from '../http/openapi.ts';
import { createToken, listTokens, revokeToken } from '../services/auth/api-tokens.ts';
import { errors, jsonBody, jsonContent } from './schemas.ts';

const tokenParams = z.object({ tokenId: text().max(100) });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/',
    summary: "The signed-in user's personal access tokens (never their secrets)",
    security: SECURITY.sessionOnly,
    responses: { 200: jsonContent(z.array(apiTokenSchema)), ...errors },
  }),
  create: createRoute({
    method: 'post',
    path: '/',
    summary: 'Create a personal access token (read or read-export, expiring); its secret is in this answer only',
    request: { body: jsonBody(createTokenInput) },
    responses: { 201: jsonContent(createdTokenSchema), ...errors },
  }),
  revoke: createRoute({
    method: 'delete',
    path: '/{tokenId}',
    summary: 'Revoke one of your personal access tokens: it stops working at once',
    request: { params: tokenParams },
    responses: { 200: jsonContent(okSchema), ...errors },
  }),
};

/** Personal access tokens, managed from a signed-in session (services/auth/api-tokens.ts). */
export function tokenRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.list, async (c) => c.json(await listTokens({ ctx: serviceContext(deps, c) }), 200))
    .openapi(routes.create, async (c) => c.json(await createToken({ ctx: serviceContext(deps, c), input: c.req.valid('json') }), 201))
    .openapi(routes.revoke, async (c) => {
      await revokeToken({ ctx: serviceContext(deps, c), tokenId: c.req.valid('param').tokenId });
      return c.json({ ok: true as const }, 200);
    });
}
