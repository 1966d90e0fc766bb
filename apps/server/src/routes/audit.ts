import { createRoute } from '@hono/zod-openapi';
import { auditCsvQuery, auditListQuery, auditPageSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { exportAuditCsv } from '../services/audit-log/audit-csv.ts';
import { listAudit } from '../services/audit-log/list-audit.ts';
import { csvResponses as csv, sendCsv } from './downloads.ts';
import { errors, jsonContent, projectParams } from './schemas.ts';

const routes = {
  audit: createRoute({
    method: 'get',
    path: '/{projectId}/audit',
    summary: 'Who did what and when (owner only): newest first, filtered by actor, entity, action and dates, keyset-paged by cursor; unrevealed coded values withheld',
    request: { params: projectParams, query: auditListQuery },
    responses: { 200: jsonContent(auditPageSchema), ...errors },
  }),
  auditCsv: createRoute({
    method: 'get',
    path: '/{projectId}/audit.csv',
    summary: 'The audit with the same filters as CSV (owner only): at, actor, entity, action, summary, before and after as JSON',
    request: { params: projectParams, query: auditCsvQuery },
    responses: csv('CSV'),
  }),
};

export function auditRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.audit, async (c) => c.json(await listAudit({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200))
    .openapi(routes.auditCsv, async (c) => {
      const { bom, ...filter } = c.req.valid('query');
      return sendCsv(c, await exportAuditCsv({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, filter }), 'audit.csv', bom);
    });
}
