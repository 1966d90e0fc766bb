/**
 * Which mails an account gets (mentions, the daily digest). No row means every kind is on:
 * a new account gets mail without a visit to its account page first.
 */
import { eq, inArray } from 'drizzle-orm';
import { mailPreferences } from '@concord/db';
import type { MailPreferences, MailPreferencesInput } from '@concord/shared';
import { audit } from '../audit.ts';
import { requireActor } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';

export const DEFAULT_MAIL_PREFERENCES: MailPreferences = { mentions: true, digest: true };

/** The signed-in account's preferences. */
export async function getMailPreferences({ ctx }: { ctx: ServiceContext }): Promise<MailPreferences> {
  const actor = requireActor({ ctx });
  return (await preferencesOf({ ctx, userIds: [actor.userId] })).get(actor.userId)!;
}

/** Changes the signed-in account's preferences (the kinds named; the others stay). */
export async function updateMailPreferences({ ctx, input }: { ctx: ServiceContext; input: MailPreferencesInput }): Promise<MailPreferences> {
  const actor = requireActor({ ctx });
  return inTransaction(ctx, async (tx) => {
    const before = await getMailPreferences({ ctx: tx });
    const next = { ...before, ...input };
    await tx.db
      .insert(mailPreferences)
      .values({ userId: actor.userId, ...next })
      .onConflictDoUpdate({ target: mailPreferences.userId, set: { ...next, updatedAt: new Date() } });
    await audit({ ctx: tx, entry: { projectId: null, entity: 'account', entityId: actor.userId, action: 'mail-preferences', before, after: next } });
    return next;
  });
}

/** Internal (mail senders): each account's preferences, defaults where it has none. */
export async function preferencesOf({ ctx, userIds }: { ctx: ServiceContext; userIds: string[] }): Promise<Map<string, MailPreferences>> {
  const out = new Map(userIds.map((id) => [id, { ...DEFAULT_MAIL_PREFERENCES }]));
  if (!userIds.length) return out;
  const rows = await ctx.db
    .select({ userId: mailPreferences.userId, mentions: mailPreferences.mentions, digest: mailPreferences.digest })
    .from(mailPreferences)
    .where(inArray(mailPreferences.userId, userIds));
  for (const { userId, ...prefs } of rows) out.set(userId, prefs);
  return out;
}

/** Internal (digest): when each account's last digest went out. */
export async function digestSentAt({ ctx, userId }: { ctx: ServiceContext; userId: string }): Promise<Date | null> {
  const [row] = await ctx.db.select({ at: mailPreferences.digestSentAt }).from(mailPreferences).where(eq(mailPreferences.userId, userId));
  return row?.at ?? null;
}

/** Internal (digest): remembers that a digest went out now. */
export async function markDigestSent({ ctx, userId, at }: { ctx: ServiceContext; userId: string; at: Date }): Promise<void> {
  await ctx.db
    .insert(mailPreferences)
    .values({ userId, ...DEFAULT_MAIL_PREFERENCES, digestSentAt: at })
    .onConflictDoUpdate({ target: mailPreferences.userId, set: { digestSentAt: at } });
}
