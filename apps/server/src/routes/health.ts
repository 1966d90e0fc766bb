import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { text } from '@concord/shared';
import { newRouter, type AppDeps } from '../http/env.ts';
import { SECURITY } from '../http/openapi.ts';
import { checkDatabase, checkReadiness } from '../services/health.ts';
import { errorResponse, jsonContent } from './schemas.ts';

const dbKind = z.enum(['pglite', 'postgres']);
/** Public, but like every /api route it answers 401 to an Authorization header that names no valid token. */
const unauthenticated = { 401: errorResponse };

const health = createRoute({
  method: 'get',
  path: '/',
  summary: 'Liveness and database check',
  security: SECURITY.public,
  responses: { 200: jsonContent(z.object({ status: z.literal('ok'), db: dbKind })), ...unauthenticated },
});

const live = createRoute({
  method: 'get',
  path: '/live',
  summary: 'Liveness: the process runs and answers (touches nothing else)',
  security: SECURITY.public,
  responses: { 200: jsonContent(z.object({ status: z.literal('live') })), ...unauthenticated },
});

const ready = createRoute({
  method: 'get',
  path: '/ready',
  summary: 'Readiness: the database answers with current migrations, and Redis (when configured) answers PING',
  security: SECURITY.public,
  responses: {
    ...unauthenticated,
    200: jsonContent(z.object({ status: z.literal('ready'), db: dbKind, migration: text(), redis: z.enum(['ok', 'off']) })),
    503: errorResponse,
  },
});

export function healthRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(health, async (c) => {
      return c.json({ status: 'ok' as const, db: await checkDatabase(deps.database) }, 200);
    })
    .openapi(live, (c) => c.json({ status: 'live' as const }, 200))
    .openapi(ready, async (c) => c.json(await checkReadiness(deps), 200));
}
