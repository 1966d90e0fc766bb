import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { timestamptz } from './columns.ts';

/** Which mails an account gets; no row means the defaults (every kind on). */
export const mailPreferences = pgTable('mail_preferences', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  mentions: boolean('mentions').notNull().default(true),
  digest: boolean('digest').notNull().default(true),
  /** When the last digest went to this account: the next one reports what is new since. */
  digestSentAt: timestamptz('digest_sent_at'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * One-time password-reset links (`/reset-password/<token>`), mailed on request. Only the
 * token's SHA-256 is stored; a new request replaces the account's unused link.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);
