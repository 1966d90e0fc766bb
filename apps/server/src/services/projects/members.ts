import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { invites, projectMembers, users } from '@concord/db';
import type { Member, Role } from '@concord/shared';
import type { z } from 'zod';
import type { memberInput } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';
import { generatePassword } from '../auth/password.ts';
import { insertUser } from '../auth/users.ts';

export async function listMembers(ctx: ServiceContext, projectId: string): Promise<Member[]> {
  await authorize(ctx, projectId, 'members.read');
  const rows = await ctx.db
    .select({ userId: users.id, email: users.email, name: users.name, role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, projectId))
    .orderBy(asc(users.email));
  const links = rows.length
    ? await ctx.db
        .select({ userId: invites.userId, usedAt: invites.usedAt })
        .from(invites)
        .where(inArray(invites.userId, rows.map((r) => r.userId)))
    : [];
  const invited = new Set(links.map((l) => l.userId));
  const accepted = new Set(links.filter((l) => l.usedAt !== null).map((l) => l.userId));
  return rows.map((r) => ({ ...r, invitePending: invited.has(r.userId) && !accepted.has(r.userId) }));
}

/**
 * Adds a member by email. An unknown email creates the account with a one-time
 * password, returned once so the owner can hand it over; it must be changed at first sign-in.
 */
export async function addMember(
  ctx: ServiceContext,
  projectId: string,
  input: z.infer<typeof memberInput>,
): Promise<{ member: Member; oneTimePassword: string | null }> {
  await authorize(ctx, projectId, 'members.manage');
  return inTransaction(ctx, async (tx) => {
    let [user] = await tx.db.select().from(users).where(eq(users.email, input.email));
    let oneTimePassword: string | null = null;
    if (!user) {
      oneTimePassword = generatePassword();
      const created = await insertUser(tx, {
        email: input.email,
        name: input.name ?? input.email.split('@')[0]!,
        password: oneTimePassword,
        mustChangePassword: true,
      });
      [user] = await tx.db.select().from(users).where(eq(users.id, created.id));
    }
    const [existing] = await tx.db
      .select()
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, user!.id)));
    if (existing) throw new AppError('CONFLICT', `${input.email} is already a member`);
    await tx.db.insert(projectMembers).values({ projectId, userId: user!.id, role: input.role });
    await audit(tx, { projectId, entity: 'membership', entityId: user!.id, action: 'add', after: { role: input.role } });
    return { member: { userId: user!.id, email: user!.email, name: user!.name, role: input.role }, oneTimePassword };
  });
}

async function ownerCount(ctx: ServiceContext, projectId: string) {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.role, 'owner')));
  return row?.n ?? 0;
}

async function currentRole(ctx: ServiceContext, projectId: string, userId: string): Promise<Role> {
  const [row] = await ctx.db
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
  if (!row) throw notFound('member');
  return row.role;
}

export async function updateMemberRole(ctx: ServiceContext, projectId: string, userId: string, role: Role): Promise<void> {
  await authorize(ctx, projectId, 'members.manage');
  await inTransaction(ctx, async (tx) => {
    const before = await currentRole(tx, projectId, userId);
    if (before === 'owner' && role !== 'owner' && (await ownerCount(tx, projectId)) <= 1) {
      throw new AppError('CONFLICT', 'a project needs at least one owner');
    }
    await tx.db
      .update(projectMembers)
      .set({ role })
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    await audit(tx, { projectId, entity: 'membership', entityId: userId, action: 'update', before: { role: before }, after: { role } });
  });
  await ctx.collab?.memberAccessChanged({ projectId, userId });
  ctx.events?.publish({ type: 'member.accessChanged', projectId, userId });
}

export async function removeMember(ctx: ServiceContext, projectId: string, userId: string): Promise<void> {
  await authorize(ctx, projectId, 'members.manage');
  await inTransaction(ctx, async (tx) => {
    const before = await currentRole(tx, projectId, userId);
    if (before === 'owner' && (await ownerCount(tx, projectId)) <= 1) {
      throw new AppError('CONFLICT', 'a project needs at least one owner');
    }
    await tx.db.delete(projectMembers).where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    await audit(tx, { projectId, entity: 'membership', entityId: userId, action: 'remove', before: { role: before } });
  });
  // Open live documents are closed at once, not at their next reconnect.
  await ctx.collab?.memberAccessChanged({ projectId, userId });
  ctx.events?.publish({ type: 'member.accessChanged', projectId, userId });
}
