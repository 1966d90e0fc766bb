/**
 * Password reset by mail: the self-service twin of `pnpm concord user reset-password`.
 * Asking answers the same whatever the email (the route says "if an account has this email, a
 * link is on its way"); only an existing account with a password gets a link, mailed after the
 * commit (domain event `passwordReset.requested`, services/mail/). The link `/reset-password/<token>`
 * is 256 bits, stored as SHA-256, single use (marked used in the statement that checks it, as
 * invitations are), valid RESET_TTL_MS; a new request replaces the account's unused link.
 * Using it sets the password, ends every session of the account, revokes its API tokens and
 * signs this browser in. Both steps are audited (account entries, no project).
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { passwordResets, users } from '@concord/db';
import { newId, type PasswordResetInput, type PasswordResetRequestInput } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import type { DomainEvent } from '../events.ts';
import { revokeUserTokens } from './api-tokens.ts';
import { hashPassword, NO_PASSWORD } from './password.ts';
import { endUserSessions, hashToken, openSession } from './sessions.ts';
import { toUser } from './users.ts';

/** Long enough to find the mail, short enough that an old mailbox is no key to the account. */
export const RESET_TTL_MS = 60 * 60_000;
/** One link per account per minute: asking again at once does not flood the inbox. */
const REQUEST_INTERVAL_MS = 60_000;

export const resetPath = (token: string) => `/reset-password/${token}`;

/**
 * The public route publishes `passwordReset.asked` and answers at once: the work for an
 * existing account (a transaction, an audit entry, a mail) must not show in how long the answer
 * takes, or the route would tell which addresses have accounts. This subscriber does it.
 */
export function passwordResetOnEvents({ ctx }: { ctx: ServiceContext }): (event: DomainEvent) => Promise<void> {
  return async (event) => {
    if (event.type === 'passwordReset.asked') await requestPasswordReset({ ctx, input: { email: event.email } });
  };
}

/** Issues a link when the email has an active account; says nothing either way. */
export async function requestPasswordReset({ ctx, input }: { ctx: ServiceContext; input: PasswordResetRequestInput }): Promise<void> {
  const [user] = await ctx.db.select({ id: users.id, email: users.email, pending: users.pending, passwordHash: users.passwordHash }).from(users).where(eq(users.email, input.email));
  // A pending account has no password to reset: its invitation link sets one. An account made
  // without one (a project's "Imported" coder) is signed in to by nobody: a link mailed to its
  // made-up address would give whoever receives that domain's mail a member of the project.
  if (!user || user.pending || user.passwordHash === NO_PASSWORD) return;
  await inTransaction(ctx, async (tx) => {
    const now = new Date();
    const [recent] = await tx.db
      .select({ id: passwordResets.id })
      .from(passwordResets)
      .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt), gt(passwordResets.createdAt, new Date(now.getTime() - REQUEST_INTERVAL_MS))));
    if (recent) return;
    await tx.db.delete(passwordResets).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
    const id = newId('passwordReset');
    await tx.db.insert(passwordResets).values({ id, tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt });
    await audit({ ctx: tx, entry: { projectId: null, entity: 'account', entityId: user.id, action: 'password-reset-link', after: { linkId: id, expiresAt: expiresAt.toISOString() } } });
    tx.events?.publish({ type: 'passwordReset.requested', userId: user.id, email: user.email, token, expiresAt: expiresAt.toISOString() });
  });
}

/** Throws the reason a link cannot be used now (unknown or replaced, used, expired); returns when it can. */
async function refuseUnusableLink(ctx: Pick<ServiceContext, 'db'>, tokenHash: string, now: Date): Promise<void> {
  const [link] = await ctx.db.select({ usedAt: passwordResets.usedAt, expiresAt: passwordResets.expiresAt }).from(passwordResets).where(eq(passwordResets.tokenHash, tokenHash));
  if (!link) throw new AppError('NOT_FOUND', 'this reset link is unknown or was replaced by a newer one');
  if (link.usedAt) throw new AppError('LINK_USED', 'this reset link was already used; ask for a new one');
  if (link.expiresAt.getTime() <= now.getTime()) throw new AppError('LINK_EXPIRED', 'this reset link expired; ask for a new one');
}

/** Public: uses a reset link once. Returns the account and a new session (for the cookie). */
export async function resetPasswordWithLink({ ctx, input, session }: {
  ctx: ServiceContext;
  input: PasswordResetInput;
  session: { sessionTtlMs: number; ip: string; userAgent: string | null };
}): Promise<{ user: ReturnType<typeof toUser>; session: { token: string; expiresAt: Date } }> {
  const tokenHash = hashToken(input.token);
  // The link first: the route is public and has no sign-in limit, and a hash costs about 0.09 s
  // of CPU, which a made-up token must not make the server spend. Checked again when used, below.
  await refuseUnusableLink(ctx, tokenHash, new Date());
  const passwordHash = await hashPassword(input.password, ctx.passwordCost);
  return inTransaction(ctx, async (tx) => {
    const now = new Date();
    const [used] = await tx.db
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning({ userId: passwordResets.userId });
    if (!used) {
      await refuseUnusableLink(tx, tokenHash, now);
      throw new AppError('LINK_USED', 'this reset link was already used; ask for a new one');
    }
    const [account] = await tx.db
      .update(users)
      .set({ passwordHash, mustChangePassword: false, updatedAt: now })
      .where(eq(users.id, used.userId))
      .returning();
    await endUserSessions({ ctx: tx, userId: used.userId });
    await revokeUserTokens({ ctx: tx, userId: used.userId, reason: 'password-reset' });
    // The link proved who acts: the account itself.
    await audit({ ctx: { ...tx, actor: { userId: used.userId, isAdmin: account!.isAdmin } }, entry: { projectId: null, entity: 'account', entityId: used.userId, action: 'password-reset' } });
    return { user: toUser(account!), session: await openSession({ ctx: tx, userId: used.userId, input: session }) };
  });
}
