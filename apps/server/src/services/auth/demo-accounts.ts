/** The demo study's accounts as the server sees them: whether they were seeded, and their password on a later start. */
import { eq } from 'drizzle-orm';
import { users } from '@concord/db';
import type { ServiceContext } from '../context.ts';
import { hashPassword } from './password.ts';
import { DEMO_ACCOUNTS } from '../../demo/accounts.ts';

/** Whether the demo study was seeded (its owner account exists). */
export async function isDemoSeeded({ ctx }: { ctx: ServiceContext }): Promise<boolean> {
  const [row] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ACCOUNTS[0]!.email));
  return row !== undefined;
}

/** Sets every demo account's password (used when CONCORD_DEMO_PASSWORD is given on a later start). */
export async function resetDemoPasswords({ ctx, password }: { ctx: ServiceContext; password: string }): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    await ctx.db.update(users).set({ passwordHash: await hashPassword(password, ctx.passwordCost) }).where(eq(users.email, account.email));
  }
}
