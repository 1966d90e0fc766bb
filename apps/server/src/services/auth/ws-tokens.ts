/**
 * Tokens for live-document connections from clients that cannot send the session cookie
 * (`?token=` on `/yjs/<doc>`). A row per token, stored hashed like sessions: valid for
 * WS_TOKEN_TTL_MS, bound to the user, usable for several connections in that window (a
 * provider reconnecting right away reuses its URL). A table rather than an HMAC: no secret
 * to configure, and it works the same for every server process on the database.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { users, wsTokens } from '@concord/db';
import { WS_TOKEN_TTL_MS } from '@concord/shared';
import { requireActor } from '../authz.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { hashToken } from './sessions.ts';

export async function issueWsToken(ctx: ServiceContext): Promise<{ token: string; expiresAt: string }> {
  const actor = requireActor(ctx);
  const now = new Date();
  await ctx.db.delete(wsTokens).where(lt(wsTokens.expiresAt, now));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + WS_TOKEN_TTL_MS);
  await ctx.db.insert(wsTokens).values({ tokenHash: hashToken(token), userId: actor.userId, expiresAt });
  return { token, expiresAt: expiresAt.toISOString() };
}

export async function resolveWsToken(ctx: Pick<ServiceContext, 'db'>, token: string): Promise<Actor | null> {
  const [row] = await ctx.db
    .select({ userId: users.id, isAdmin: users.isAdmin })
    .from(wsTokens)
    .innerJoin(users, eq(users.id, wsTokens.userId))
    .where(and(eq(wsTokens.tokenHash, hashToken(token)), gt(wsTokens.expiresAt, new Date())));
  return row ?? null;
}
