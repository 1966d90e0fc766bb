import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './errors.ts';
import { newRouter, type AppDeps } from './http/env.ts';
import { loggablePath, requestContext, sessionAuth } from './http/middleware.ts';
import { isAttachmentUpload, isImportUpload, requireContentType } from './http/content-type.ts';
import { originGuard } from './http/origin.ts';
import { apiSecurityHeaders } from './http/security-headers.ts';
import { registerSecuritySchemes, serveDocument } from './http/openapi.ts';
import { authRoutes } from './routes/auth.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { codebookRoutes } from './routes/codebook.ts';
import { codingRoutes } from './routes/codings.ts';
import { exportRoutes } from './routes/export.ts';
import { finalExportRoutes } from './routes/export-final.ts';
import { healthRoutes } from './routes/health.ts';
import { requestMetrics } from './http/request-metrics.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { itemRoutes } from './routes/items.ts';
import { importRoutes } from './routes/import.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { actorRoutes } from './routes/actors.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { auditRoutes } from './routes/audit.ts';
import { projectRoutes } from './routes/projects.ts';
import { reliabilityRoutes } from './routes/reliability.ts';
import { disagreementRoutes } from './routes/disagreements.ts';
import { reviewRoutes } from './routes/review.ts';
import { adjudicationRoutes } from './routes/adjudications.ts';
import { commentRoutes } from './routes/comments.ts';
import { reportRoutes } from './routes/report.ts';
import { mailRoutes } from './routes/mail.ts';
import { inviteRoutes } from './routes/invites.ts';
import { assignmentRoutes } from './routes/assignments.ts';
import { queueRoutes } from './routes/queue.ts';
import { calibrationRoutes } from './routes/calibration.ts';
import { workbenchRoutes } from './routes/workbench.ts';

/** Maps any thrown value to our error body; logs each error once, here. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    if (err.status === 400) return new AppError('BAD_REQUEST', err.message || 'bad request');
    return new AppError('INTERNAL', err.message, undefined, { cause: err });
  }
  return new AppError('INTERNAL', 'internal error', undefined, { cause: err });
}

/** The API: every route under /api. Built from its dependencies, so tests build their own. */
export function createApp(deps: AppDeps) {
  const app = newRouter();
  app.use('*', requestContext(deps));
  app.use('*', requestMetrics(deps.metrics));
  app.use('*', apiSecurityHeaders(deps.config));
  app.use('/api/*', originGuard(deps.config));
  app.use('/api/*', requireContentType());
  app.use('/api/*', async (c, next) => {
    // The import upload, its dry run and attachment uploads stream and count their own (larger) bodies.
    if (isImportUpload(c.req.path) || isAttachmentUpload(c.req.method, c.req.path)) return next();
    return bodyLimit({
      maxSize: deps.config.maxBodyBytes,
      onError: () => {
        throw new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than ${deps.config.maxBodyBytes} bytes`);
      },
    })(c, next);
  });
  app.use('/api/*', sessionAuth(deps));

  const routes = app
    .route('/api/health', healthRoutes(deps))
    .route('/api/auth', authRoutes(deps))
    .route('/api/auth/tokens', tokenRoutes(deps))
    .route('/api/projects', projectRoutes(deps))
    .route('/api/projects', codebookRoutes(deps))
    .route('/api/projects', itemRoutes(deps))
    .route('/api/projects', importRoutes(deps))
    .route('/api/projects', incidentRoutes(deps))
    .route('/api/projects', actorRoutes(deps))
    .route('/api/projects', attachmentRoutes(deps))
    .route('/api/projects', auditRoutes(deps))
    .route('/api/projects', assignmentRoutes(deps))
    .route('/api/projects', queueRoutes(deps))
    .route('/api/projects', codingRoutes(deps))
    .route('/api/projects', exportRoutes(deps))
    .route('/api/projects', finalExportRoutes(deps))
    .route('/api/projects', reliabilityRoutes(deps))
    .route('/api/projects', disagreementRoutes(deps))
    .route('/api/projects', adjudicationRoutes(deps))
    .route('/api/projects', reviewRoutes(deps))
    .route('/api/projects', commentRoutes(deps))
    .route('/api/projects', reportRoutes(deps))
    .route('/api/projects', calibrationRoutes(deps))
    .route('/api/projects', workbenchRoutes(deps))
    .route('/api/invites', inviteRoutes(deps))
    .route('/api', mailRoutes(deps));

  // Outside /api: scrapers address it by the conventional path; not part of the typed client.
  app.route('/metrics', metricsRoutes(deps));

  registerSecuritySchemes(app);
  serveDocument(app, '/api/openapi.json', {
    title: 'Concord API',
    version: '0.1.0',
    description: 'Collaborative coding of media items, with reliability. Scripts authenticate with a personal access token (`Authorization: Bearer`); see the README.',
  });

  app.notFound((c) => c.json(new AppError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`).toBody(c.get('requestId')), 404));
  app.onError((err, c) => {
    const appError = toAppError(err);
    const logger = c.get('logger') ?? deps.logger;
    if (appError.status >= 500) logger.error({ err, path: loggablePath(c.req.path) }, 'unhandled error');
    // The message can quote the input (an unknown option, a duplicate id): the client gets it, the log only the code.
    else logger.debug({ code: appError.code, path: loggablePath(c.req.path) }, 'request refused');
    return c.json(appError.toBody(c.get('requestId')), appError.status);
  });
  return routes;
}

export type App = ReturnType<typeof createApp>;
export type AppType = App;
