/**
 * Invitations by email. An email without an account gets one (with no usable password) and
 * a one-time link `/invite/<token>`, shown once to the owner who passes it on. The link sets
 * the password and signs the invitee in; it works once, until it expires. Only the token's
 * SHA-256 is stored (like sessions), so a database leak does not leak working links.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { invites, projectMembers, projects, users } from '@concord/db';
import { newId, type AcceptInviteInput, type InviteInfo, type InviteInput, type InviteResult, type User } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { hashToken, openSession } from '../auth/sessions.ts';
import { insertUser, toUser } from '../auth/users.ts';

export const invitePath = (token: string) => `/invite/${token}`;

/** Issues a new link for `userId`; older unused links of that account stop working. */
async function issueLink(tx: ServiceContext, input: { userId: string; projectId: string; ttlMs: number }) {
  await tx.db.delete(invites).where(and(eq(invites.userId, input.userId), isNull(invites.usedAt)));
  const token = randomBytes(32).toString('base64url');
  const id = newId('invite');
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await tx.db.insert(invites).values({ id, tokenHash: hashToken(token), userId: input.userId, projectId: input.projectId, createdBy: tx.actor?.userId ?? null, expiresAt });
  return { id, token, path: invitePath(token), expiresAt };
}

/** Whether the account was created by an invitation whose link was never used (no password chosen yet). */
async function isPending(ctx: ServiceContext, userId: string): Promise<boolean> {
  const rows = await ctx.db.select({ usedAt: invites.usedAt }).from(invites).where(eq(invites.userId, userId));
  return rows.length > 0 && rows.every((r) => r.usedAt === null);
}

/**
 * Adds the email as a member. Unknown email: creates the account and returns a one-time
 * link. Known email: adds the membership (no link; they sign in as usual), unless the account
 * still waits for its first password, which gets a fresh link (the old one stops working).
 */
export async function inviteMember(ctx: ServiceContext, projectId: string, input: InviteInput, options: { ttlMs: number }): Promise<InviteResult> {
  await authorize(ctx, projectId, 'members.manage');
  return inTransaction(ctx, async (tx) => {
    const [existing] = await tx.db.select().from(users).where(eq(users.email, input.email));
    let user: User;
    let needsLink: boolean;
    if (existing) {
      user = toUser(existing);
      needsLink = await isPending(tx, existing.id);
    } else {
      // A random password nobody learns: the account is usable only through the link.
      user = await insertUser(tx, { email: input.email, name: input.name ?? input.email.split('@')[0]!, password: generatePassword() });
      needsLink = true;
    }
    const [membership] = await tx.db
      .select({ role: projectMembers.role })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, user.id)));
    if (membership && !needsLink) throw new AppError('CONFLICT', `${input.email} is already a member`);
    const role = membership?.role ?? input.role;
    if (!membership) {
      await tx.db.insert(projectMembers).values({ projectId, userId: user.id, role });
      await audit(tx, { projectId, entity: 'membership', entityId: user.id, action: 'add', after: { role, invited: true } });
    }
    const member = { userId: user.id, email: user.email, name: user.name, role };
    if (!needsLink) return { member, invite: null };
    const link = await issueLink(tx, { userId: user.id, projectId, ttlMs: options.ttlMs });
    await audit(tx, {
      projectId,
      entity: 'invite',
      entityId: link.id,
      action: existing ? 'reissue' : 'create',
      after: { userId: user.id, email: user.email, role, expiresAt: link.expiresAt.toISOString() },
    });
    return { member, invite: { token: link.token, path: link.path, expiresAt: link.expiresAt.toISOString() } };
  });
}

type InviteRow = typeof invites.$inferSelect;

/** The invitation behind a token, or the reason it cannot be used. */
async function usableInvite(ctx: Pick<ServiceContext, 'db'>, token: string): Promise<InviteRow> {
  const [row] = await ctx.db.select().from(invites).where(eq(invites.tokenHash, hashToken(token)));
  if (!row) throw new AppError('NOT_FOUND', 'this invitation link is not valid (it may have been replaced by a newer one); ask the project owner for a new link');
  if (row.usedAt) throw new AppError('LINK_USED', 'this invitation link was already used; sign in with your email and password instead');
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new AppError('LINK_EXPIRED', `this invitation link expired on ${row.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; ask the project owner for a new link`);
  }
  return row;
}

/** Public: what the invitation page shows before the invitee sets a password. */
export async function getInvite(ctx: ServiceContext, token: string): Promise<InviteInfo> {
  const row = await usableInvite(ctx, token);
  const [info] = await ctx.db
    .select({ email: users.email, name: users.name, projectName: projects.name, role: projectMembers.role })
    .from(users)
    .innerJoin(projects, eq(projects.id, row.projectId))
    .leftJoin(projectMembers, and(eq(projectMembers.projectId, row.projectId), eq(projectMembers.userId, users.id)))
    .where(eq(users.id, row.userId));
  if (!info?.role) throw new AppError('NOT_FOUND', 'this invitation was withdrawn: you are no longer a member of the project');
  return { email: info.email, name: info.name, projectId: row.projectId, projectName: info.projectName, role: info.role, expiresAt: row.expiresAt.toISOString() };
}

/**
 * Public: uses the link once. Sets the password (and name), marks the link used in the same
 * statement that checks it (two concurrent uses cannot both pass), and opens a session.
 */
export async function acceptInvite(
  ctx: ServiceContext,
  token: string,
  input: AcceptInviteInput,
  session: { sessionTtlMs: number; ip: string; userAgent: string | null },
): Promise<{ user: User; projectId: string; session: { token: string; expiresAt: Date } }> {
  const info = await getInvite(ctx, token);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    const now = new Date();
    const [used] = await tx.db
      .update(invites)
      .set({ usedAt: now })
      .where(and(eq(invites.tokenHash, hashToken(token)), isNull(invites.usedAt)))
      .returning();
    if (!used) await usableInvite(tx, token); // throws the precise reason
    if (used!.expiresAt.getTime() <= now.getTime()) throw new AppError('LINK_EXPIRED', 'this invitation link expired; ask the project owner for a new link');
    const [row] = await tx.db
      .update(users)
      .set({ passwordHash, mustChangePassword: false, updatedAt: now, ...(input.name ? { name: input.name } : {}) })
      .where(eq(users.id, used!.userId))
      .returning();
    const as: ServiceContext = { ...tx, actor: { userId: row!.id, isAdmin: row!.isAdmin } };
    await audit(as, { projectId: info.projectId, entity: 'invite', entityId: used!.id, action: 'accept', after: { userId: row!.id } });
    const opened = await openSession(tx, row!.id, session);
    return { user: toUser(row!), projectId: info.projectId, session: opened };
  });
}
