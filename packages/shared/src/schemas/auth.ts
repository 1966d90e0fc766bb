import { z } from 'zod';
import { text } from './common.ts';

export const emailSchema = text()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }));

/** NIST SP 800-63B: length matters, composition rules do not. */
export const passwordSchema = text().min(10, 'must be at least 10 characters').max(256);

export const loginInput = z.object({
  email: emailSchema,
  password: text().min(1).max(256),
});
export type LoginInput = z.infer<typeof loginInput>;

export const setupInput = z.object({
  email: emailSchema,
  name: text().trim().min(1).max(200),
  password: passwordSchema,
});
export type SetupInput = z.infer<typeof setupInput>;

export const changePasswordInput = z.object({
  currentPassword: text().min(1).max(256),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const userSchema = z.object({
  id: text(),
  email: text(),
  name: text(),
  isAdmin: z.boolean(),
  createdAt: text(),
});
export type User = z.infer<typeof userSchema>;

export const setupStatusSchema = z.object({
  needsSetup: z.boolean(),
  demo: z.boolean(),
  /** The demo accounts' emails (never their password), when the demo study is in this database. */
  demoAccounts: z.array(text()),
  /** Whether this instance sends mail (SMTP_URL): the sign-in page offers a password reset by mail only then. */
  mail: z.boolean(),
});

/** A short-lived token for `ws://HOST/yjs/<doc>?token=…`, for clients that cannot send the session cookie. */
export const wsTokenSchema = z.object({ token: text(), expiresAt: text() });
export type WsToken = z.infer<typeof wsTokenSchema>;
