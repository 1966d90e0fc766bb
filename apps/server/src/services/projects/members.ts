import { and, asc, count, eq } from 'drizzle-orm';
import { projectMembers, users } from '@concord/db';
import type { Member, Role } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';

export async function listMembers({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<Member[]> {
  await authorize({ ctx, projectId, action: 'members.read' });
  return ctx.db
    .select({ userId: users.id, email: users.email, name: users.name, role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, projectId))
    .orderBy(asc(users.email));
}

/**
 * Adds an existing account with a password directly, without an invitation. Not an API route
 * (the API only invites, see invitations.ts): the demo seed and tests build projects with it.
 */
export async function addMember({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: { email: string; role: Role } }): Promise<Member> {
  await authorize({ ctx, projectId, action: 'members.manage' });
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.email, input.email.trim().toLowerCase()));
    if (!user || user.pending) throw notFound('account');
    const [existing] = await tx.db
      .select()
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, user.id)));
    if (existing) throw new AppError('CONFLICT', `${input.email} is already a member`);
    await tx.db.insert(projectMembers).values({ projectId, userId: user.id, role: input.role });
    await audit({ ctx: tx, entry: { projectId, entity: 'membership', entityId: user.id, action: 'add', after: { role: input.role } } });
    return { userId: user.id, email: user.email, name: user.name, role: input.role };
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

export async function updateMemberRole({ ctx, projectId, userId, role }: { ctx: ServiceContext; projectId: string; userId: string; role: Role }): Promise<void> {
  await authorize({ ctx, projectId, action: 'members.manage' });
  await inTransaction(ctx, async (tx) => {
    const before = await currentRole(tx, projectId, userId);
    if (before === 'owner' && role !== 'owner' && (await ownerCount(tx, projectId)) <= 1) {
      throw new AppError('CONFLICT', 'a project needs at least one owner');
    }
    await tx.db
      .update(projectMembers)
      .set({ role })
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    await audit({ ctx: tx, entry: { projectId, entity: 'membership', entityId: userId, action: 'update', before: { role: before }, after: { role } } });
  });
  await ctx.collab?.memberAccessChanged({ projectId, userId });
  ctx.events?.publish({ type: 'member.accessChanged', projectId, userId });
}

export async function removeMember({ ctx, projectId, userId }: { ctx: ServiceContext; projectId: string; userId: string }): Promise<void> {
  await authorize({ ctx, projectId, action: 'members.manage' });
  await inTransaction(ctx, async (tx) => {
    const before = await currentRole(tx, projectId, userId);
    if (before === 'owner' && (await ownerCount(tx, projectId)) <= 1) {
      throw new AppError('CONFLICT', 'a project needs at least one owner');
    }
    await tx.db.delete(projectMembers).where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    await audit({ ctx: tx, entry: { projectId, entity: 'membership', entityId: userId, action: 'remove', before: { role: before } } });
  });
  // Open live documents are closed at once, not at their next reconnect.
  await ctx.collab?.memberAccessChanged({ projectId, userId });
  ctx.events?.publish({ type: 'member.accessChanged', projectId, userId });
}
