/**
 * Tokens for live connections from clients that cannot send the session cookie (`?token=` on
 * `/yjs/<doc>`, `auth.token` on socket.io). A row per token, stored hashed like sessions:
 * valid for WS_TOKEN_TTL_MS, bound to the session that asked for it (a token of an ended
 * session never connects: the row goes with the session), usable for several connections in
 * that window (a provider reconnecting right away reuses its URL). A table rather than an
 * HMAC: no secret to configure, and it works the same for every server process on the database.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { sessions, users, wsTokens } from '@concord/db';
import { WS_TOKEN_TTL_MS } from '@concord/shared';
import { requireActor } from '../authz.ts';
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../context.ts';
import { hashToken, sessionInfoColumns, toSessionInfo, type SessionInfo } from './sessions.ts';

export async function issueWsToken({ ctx, session }: { ctx: ServiceContext; session: SessionInfo | null }): Promise<{ token: string; expiresAt: string }> {
  const actor = requireActor({ ctx });
  if (!session) throw new AppError('UNAUTHENTICATED', 'sign in first');
  const now = new Date();
  await ctx.db.delete(wsTokens).where(lt(wsTokens.expiresAt, now));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + WS_TOKEN_TTL_MS);
  await ctx.db.insert(wsTokens).values({ tokenHash: hashToken(token), userId: actor.userId, sessionHash: session.id, expiresAt });
  return { token, expiresAt: expiresAt.toISOString() };
}

/** The live session behind a ws-token: the token and its session must both be unexpired. */
export async function resolveWsToken({ ctx, token }: { ctx: Pick<ServiceContext, 'db'>; token: string }): Promise<SessionInfo | null> {
  const now = new Date();
  const [row] = await ctx.db
    .select(sessionInfoColumns)
    .from(wsTokens)
    .innerJoin(sessions, eq(sessions.tokenHash, wsTokens.sessionHash))
    .innerJoin(users, eq(users.id, wsTokens.userId))
    .where(and(eq(wsTokens.tokenHash, hashToken(token)), gt(wsTokens.expiresAt, now), gt(sessions.expiresAt, now)));
  return toSessionInfo(row);
}
