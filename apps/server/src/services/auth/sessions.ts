import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { sessions, users } from '@concord/db';
import type { ChangePasswordInput, LoginInput } from '@concord/shared';
import { AppError } from '../../errors.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { requireActor } from '../authz.ts';
import { dummyHash, hashPassword, NO_PASSWORD, verifyPassword } from './password.ts';
import type { LoginLimits } from './login-limits.ts';
import { toUser } from './users.ts';
import { hashToken } from './token-hash.ts';
import { revokeUserTokens } from './api-tokens.ts';

export const SESSION_COOKIE = 'concord_session';

export { hashToken };

export interface LoginDeps {
  limiters: LoginLimits;
  sessionTtlMs: number;
}

/**
 * Checks the password, rate-limited per account and per address, and opens a session.
 * Unknown emails cost the same time as wrong passwords. `replaces`: the session cookie the
 * browser sent, ended on success (one browser, one session: whoever signed in there before
 * keeps no live session behind the new cookie).
 */
export async function login({ ctx, deps, input }: {
  ctx: ServiceContext;
  deps: LoginDeps;
  input: LoginInput & { ip: string; userAgent: string | null; replaces: string | null };
}) {
  await deps.limiters.check(input.email, input.ip);
  const [found] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  // A pending account (invited, no password yet) and one nobody signs in to (the "Imported"
  // coder: NO_PASSWORD, which verifies nothing at once) cost the same time as an unknown email.
  const user = found && !found.pending && found.passwordHash !== NO_PASSWORD ? found : undefined;
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash(ctx.passwordCost)));
  if (!user || !ok) {
    await deps.limiters.fail(input.email, input.ip);
    throw new AppError('UNAUTHENTICATED', 'wrong email or password');
  }
  await deps.limiters.succeed(input.email, input.ip);
  if (input.replaces) await endSessions(ctx, [hashToken(input.replaces)]);
  const { token, expiresAt } = await openSession({ ctx, userId: user.id, input: { sessionTtlMs: deps.sessionTtlMs, ip: input.ip, userAgent: input.userAgent } });
  return { token, expiresAt, user: { ...toUser(user), mustChangePassword: user.mustChangePassword } };
}

/** A new session for a user whose identity the caller has established (password, one-time link). */
export async function openSession({ ctx, userId, input }: {
  ctx: Pick<ServiceContext, 'db'>;
  userId: string;
  input: { sessionTtlMs: number; ip: string; userAgent: string | null };
}): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + input.sessionTtlMs);
  await ctx.db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt };
}

/** A signed-in session as the transports see it. `id` names it in control messages (the token's hash, never the token). */
export interface SessionInfo {
  actor: Actor;
  id: string;
  expiresAt: Date;
  mustChangePassword: boolean;
}

/** The columns a SessionInfo is read from (sessions joined with users). */
export const sessionInfoColumns = {
  userId: users.id,
  isAdmin: users.isAdmin,
  id: sessions.tokenHash,
  expiresAt: sessions.expiresAt,
  mustChangePassword: users.mustChangePassword,
};

type SessionInfoRow = { userId: string; isAdmin: boolean; id: string; expiresAt: Date; mustChangePassword: boolean };

export const toSessionInfo = (row: SessionInfoRow | undefined): SessionInfo | null =>
  row ? { actor: { userId: row.userId, isAdmin: row.isAdmin }, id: row.id, expiresAt: row.expiresAt, mustChangePassword: row.mustChangePassword } : null;

/** The unexpired session behind a cookie token, or null. */
export async function resolveSession({ ctx, token }: { ctx: Pick<ServiceContext, 'db'>; token: string }): Promise<SessionInfo | null> {
  const [row] = await ctx.db
    .select(sessionInfoColumns)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())));
  return toSessionInfo(row);
}

/** Which of these sessions are still live (exist and unexpired): the periodic check of live connections. */
export async function liveSessionIds({ ctx, ids }: { ctx: Pick<ServiceContext, 'db'>; ids: string[] }): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await ctx.db
    .select({ id: sessions.tokenHash })
    .from(sessions)
    .where(and(inArray(sessions.tokenHash, ids), gt(sessions.expiresAt, new Date())));
  return new Set(rows.map((r) => r.id));
}

/** Ends sessions and, on every process, the live connections they opened (their ws-tokens go with them). */
async function endSessions(ctx: ServiceContext, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.db.delete(sessions).where(inArray(sessions.tokenHash, ids));
  await ctx.liveSessions?.sessionsEnded(ids);
}

export async function logout({ ctx, token }: { ctx: ServiceContext; token: string }): Promise<void> {
  await endSessions(ctx, [hashToken(token)]);
}

/**
 * Changes the password. Every session of the user ends, with its live connections; the
 * session that made the change is replaced by a new one (returned, for the cookie). Wrong
 * current passwords count as failed sign-ins of the account: a session left open on a
 * shared computer is no unlimited oracle for the password.
 */
export async function changePassword({ ctx, deps, input }: {
  ctx: ServiceContext;
  deps: Pick<LoginDeps, 'limiters'>;
  input: ChangePasswordInput & { session: { sessionTtlMs: number; ip: string; userAgent: string | null } };
}): Promise<{ token: string; expiresAt: Date }> {
  const actor = requireActor({ ctx });
  const [user] = await ctx.db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError('UNAUTHENTICATED', 'sign in first');
  await deps.limiters.check(user.email, input.session.ip);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await deps.limiters.fail(user.email, input.session.ip);
    throw new AppError('FORBIDDEN', 'the current password is wrong');
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('VALIDATION_FAILED', 'the new password must differ from the current one');
  }
  await ctx.db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword, ctx.passwordCost), mustChangePassword: false, updatedAt: new Date() })
    .where(eq(users.id, user.id));
  await endUserSessions({ ctx, userId: user.id });
  await revokeUserTokens({ ctx, userId: user.id, reason: 'password-change' });
  return openSession({ ctx, userId: user.id, input: input.session });
}

/** Ends every session of a user (password change or reset, removal). */
export async function endUserSessions({ ctx, userId }: { ctx: ServiceContext; userId: string }): Promise<void> {
  const rows = await ctx.db.select({ id: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId));
  await endSessions(ctx, rows.map((r) => r.id));
}
