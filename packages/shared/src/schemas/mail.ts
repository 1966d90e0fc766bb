import { z } from 'zod';
import { emailSchema, passwordSchema } from './auth.ts';
import { text } from './common.ts';

/**
 * Which mails an account gets (GET/PUT /api/auth/mail-preferences). Invitations and password
 * resets are always sent: one is the only way into a project, the other was asked for, and an
 * inviter must not learn anything about an invitee's account from whether a mail went out.
 */
export const mailPreferencesSchema = z.object({
  /** A comment mentions me (only where I may read that comment). */
  mentions: z.boolean(),
  /** The daily digest of items awaiting review and new disagreements (owners and editors). */
  digest: z.boolean(),
});
export type MailPreferences = z.infer<typeof mailPreferencesSchema>;

export const mailPreferencesInput = mailPreferencesSchema.partial();
export type MailPreferencesInput = z.infer<typeof mailPreferencesInput>;

export const passwordResetRequestInput = z.object({ email: emailSchema });
export type PasswordResetRequestInput = z.infer<typeof passwordResetRequestInput>;

export const passwordResetInput = z.object({
  /** From the mailed link `/reset-password/<token>`. */
  token: text().min(1).max(200),
  password: passwordSchema,
});
export type PasswordResetInput = z.infer<typeof passwordResetInput>;

/** The answer of a digest run (POST /api/admin/mail/digest, `pnpm concord mail digest`). */
export const digestRunSchema = z.object({
  /** Digest mails handed to the SMTP server. */
  sent: z.number().int(),
  /** Recipients with nothing to report, their preference off, or no SMTP configured. */
  skipped: z.number().int(),
  failed: z.number().int(),
});
export type DigestRun = z.infer<typeof digestRunSchema>;
