import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { importCheckSchema, importMappingSchema, importResultSchema, skipRowsSchema, text } from '@concord/shared';
import { AppError } from '../errors.ts';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { checkImport, importItems, type ImportSource } from '../services/import/import-items.ts';
import { limitedBody } from '../http/body.ts';
import { errors, jsonContent, projectParams } from './schemas.ts';

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

export function importRoutes(deps: AppDeps) {
  return newRouter()
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
    });
}
