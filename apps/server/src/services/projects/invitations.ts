/**
 * Invitations: how anybody becomes a member of a project. Inviting an email makes a pending
 * invitation of this one project, with a one-time link `/invite/<token>` shown once to the
 * manager who passes it on (only its SHA-256 is stored). The answer is the same whether the
 * email has no account (one is created, pending: no password anybody knows), a pending one or
 * an active one, so inviting reveals nothing about other projects' people. An invitation never
 * touches another project's: re-inviting here replaces only this project's link for that email.
 * Accepting is in accept-invitation.ts.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { invites, projectMembers, users } from '@concord/db';
import { newId, type Invitation, type InviteInput, type InviteResult } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { NO_PASSWORD } from '../auth/password.ts';
import { hashToken } from '../auth/sessions.ts';

export const invitePath = (token: string) => `/invite/${token}`;

/** The account behind an email; an unknown email gets a pending account (no usable password). */
async function accountFor(tx: ServiceContext, input: InviteInput): Promise<string> {
  const email = input.email.trim().toLowerCase();
  const [existing] = await tx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) return existing.id;
  const id = newId('user');
  // No password at all (a hash no password matches), and no scrypt here: answering a new
  // email as fast as a known one keeps the timing from telling them apart.
  const passwordHash = NO_PASSWORD;
  const name = input.name ?? email.split('@')[0]!;
  // Two invitations of the same new email at once: the second one finds the first's row.
  const [created] = await tx.db.insert(users).values({ id, email, name, passwordHash, pending: true }).onConflictDoNothing().returning({ id: users.id });
  if (created) return created.id;
  const [raced] = await tx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return raced!.id;
}

/**
 * Invites an email into this project; a previous unused link of this project for it stops working.
 * `mailed`: SMTP is configured, so the link also goes to the invitee by mail (services/mail/,
 * after the commit); the same for every email, so the answer still says nothing about the account.
 */
export async function inviteMember({ ctx, projectId, input, options }: { ctx: ServiceContext; projectId: string; input: InviteInput; options: { ttlMs: number; mailed: boolean } }): Promise<InviteResult> {
  await authorize({ ctx, projectId, action: 'members.manage' });
  return inTransaction(ctx, async (tx) => {
    const userId = await accountFor(tx, input);
    const [member] = await tx.db
      .select({ role: projectMembers.role })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    // Visible in this project's member list anyway: says nothing about any other project.
    if (member) throw new AppError('CONFLICT', `${input.email} is already a member`);
    const replaced = await tx.db
      .delete(invites)
      .where(and(eq(invites.projectId, projectId), eq(invites.userId, userId), isNull(invites.usedAt)))
      .returning({ id: invites.id });
    const token = randomBytes(32).toString('base64url');
    const id = newId('invite');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + options.ttlMs);
    const email = input.email.trim().toLowerCase();
    await tx.db.insert(invites).values({ id, tokenHash: hashToken(token), userId, projectId, role: input.role, createdBy: tx.actor?.userId ?? null, createdAt: now, expiresAt });
    await audit({ ctx: tx, entry: {
      projectId,
      entity: 'invite',
      entityId: id,
      action: replaced.length ? 'reissue' : 'create',
      after: { email, role: input.role, expiresAt: expiresAt.toISOString() },
    } });
    const inviterId = tx.actor?.userId ?? null;
    tx.events?.publish({ type: 'invitation.created', projectId, invitationId: id, userId, email, token, expiresAt: expiresAt.toISOString(), inviterId });
    return {
      invitation: { id, email, role: input.role, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString(), token, path: invitePath(token), mailed: options.mailed },
    };
  });
}

/** This project's invitations whose link is unused and unexpired (for its managers). */
export async function listInvitations({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<Invitation[]> {
  await authorize({ ctx, projectId, action: 'members.manage' });
  const rows = await ctx.db
    .select({ id: invites.id, email: users.email, role: invites.role, createdAt: invites.createdAt, expiresAt: invites.expiresAt })
    .from(invites)
    .innerJoin(users, eq(users.id, invites.userId))
    .where(and(eq(invites.projectId, projectId), isNull(invites.usedAt), gt(invites.expiresAt, new Date())))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)!, expiresAt: iso(r.expiresAt)! }));
}

/** Withdraws one of this project's unused invitations: its link stops working. */
export async function revokeInvitation({ ctx, projectId, invitationId }: { ctx: ServiceContext; projectId: string; invitationId: string }): Promise<void> {
  await authorize({ ctx, projectId, action: 'members.manage' });
  await inTransaction(ctx, async (tx) => {
    const [gone] = await tx.db
      .delete(invites)
      .where(and(eq(invites.id, invitationId), eq(invites.projectId, projectId), isNull(invites.usedAt)))
      .returning({ id: invites.id, role: invites.role });
    if (!gone) throw notFound('invitation');
    await audit({ ctx: tx, entry: { projectId, entity: 'invite', entityId: gone.id, action: 'revoke', before: { role: gone.role } } });
  });
}
