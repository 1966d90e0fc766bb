import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter, type AppDeps } from '../http/env.ts';
import { checkDatabase } from '../services/health.ts';
import { jsonContent } from './schemas.ts';

const health = createRoute({
  method: 'get',
  path: '/',
  summary: 'Liveness and database check',
  responses: { 200: jsonContent(z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) })) },
});

export function healthRoutes(deps: AppDeps) {
  return newRouter().openapi(health, async (c) => {
    return c.json({ status: 'ok' as const, db: await checkDatabase(deps.database) }, 200);
  });
}
