import { createRoute } from '@hono/zod-openapi';
import { calibrationFeedbackSchema, calibrationQuery, calibrationReportSchema, goldImportInput, goldImportResultSchema } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { getCalibration } from '../services/calibration/get-calibration.ts';
import { importGold } from '../services/calibration/import-gold.ts';
import { getCalibrationFeedback } from '../services/calibration/item-feedback.ts';
import { errorResponse, errors, itemParams, jsonBody, jsonContent, projectParams } from './schemas.ts';

const routes = {
  importGold: createRoute({
    method: 'post',
    path: '/{projectId}/gold',
    summary:
      'Import an answer key (gold values) for calibration: CSV text (item_id or external_id, field, value, rationale) or JSON rows; all or nothing, checked against the current codebook',
    request: { params: projectParams, body: jsonBody(goldImportInput) },
    responses: { 200: jsonContent(goldImportResultSchema), ...errors },
  }),
  feedback: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/calibration',
    summary: "The caller's calibration feedback on an item she submitted: per field her value, gold, the rationale and whether they match (409 before her submission)",
    request: { params: itemParams },
    responses: { 200: jsonContent(calibrationFeedbackSchema), ...errors, 409: errorResponse },
  }),
  report: createRoute({
    method: 'get',
    path: '/{projectId}/calibration',
    summary: "Each coder's agreement with gold per field (Krippendorff's alpha and Cohen's kappa, coder against the answer key), overall and by round or week, and whether she is ready",
    request: { params: projectParams, query: calibrationQuery },
    responses: { 200: jsonContent(calibrationReportSchema), ...errors },
  }),
};

export function calibrationRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(routes.importGold, async (c) => c.json(await importGold({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 200))
    .openapi(routes.feedback, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json(await getCalibrationFeedback({ ctx: serviceContext(deps, c), projectId, itemId }), 200);
    })
    .openapi(routes.report, async (c) => c.json(await getCalibration({ ctx: serviceContext(deps, c), projectId: c.req.valid('param').projectId, query: c.req.valid('query') }), 200));
}
