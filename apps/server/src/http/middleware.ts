import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AppError } from '../errors.ts';
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

/** What an account whose password was generated may do until it changes it. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['POST /api/auth/password', 'GET /api/auth/me', 'POST /api/auth/logout']);

/**
 * Resolves the session cookie to an actor (or null); routes decide nothing here. An account
 * that owes a password change gets PASSWORD_CHANGE_REQUIRED everywhere but the routes above.
 */
export function sessionAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE) ?? null;
    const session = token ? await resolveSession(deps.database, token) : null;
    c.set('sessionToken', token);
    c.set('session', session);
    c.set('actor', session?.actor ?? null);
    if (session?.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${c.req.method} ${c.req.path}`)) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'change the generated password first (POST /api/auth/password)');
    }
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
