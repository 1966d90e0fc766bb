import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import { SESSION_COOKIE } from '../services/auth/sessions.ts';
import type { AppEnv } from './env.ts';
import { isHttps } from './middleware.ts';

/** Sets the session cookie after a sign-in (password or one-time link). */
export function setSessionCookie(c: Context<AppEnv>, config: Config, session: { token: string; expiresAt: Date }): void {
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, config.trustProxy),
    path: '/',
    expires: session.expiresAt,
  });
}
