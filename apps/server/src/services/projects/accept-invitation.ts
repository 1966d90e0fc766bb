/**
 * Using an invitation link (public: the token is the credential). A link activates only its
 * own project's membership, once, before it expires:
 * - a pending account (no password yet): the link sets the password and signs the invitee in;
 * - an account with a password: the invitee must be signed in as that account.
 * So a link held by one project's manager can never set or replace the password of an account
 * that already has one, nor add anybody to another project.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { invites, projectMembers, projects, users } from '@concord/db';
import type { AcceptInviteInput, InviteInfo, User } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { hashPassword } from '../auth/password.ts';
import { hashToken, openSession } from '../auth/sessions.ts';
import { toUser } from '../auth/users.ts';

type InviteRow = typeof invites.$inferSelect;

/** The invitation behind a token, or the reason it cannot be used. */
async function usableInvite(ctx: Pick<ServiceContext, 'db'>, token: string): Promise<InviteRow> {
  const [row] = await ctx.db.select().from(invites).where(eq(invites.tokenHash, hashToken(token)));
  if (!row) throw new AppError('NOT_FOUND', 'this invitation link is not valid (it may have been replaced or withdrawn); ask the project owner for a new link');
  if (row.usedAt) throw new AppError('LINK_USED', 'this invitation link was already used; sign in with your email and password instead');
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new AppError('LINK_EXPIRED', `this invitation link expired on ${row.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; ask the project owner for a new link`);
  }
  return row;
}

/** Public: what the invitation page shows before the invitee accepts. */
export async function getInvite({ ctx, token }: { ctx: ServiceContext; token: string }): Promise<InviteInfo> {
  const row = await usableInvite(ctx, token);
  const [info] = await ctx.db
    .select({ email: users.email, name: users.name, pending: users.pending, projectName: projects.name })
    .from(users)
    .innerJoin(projects, eq(projects.id, row.projectId))
    .where(eq(users.id, row.userId));
  if (!info) throw new AppError('NOT_FOUND', 'this invitation was withdrawn');
  return {
    email: info.email,
    // The link holder may be the inviting manager: an account's own name (chosen in another
    // project, perhaps withheld there) is not hers to read. A pending account's is the one its
    // invitation gave, which the page offers to change.
    name: info.pending ? info.name : '',
    projectId: row.projectId,
    projectName: info.projectName,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
    needsPassword: info.pending,
  };
}

export interface AcceptedInvite {
  user: User;
  projectId: string;
  /** A new session when the link set the password; null when the invitee was already signed in. */
  session: { token: string; expiresAt: Date } | null;
}

/**
 * Public: uses the link once. Marks it used in the same statement that checks it (two
 * concurrent uses cannot both pass), then sets the password of a pending account (and signs
 * it in) or checks that the caller is the signed-in invitee, and adds the membership.
 */
export async function acceptInvite({ ctx, token, input, session }: {
  ctx: ServiceContext;
  token: string;
  input: AcceptInviteInput;
  session: { sessionTtlMs: number; ip: string; userAgent: string | null };
}): Promise<AcceptedInvite> {
  const info = await getInvite({ ctx, token });
  if (!info.needsPassword && ctx.actor === null) throw new AppError('UNAUTHENTICATED', `sign in as ${info.email} to accept this invitation`);
  if (info.needsPassword && !input.password) throw new AppError('VALIDATION_FAILED', 'choose a password to accept this invitation');
  const passwordHash = info.needsPassword ? await hashPassword(input.password!, ctx.passwordCost) : null;
  return inTransaction(ctx, async (tx) => {
    const now = new Date();
    const [used] = await tx.db
      .update(invites)
      .set({ usedAt: now })
      .where(and(eq(invites.tokenHash, hashToken(token)), isNull(invites.usedAt)))
      .returning();
    if (!used) await usableInvite(tx, token); // throws the precise reason
    if (used!.expiresAt.getTime() <= now.getTime()) throw new AppError('LINK_EXPIRED', 'this invitation link expired; ask the project owner for a new link');
    let opened: AcceptedInvite['session'] = null;
    let [account] = await tx.db.select().from(users).where(eq(users.id, used!.userId));
    if (account!.pending) {
      if (!passwordHash) throw new AppError('CONFLICT', 'this account changed meanwhile; open the link again');
      // Only while still pending: a concurrent first use of another link cannot be overwritten.
      [account] = await tx.db
        .update(users)
        .set({ passwordHash, pending: false, mustChangePassword: false, updatedAt: now, ...(input.name ? { name: input.name } : {}) })
        .where(and(eq(users.id, used!.userId), eq(users.pending, true)))
        .returning();
      if (!account) throw new AppError('CONFLICT', 'this account changed meanwhile; open the link again');
      opened = await openSession({ ctx: tx, userId: account.id, input: session });
    } else if (tx.actor?.userId !== account!.id) {
      throw new AppError(tx.actor ? 'FORBIDDEN' : 'UNAUTHENTICATED', `this invitation is for ${account!.email}: sign in as that account to accept it`);
    }
    await tx.db.insert(projectMembers).values({ projectId: used!.projectId, userId: account!.id, role: used!.role }).onConflictDoNothing();
    const as: ServiceContext = { ...tx, actor: { userId: account!.id, isAdmin: account!.isAdmin } };
    await audit({ ctx: as, entry: { projectId: used!.projectId, entity: 'invite', entityId: used!.id, action: 'accept', after: { userId: account!.id, role: used!.role } } });
    await audit({ ctx: as, entry: { projectId: used!.projectId, entity: 'membership', entityId: account!.id, action: 'add', after: { role: used!.role, invited: true } } });
    return { user: toUser(account!), projectId: used!.projectId, session: opened };
  });
}
