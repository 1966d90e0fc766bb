/**
 * Personal access tokens: `Authorization: Bearer concord_pat_…` for scripts and tools (README,
 * "Scripts and tools"). A token acts as its owner, through the same authorization as her
 * session, narrowed by its scope (`authorizeTokenScope` in authz.ts). Tokens are managed only
 * from a signed-in session: a token can neither make tokens nor change the password. A password
 * change or reset revokes every token of the account (whoever took the account may have made one).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { apiTokens, users } from '@concord/db';
import { newId, TOKEN_PREFIX, type ApiToken, type CreatedToken, type CreateTokenInput } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { requireActor } from '../authz.ts';
import { inTransaction, iso, type Actor, type ServiceContext } from '../context.ts';
import { hashToken } from './token-hash.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Characters of the secret kept in the clear for the list: the prefix and 4 of its 43 random ones (252 bits stay secret). */
const START_LENGTH = TOKEN_PREFIX.length + 4;
/** `last_used_at` is written at most this often per token, so a busy script does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

type TokenRow = typeof apiTokens.$inferSelect;

const toApiToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  start: row.start,
  createdAt: iso(row.createdAt)!,
  expiresAt: iso(row.expiresAt)!,
  lastUsedAt: iso(row.lastUsedAt),
});

/** Token management needs the person, signed in: a token cannot manage tokens. */
function requireSessionActor(ctx: ServiceContext): Actor {
  const actor = requireActor({ ctx });
  if (actor.token) throw new AppError('TOKEN_SCOPE', 'personal access tokens are managed from a signed-in session, not with a token');
  return actor;
}

export async function createToken({ ctx, input }: { ctx: ServiceContext; input: CreateTokenInput }): Promise<CreatedToken> {
  const actor = requireSessionActor(ctx);
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const values = {
    id: newId('token'),
    userId: actor.userId,
    name: input.name,
    scope: input.scope,
    tokenHash: hashToken(secret),
    start: secret.slice(0, START_LENGTH),
    expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
  };
  const row = await inTransaction(ctx, async (tx) => {
    const [inserted] = await tx.db.insert(apiTokens).values(values).returning();
    await audit({ ctx: tx, entry: { projectId: null, entity: 'token', entityId: values.id, action: 'create', after: { name: values.name, scope: values.scope, expiresAt: values.expiresAt } } });
    return inserted!;
  });
  return { token: toApiToken(row), secret };
}

/** The caller's tokens, expired ones included (until revoked), newest last. */
export async function listTokens({ ctx }: { ctx: ServiceContext }): Promise<ApiToken[]> {
  const actor = requireSessionActor(ctx);
  const rows = await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, actor.userId)).orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  return rows.map(toApiToken);
}

/** Revokes one of the caller's tokens; someone else's token is unknown (404). */
export async function revokeToken({ ctx, tokenId }: { ctx: ServiceContext; tokenId: string }): Promise<void> {
  const actor = requireSessionActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, actor.userId)))
      .returning();
    if (!row) throw notFound('token');
    await audit({ ctx: tx, entry: { projectId: null, entity: 'token', entityId: row.id, action: 'revoke', before: { name: row.name, scope: row.scope } } });
  });
}

/** Revokes every token of an account (password change or reset), audited one by one. */
export async function revokeUserTokens({ ctx, userId, reason }: { ctx: ServiceContext; userId: string; reason: 'password-change' | 'password-reset' }): Promise<void> {
  const rows = await ctx.db.delete(apiTokens).where(eq(apiTokens.userId, userId)).returning();
  for (const row of rows) {
    await audit({ ctx, entry: { projectId: null, entity: 'token', entityId: row.id, action: 'revoke', before: { name: row.name, scope: row.scope }, after: { reason } } });
  }
}

/** What the authentication middleware needs of a valid token: its owner as an actor, and her password state. */
export interface TokenAuth {
  actor: Actor;
  mustChangePassword: boolean;
}

/** The owner behind an unexpired, unrevoked token of an existing account, or null. */
export async function resolveToken({ ctx, secret }: { ctx: Pick<ServiceContext, 'db'>; secret: string }): Promise<TokenAuth | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const now = new Date();
  const [row] = await ctx.db
    .select({ id: apiTokens.id, scope: apiTokens.scope, userId: users.id, isAdmin: users.isAdmin, pending: users.pending, mustChangePassword: users.mustChangePassword })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(secret)), gt(apiTokens.expiresAt, now)));
  if (!row || row.pending) return null;
  await ctx.db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))));
  return { actor: { userId: row.userId, isAdmin: row.isAdmin, token: { id: row.id, scope: row.scope } }, mustChangePassword: row.mustChangePassword };
}
