/**
 * The operator's way back into an account (`pnpm concord user reset-password`): a forgotten
 * password, or an account taken by somebody who used another project's invitation link first
 * (see SECURITY.md). Sets the password, ends every session of the account (its live connections
 * close at the servers' next session check), revokes its personal access tokens, and leaves the memberships as they are.
 */
import { eq } from 'drizzle-orm';
import { users } from '@concord/db';
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../context.ts';
import { hashPassword } from './password.ts';
import { endUserSessions } from './sessions.ts';
import { revokeUserTokens } from './api-tokens.ts';

export async function resetPassword({ ctx, input }: { ctx: ServiceContext; input: { email: string; password: string; mustChangePassword: boolean } }): Promise<void> {
  const [user] = await ctx.db
    .update(users)
    .set({ passwordHash: await hashPassword(input.password, ctx.passwordCost), pending: false, mustChangePassword: input.mustChangePassword, updatedAt: new Date() })
    .where(eq(users.email, input.email.trim().toLowerCase()))
    .returning({ id: users.id });
  if (!user) throw new AppError('NOT_FOUND', `no account with email ${input.email}`);
  await endUserSessions({ ctx, userId: user.id });
  await revokeUserTokens({ ctx, userId: user.id, reason: 'password-reset' });
}
