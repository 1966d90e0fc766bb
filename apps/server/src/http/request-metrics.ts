import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Metrics } from '../metrics.ts';
import type { AppEnv } from './env.ts';

/**
 * Times each request under its matched route pattern (`/api/projects/:id/items`), never the
 * raw path: ids in labels would make one series per project and item.
 */
export function requestMetrics(metrics: Metrics): MiddlewareHandler<AppEnv> {
  if (!metrics.enabled) return (_c, next) => next();
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // The last match is the handler; only middleware patterns (`*`, `/api/*`) matched means no route.
      const path = matchedRoutes(c).at(-1)?.path ?? '*';
      const route = path.endsWith('*') ? 'unmatched' : path;
      metrics.httpRequest(route, c.req.method, c.res.status, (performance.now() - started) / 1000);
    }
  };
}
