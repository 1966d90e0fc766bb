import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';
import { newRouter, type AppDeps } from '../http/env.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` (Prometheus text) for the bearer of CONCORD_METRICS_TOKEN; without that
 * variable there is no such route (404). The token is compared as SHA-256 digests with
 * timingSafeEqual: equal lengths, and no timing hint of how much of it matched.
 */
export function metricsRoutes(deps: AppDeps) {
  const token = deps.config.metricsToken;
  const expected = token ? digest(token) : null;
  return newRouter().get('/', async (c) => {
    if (!expected) throw new AppError('NOT_FOUND', 'metrics are off (set CONCORD_METRICS_TOKEN)');
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) {
      c.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('UNAUTHENTICATED', 'metrics need Authorization: Bearer <CONCORD_METRICS_TOKEN>');
    }
    const { contentType, body } = await deps.metrics.render();
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
}
