import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { resolveSession, SESSION_COOKIE } from '../services/auth/sessions.ts';
import type { AppDeps, AppEnv } from './env.ts';

const SLOW_REQUEST_MS = 1000;

/**
 * Request id, a child logger, and one canonical log line per request: always for
 * errors and slow requests, at debug level otherwise.
 */
export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('logger', deps.logger.child({ requestId }));
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const ms = Math.round(performance.now() - started);
    const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms, userId: c.get('actor')?.userId ?? null };
    if (c.res.status >= 500) c.get('logger').error(line, 'request failed');
    else if (ms >= SLOW_REQUEST_MS) c.get('logger').warn(line, 'slow request');
    else c.get('logger').debug(line, 'request');
  };
}

/** Resolves the session cookie to an actor (or null); routes decide nothing here. */
export function sessionAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE) ?? null;
    c.set('sessionToken', token);
    c.set('actor', token ? await resolveSession(deps.database, token) : null);
    await next();
  };
}

export function clientIp(c: Parameters<MiddlewareHandler<AppEnv>>[0], trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket; every such request shares one bucket.
    return 'local';
  }
}

export function isHttps(c: Parameters<MiddlewareHandler<AppEnv>>[0], trustProxy: boolean): boolean {
  if (trustProxy && c.req.header('x-forwarded-proto') === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}
