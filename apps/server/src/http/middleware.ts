import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AppError } from '../errors.ts';
import { resolveSession, SESSION_COOKIE } from '../services/auth/sessions.ts';
import { resolveToken } from '../services/auth/api-tokens.ts';
import { authorizeTokenRequest } from '../services/authz.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { clientAddress, requestScheme, type ProxyTrust } from './proxy-trust.ts';

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
    const line = { method: c.req.method, path: loggablePath(c.req.path), status: c.res.status, ms, userId: c.get('actor')?.userId ?? null };
    if (c.res.status >= 500) c.get('logger').error(line, 'request failed');
    else if (ms >= SLOW_REQUEST_MS) c.get('logger').warn(line, 'slow request');
    else c.get('logger').debug(line, 'request');
  };
}

/** An invitation's token is its credential, and it travels in the path: the log keeps it out. */
const INVITE_TOKEN_IN_PATH = /^(\/api\/invites\/)[^/]+/;
export const loggablePath = (path: string) => path.replace(INVITE_TOKEN_IN_PATH, '$1…');

/** What an account whose password was generated may do until it changes it. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['POST /api/auth/password', 'GET /api/auth/me', 'POST /api/auth/logout']);

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110). */
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The one authentication: resolves `Authorization: Bearer` (a personal access token) or else
 * the session cookie to an actor (or null); routes decide nothing here. A request with an
 * Authorization header is judged by it alone: an unknown, expired or revoked token is 401
 * whatever cookie came along, and a token's writes are refused here (authz.ts). An account
 * that owes a password change gets PASSWORD_CHANGE_REQUIRED everywhere but the routes above.
 */
export function sessionAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const secret = BEARER.exec(authorization)?.[1];
      if (!secret) throw new AppError('UNAUTHENTICATED', 'send a personal access token as "Authorization: Bearer <token>"');
      const auth = await resolveToken({ ctx: deps.database, secret });
      if (!auth) throw new AppError('UNAUTHENTICATED', 'the token is unknown, expired or revoked');
      authorizeTokenRequest(auth.actor.token!.scope, c.req.method);
      c.set('sessionToken', null);
      c.set('session', null);
      c.set('actor', auth.actor);
      requirePasswordChanged(c.req.method, c.req.path, auth.mustChangePassword);
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE) ?? null;
    const session = token ? await resolveSession({ ctx: deps.database, token }) : null;
    c.set('sessionToken', token);
    c.set('session', session);
    c.set('actor', session?.actor ?? null);
    requirePasswordChanged(c.req.method, c.req.path, session?.mustChangePassword ?? false);
    await next();
  };
}

function requirePasswordChanged(method: string, path: string, mustChangePassword: boolean): void {
  if (mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${method} ${path}`)) {
    throw new AppError('PASSWORD_CHANGE_REQUIRED', 'change the generated password first (POST /api/auth/password)');
  }
}

type HonoContext = Parameters<MiddlewareHandler<AppEnv>>[0];

/** The socket's remote address; `local` for app.request() in tests, which has no socket. */
export function peerAddress(c: HonoContext): string {
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/** The client's address as the nearest trusted proxy saw it (see proxy-trust.ts). */
export function clientIp(c: HonoContext, trust: ProxyTrust): string {
  return clientAddress(trust, peerAddress(c), c.req.header('x-forwarded-for'));
}

export function isHttps(c: HonoContext, trust: ProxyTrust): boolean {
  const encrypted = new URL(c.req.url).protocol === 'https:';
  return requestScheme(trust, peerAddress(c), encrypted, c.req.header('x-forwarded-proto')) === 'https';
}
