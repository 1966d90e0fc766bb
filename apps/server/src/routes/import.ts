import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { dateOrderSchema, importCheckSchema, importCodesSchema, importMappingSchema, importResultSchema, skipRowsSchema, text } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { checkImport, importItems, type ImportSource } from '../services/import/import-items.ts';
import { limitedBody } from '../http/body.ts';
import { errors, jsonContent, projectParams } from './schemas.ts';

/** A query parameter holding JSON that `schema` checks (the body is the file, so options travel in the query). */
const jsonParam = <T extends z.ZodType>(name: string, schema: T, maxLength: number) =>
  text()
    .max(maxLength)
    .transform((s, ctx): z.infer<T> | undefined => {
      if (!s) return undefined;
      try {
        const parsed = schema.safeParse(JSON.parse(s));
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        ctx.addIssue({ code: 'custom', message: issue ? `${[name, ...issue.path.map(String)].join('.')}: ${issue.message}` : `invalid ${name}` });
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} is not JSON` });
      }
      return z.NEVER;
    });

const importQuery = z.object({
  format: z.enum(['csv', 'json']).default('csv'),
  /** JSON object: item target -> CSV header, e.g. {"title":"Headline"}. */
  mapping: jsonParam('mapping', importMappingSchema, 10_000).optional(),
  /**
   * JSON object: columns holding codes already made, and whose they are:
   * {"coder":{"imported":true},"columns":[{"column":"Impact","fieldKey":"civic_impact","valueMap":{"High":2}}]}.
   * The URL carries it, so keep value maps to the labels the dry run could not match (about 12,000 characters at most).
   */
  codes: jsonParam('codes', importCodesSchema, 12_000).optional(),
  filename: text().max(300).optional(),
  skipRows: skipRowsSchema.optional(),
  /** How slash dates (`7/5/2024`) read: `dmy` day/month, `mdy` month/day; required when the file cannot tell. */
  dateOrder: dateOrderSchema.optional(),
});

const routes = {
  import: createRoute({
    method: 'post',
    path: '/{projectId}/import',
    summary: 'Import items from a CSV (streamed, up to 100,000 rows) or a JSON array, updating the items whose external ids match, with codes already made (`codes`) as one coder\'s submitted codings; all or nothing',
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
    summary: 'Check an import without writing anything: the resolved column mapping, each row\'s action (create, update, unchanged), the labels of code columns with their suggested and allowed codes, and every problem by row and column',
    request: { params: projectParams, query: importQuery, body: { content: { 'text/csv': { schema: text() } } } },
    responses: { 200: jsonContent(importCheckSchema), ...errors, 413: errors[400] },
  }),
};

/** The request body as an import source, streamed (never buffered whole here). */
function importSource(request: Request, query: z.infer<typeof importQuery>, maxBytes: number): ImportSource {
  const body = limitedBody(request, maxBytes);
  // The declared length lets the import choose at its first row how much of each row to keep (collect.ts).
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const size = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
  return query.format === 'csv'
    ? { format: 'csv', body, mapping: query.mapping ?? {}, filename: query.filename, size }
    : { format: 'json', body, filename: query.filename, size };
}

const importOptions = (query: z.infer<typeof importQuery>) => ({ skipRows: query.skipRows ?? [], dateOrder: query.dateOrder, codes: query.codes });

export function importRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.import, async (c) => {
      const { projectId } = c.req.valid('param');
      const query = c.req.valid('query');
      const source = importSource(c.req.raw, query, deps.config.maxImportBytes);
      return c.json(await importItems({ ctx: serviceContext(deps, c), projectId, source, options: importOptions(query) }), 201);
    })
    .openapi(routes.checkImport, async (c) => {
      const { projectId } = c.req.valid('param');
      const query = c.req.valid('query');
      const source = importSource(c.req.raw, query, deps.config.maxImportBytes);
      return c.json(await checkImport({ ctx: serviceContext(deps, c), projectId, source, options: importOptions(query) }), 200);
    });
}
