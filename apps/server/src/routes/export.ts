import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { exportCodingsCsv } from '../services/export/codings-export.ts';
import { errors, projectParams } from './schemas.ts';

const codingsCsv = createRoute({
  method: 'get',
  path: '/{projectId}/export/codings.csv',
  summary: 'Submitted codings of revealed items: long (unit,coder,field,value) or wide (one field; a column per coder)',
  request: {
    params: projectParams,
    query: z.object({ layout: z.enum(['long', 'wide']).default('long'), field: z.string().max(100).optional() }),
  },
  responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV' }, ...errors },
});

export function exportRoutes(deps: AppDeps) {
  return newRouter().openapi(codingsCsv, async (c) => {
    const { projectId } = c.req.valid('param');
    const query = c.req.valid('query');
    const csv = await exportCodingsCsv(serviceContext(deps, c), projectId, query);
    const name = `codings-${query.layout}${query.field ? `-${query.field}` : ''}.csv`;
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
  });
}
