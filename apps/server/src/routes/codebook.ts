import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { codebookQdcImportInput, codebookReplaceInput, codebookSchema, codebookVersionSchema, fieldDeleteInput, fieldKeySchema, fieldUpdateInput } from '@concord/shared';
import { AppError } from '../errors.ts';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { importCodebookQdc } from '../services/codebook/import-qdc.ts';
import { deleteField, getCodebook, listCodebookVersions, replaceCodebook, upsertField } from '../services/codebook/codebook.ts';
import { errors, jsonBody, jsonContent, projectParams } from './schemas.ts';

const conflict = { 409: errors[400] };

const routes = {
  get: createRoute({
    method: 'get',
    path: '/{projectId}/codebook',
    summary: 'The current codebook, or ?version=N',
    request: { params: projectParams, query: z.object({ version: z.coerce.number().int().min(1).optional() }) },
    responses: { 200: jsonContent(codebookSchema), ...errors },
  }),
  versions: createRoute({
    method: 'get',
    path: '/{projectId}/codebook/versions',
    summary: 'The codebook\'s versions, with what changed in each',
    request: { params: projectParams },
    responses: { 200: jsonContent(z.array(codebookVersionSchema)), ...errors },
  }),
  replace: createRoute({
    method: 'put',
    path: '/{projectId}/codebook',
    summary: 'Replace all fields (a new version when coded fields change, or with newVersion: true); the version note lists the changes',
    request: { params: projectParams, body: jsonBody(codebookReplaceInput) },
    responses: { 200: jsonContent(codebookSchema), ...errors, ...conflict },
  }),
  importQdc: createRoute({
    method: 'post',
    path: '/{projectId}/codebook/import-qdc',
    summary: 'Import a REFI-QDA codebook (.qdc XML) as the next codebook version: codes with children become choice fields (matched to current fields by label), nothing is saved if the file is invalid',
    request: { params: projectParams, body: jsonBody(codebookQdcImportInput) },
    responses: { 200: jsonContent(codebookSchema), ...errors, ...conflict },
  }),
  putField: createRoute({
    method: 'put',
    path: '/{projectId}/codebook/fields/{key}',
    summary: 'Create or change one field (a new version when the field has codings)',
    request: { params: projectParams.extend({ key: fieldKeySchema }), body: jsonBody(fieldUpdateInput) },
    responses: { 200: jsonContent(codebookSchema), ...errors, ...conflict },
  }),
  deleteField: createRoute({
    method: 'delete',
    path: '/{projectId}/codebook/fields/{key}',
    summary: 'Remove a field from the codebook (a new version; `baseVersion` guards against concurrent edits)',
    request: { params: projectParams.extend({ key: fieldKeySchema }), query: fieldDeleteInput },
    responses: { 200: jsonContent(codebookSchema), ...errors, ...conflict },
  }),
};

export function codebookRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.get, async (c) =>
      c.json(await getCodebook({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, version: c.req.valid('query').version }), 200),
    )
    .openapi(routes.versions, async (c) => c.json(await listCodebookVersions({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId }), 200))
    .openapi(routes.replace, async (c) =>
      c.json(await replaceCodebook({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 200),
    )
    .openapi(routes.importQdc, async (c) =>
      c.json(await importCodebookQdc({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 200),
    )
    .openapi(routes.putField, async (c) => {
      const { projectId, key } = c.req.valid('param');
      const input = c.req.valid('json');
      if (input.field.key !== key) {
        throw new AppError('VALIDATION_FAILED', `the field's key "${input.field.key}" does not match the URL's "${key}"`);
      }
      return c.json(await upsertField({ ctx: serviceContext(deps, c), projectId, input }), 200);
    })
    .openapi(routes.deleteField, async (c) => {
      const { projectId, key } = c.req.valid('param');
      return c.json(await deleteField({ ctx: serviceContext(deps, c), projectId, input: { key, baseVersion: c.req.valid('query').baseVersion } }), 200);
    });
}

