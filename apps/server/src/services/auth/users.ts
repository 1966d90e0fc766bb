import { count, eq } from 'drizzle-orm';
import { users } from '@concord/db';
import { newId, type SetupInput, type User } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { iso, type ServiceContext } from '../context.ts';
import { requireActor } from '../authz.ts';
import { hashPassword } from './password.ts';
import { DEMO_ACCOUNTS } from '../../demo/accounts.ts';
import { isDemoSeeded } from './demo-accounts.ts';

type UserRow = typeof users.$inferSelect;

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.isAdmin, createdAt: iso(row.createdAt)! };
}

export async function countUsers({ ctx }: { ctx: ServiceContext }): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** Inserts a user; the caller has already decided it may. Email conflicts are 409. */
export async function insertUser({ ctx, input }: {
  ctx: ServiceContext;
  input: { email: string; name: string; password: string; isAdmin?: boolean; mustChangePassword?: boolean };
}): Promise<User> {
  // Emails are stored lower-cased whatever the caller passed, so sign-in is case-insensitive.
  const email = input.email.trim().toLowerCase();
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new AppError('CONFLICT', `a user with email ${email} already exists`);
  const [row] = await ctx.db
    .insert(users)
    .values({
      id: newId('user'),
      email,
      name: input.name,
      passwordHash: await hashPassword(input.password, ctx.passwordCost),
      isAdmin: input.isAdmin ?? false,
      mustChangePassword: input.mustChangePassword ?? false,
    })
    .returning();
  return toUser(row!);
}

/** Whether the first owner must still be created, and the demo accounts to show on the sign-in page. */
export async function setupStatus({ ctx, demoEnabled }: { ctx: ServiceContext; demoEnabled: boolean }) {
  const needsSetup = (await countUsers({ ctx })) === 0;
  const demoAccounts = demoEnabled && (await isDemoSeeded({ ctx })) ? DEMO_ACCOUNTS.map((a) => a.email) : [];
  return { needsSetup, demo: demoEnabled, demoAccounts };
}

/** First-run setup: creates the first owner, only while no user exists. */
export async function setupFirstOwner({ ctx, input }: { ctx: ServiceContext; input: SetupInput }): Promise<User> {
  if ((await countUsers({ ctx })) > 0) throw new AppError('CONFLICT', 'setup is already done');
  return insertUser({ ctx, input: { ...input, isAdmin: true } });
}

export async function getMe({ ctx }: { ctx: ServiceContext }): Promise<User & { mustChangePassword: boolean }> {
  const actor = requireActor({ ctx });
  const [row] = await ctx.db.select().from(users).where(eq(users.id, actor.userId));
  if (!row) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return { ...toUser(row), mustChangePassword: row.mustChangePassword };
}
