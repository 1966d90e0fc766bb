import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  importCheckSchema,
  importMappingSchema,
  importResultSchema,
  itemFilterQuery,
  itemRowsSchema,
  skipRowsSchema,
  incidentInput,
  incidentSchema,
  itemInput,
  itemListQuery,
  itemSchema,
  itemUpdateInput,
  okSchema,
  phaseUpdateInput,
  text,
} from '@concord/shared';
import { AppError } from '../errors.ts';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { checkImport, importItems, type ImportSource } from '../services/import/import-items.ts';
import { createIncident, deleteIncident, listIncidents, updateIncident } from '../services/items/incidents.ts';
import { createItem, deleteItem, getItem, listItemRows, listItems, setItemPhase, updateItem } from '../services/items/items.ts';
import { limitedBody } from '../http/body.ts';
import { errors, itemParams, jsonBody, jsonContent, projectParams } from './schemas.ts';

const incidentParams = projectParams.extend({ incidentId: text().max(100) });

const importQuery = z.object({
  format: z.enum(['csv', 'json']).default('csv'),
  /** JSON object: item target -> CSV header, e.g. {"title":"Headline"}. */
  mapping: text()
    .max(10_000)
    .optional()
    .transform((s, ctx) => {
      if (!s) return {};
      try {
        const parsed = importMappingSchema.safeParse(JSON.parse(s));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid mapping' });
      } catch {
        ctx.addIssue({ code: 'custom', message: 'mapping is not JSON' });
      }
      return z.NEVER;
    }),
  filename: text().max(300).optional(),
  skipRows: skipRowsSchema.optional(),
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/{projectId}/items',
    summary: 'Items, filtered by incident, phase, assigned coder or text; paginated',
    request: { params: projectParams, query: itemListQuery },
    responses: { 200: jsonContent(z.object({ items: z.array(itemSchema), total: z.number().int() })), ...errors },
  }),
  rows: createRoute({
    method: 'get',
    path: '/{projectId}/item-rows',
    summary: 'Every matching item as a table row (no text), in import order; same filters as the item list',
    request: { params: projectParams, query: itemFilterQuery },
    responses: { 200: jsonContent(itemRowsSchema), ...errors },
  }),
  create: createRoute({
    method: 'post',
    path: '/{projectId}/items',
    request: { params: projectParams, body: jsonBody(itemInput) },
    responses: { 201: jsonContent(itemSchema), ...errors },
  }),
  get: createRoute({ method: 'get', path: '/{projectId}/items/{itemId}', request: { params: itemParams }, responses: { 200: jsonContent(itemSchema), ...errors } }),
  update: createRoute({
    method: 'patch',
    path: '/{projectId}/items/{itemId}',
    request: { params: itemParams, body: jsonBody(itemUpdateInput) },
    responses: { 200: jsonContent(itemSchema), ...errors },
  }),
  remove: createRoute({ method: 'delete', path: '/{projectId}/items/{itemId}', request: { params: itemParams }, responses: { 200: jsonContent(okSchema), ...errors } }),
  phase: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/phase',
    summary: 'Open a joint session, reveal, or return an item to independent coding',
    request: { params: itemParams, body: jsonBody(phaseUpdateInput) },
    responses: { 200: jsonContent(itemSchema), ...errors },
  }),
  import: createRoute({
    method: 'post',
    path: '/{projectId}/import',
    summary: 'Import items from a CSV (streamed, up to 100,000 rows) or a JSON array; all or nothing',
    request: {
      params: projectParams,
      query: importQuery,
      // Only text/csv is declared: a declared JSON body would be parsed whole by the validator before the size check. format=json takes a JSON array.
      body: { content: { 'text/csv': { schema: text() } } },
    },
    responses: { 201: jsonContent(importResultSchema), ...errors, 413: errors[400] },
  }),
  checkImport: createRoute({
    method: 'post',
    path: '/{projectId}/import/dry-run',
    summary: 'Check an import without writing anything: the resolved column mapping and every problem by row and column',
    request: { params: projectParams, query: importQuery, body: { content: { 'text/csv': { schema: text() } } } },
    responses: { 200: jsonContent(importCheckSchema), ...errors, 413: errors[400] },
  }),
  incidents: createRoute({
    method: 'get',
    path: '/{projectId}/incidents',
    request: { params: projectParams },
    responses: { 200: jsonContent(z.array(incidentSchema)), ...errors },
  }),
  createIncident: createRoute({
    method: 'post',
    path: '/{projectId}/incidents',
    request: { params: projectParams, body: jsonBody(incidentInput) },
    responses: { 201: jsonContent(incidentSchema), ...errors, 409: errors[400] },
  }),
  updateIncident: createRoute({
    method: 'patch',
    path: '/{projectId}/incidents/{incidentId}',
    request: { params: incidentParams, body: jsonBody(incidentInput.partial()) },
    responses: { 200: jsonContent(okSchema), ...errors, 409: errors[400] },
  }),
  deleteIncident: createRoute({
    method: 'delete',
    path: '/{projectId}/incidents/{incidentId}',
    request: { params: incidentParams },
    responses: { 200: jsonContent(okSchema), ...errors },
  }),
};

/** The request body as an import source: CSV streamed (never buffered whole), JSON read then parsed. */
async function importSource(request: Request, query: z.infer<typeof importQuery>, maxBytes: number): Promise<ImportSource> {
  const body = limitedBody(request, maxBytes);
  if (query.format === 'csv') return { format: 'csv', body, mapping: query.mapping, filename: query.filename };
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of body) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  try {
    return { format: 'json', records: JSON.parse(text), filename: query.filename };
  } catch (err) {
    throw new AppError('IMPORT_FAILED', `the JSON does not parse: ${(err as Error).message}`);
  }
}

export function itemRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.list, async (c) => c.json(await listItems(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('query')), 200))
    .openapi(routes.rows, async (c) => c.json(await listItemRows(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('query')), 200))
    .openapi(routes.create, async (c) => c.json(await createItem(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('json')), 201))
    .openapi(routes.get, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await getItem(serviceContext(deps, c), projectId, itemId), 200);
    })
    .openapi(routes.update, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await updateItem(serviceContext(deps, c), projectId, itemId, c.req.valid('json')), 200);
    })
    .openapi(routes.remove, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      await deleteItem(serviceContext(deps, c), projectId, itemId);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.phase, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await setItemPhase(serviceContext(deps, c), projectId, itemId, c.req.valid('json').phase), 200);
    })
    .openapi(routes.import, async (c) => {
      const { projectId } = c.req.valid('param');
      const query = c.req.valid('query');
      const source = await importSource(c.req.raw, query, deps.config.maxImportBytes);
      return c.json(await importItems(serviceContext(deps, c), projectId, source, { skipRows: query.skipRows ?? [] }), 201);
    })
    .openapi(routes.checkImport, async (c) => {
      const { projectId } = c.req.valid('param');
      const query = c.req.valid('query');
      const source = await importSource(c.req.raw, query, deps.config.maxImportBytes);
      return c.json(await checkImport(serviceContext(deps, c), projectId, source, { skipRows: query.skipRows ?? [] }), 200);
    })
    .openapi(routes.incidents, async (c) => c.json(await listIncidents(serviceContext(deps, c), c.req.valid('param').projectId), 200))
    .openapi(routes.createIncident, async (c) =>
      c.json(await createIncident(serviceContext(deps, c), c.req.valid('param').projectId, c.req.valid('json')), 201),
    )
    .openapi(routes.updateIncident, async (c) => {
      const { projectId, incidentId } = c.req.valid('param');
      await updateIncident(serviceContext(deps, c), projectId, incidentId, c.req.valid('json'));
      return c.json({ ok: true as const }, 200);
    })
    .openapi(routes.deleteIncident, async (c) => {
      const { projectId, incidentId } = c.req.valid('param');
      await deleteIncident(serviceContext(deps, c), projectId, incidentId);
      return c.json({ ok: true as const }, 200);
    });
}
