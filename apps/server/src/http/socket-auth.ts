/**
 * The one handshake of both live sockets (`/yjs` and `/socket.io`): who is connecting, through
 * which session. A ws-token, when the client passes one, decides alone (it was asked for this
 * connection); otherwise the session cookie. The session must be live, and its account must not
 * owe a password change. The answer carries the session, so the connection can be closed when
 * that session ends (live-sessions.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Db } from '@concord/db';
import { AppError } from '../errors.ts';
import { resolveSession, SESSION_COOKIE, type SessionInfo } from '../services/auth/sessions.ts';
import { resolveWsToken } from '../services/auth/ws-tokens.ts';

const MAX_TOKEN_CHARS = 200;

/** One cookie's value from a Cookie header; a malformed value is no cookie (never an error). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Authenticates a socket's opening request. `token` is what the client passed (`?token=` or
 * `auth.token`), undefined when it passed none. Throws UNAUTHENTICATED or PASSWORD_CHANGE_REQUIRED.
 */
export async function authenticateSocket(db: Db, req: IncomingMessage, token: unknown): Promise<SessionInfo> {
  // The Origin check of the upgrade request (http/origin.ts) belongs here, before any lookup:
  // both sockets come through this function and nowhere else.
  let session: SessionInfo | null = null;
  if (token !== undefined && token !== null) {
    if (typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_CHARS) session = await resolveWsToken({ ctx: { db }, token });
  } else {
    const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (cookie) session = await resolveSession({ ctx: { db }, token: cookie });
  }
  if (!session) throw new AppError('UNAUTHENTICATED', 'sign in first, or pass a token from POST /api/auth/ws-token');
  if (session.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED', 'change the generated password first (POST /api/auth/password)');
  return session;
}
