import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, ne } from 'drizzle-orm';
import { sessions, users } from '@concord/db';
import type { ChangePasswordInput, LoginInput } from '@concord/shared';
import { AppError } from '../../errors.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { requireActor } from '../authz.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';
import type { LoginLimits } from './login-limits.ts';
import { toUser } from './users.ts';

export const SESSION_COOKIE = 'concord_session';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface LoginDeps {
  limiters: LoginLimits;
  sessionTtlMs: number;
}

/**
 * Checks the password, rate-limited per account and per address, and opens a session.
 * Unknown emails cost the same time as wrong passwords.
 */
export async function login(
  ctx: ServiceContext,
  deps: LoginDeps,
  input: LoginInput & { ip: string; userAgent: string | null },
) {
  deps.limiters.check(input.email, input.ip);
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await DUMMY_HASH));
  if (!user || !ok) {
    deps.limiters.fail(input.email, input.ip);
    throw new AppError('UNAUTHENTICATED', 'wrong email or password');
  }
  deps.limiters.succeed(input.email, input.ip);
  const { token, expiresAt } = await openSession(ctx, user.id, { sessionTtlMs: deps.sessionTtlMs, ip: input.ip, userAgent: input.userAgent });
  return { token, expiresAt, user: { ...toUser(user), mustChangePassword: user.mustChangePassword } };
}

/** A new session for a user whose identity the caller has established (password, one-time link). */
export async function openSession(
  ctx: Pick<ServiceContext, 'db'>,
  userId: string,
  input: { sessionTtlMs: number; ip: string; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
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

export async function resolveSession(ctx: Pick<ServiceContext, 'db'>, token: string): Promise<Actor | null> {
  const [row] = await ctx.db
    .select({ userId: users.id, isAdmin: users.isAdmin })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())));
  return row ?? null;
}

export async function logout(ctx: ServiceContext, token: string): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** Changes the password and ends every other session of the user. */
export async function changePassword(ctx: ServiceContext, input: ChangePasswordInput & { currentToken: string | null }) {
  const actor = requireActor(ctx);
  const [user] = await ctx.db.select().from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError('FORBIDDEN', 'the current password is wrong');
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('VALIDATION_FAILED', 'the new password must differ from the current one');
  }
  await ctx.db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, updatedAt: new Date() })
    .where(eq(users.id, user.id));
  const keep = input.currentToken ? hashToken(input.currentToken) : '';
  await ctx.db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, keep)));
}
