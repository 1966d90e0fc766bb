import { z } from 'zod';
import { text } from './common.ts';

/**
 * What a personal access token may do (README, "Scripts and tools"). Both only read, whatever the
 * owner's role: `read` every GET the owner's roles allow; `read-export` only the project list and
 * the export downloads and charts (`export.read`; not the pseudonym key), for a scheduled pull that
 * needs nothing else.
 */
export const TOKEN_SCOPES = ['read', 'read-export'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Personal access tokens are sent as `Authorization: Bearer concord_pat_…`; the prefix lets secret scanners find leaked ones. */
export const TOKEN_PREFIX = 'concord_pat_';
export const TOKEN_MAX_DAYS = 366;
export const TOKEN_DEFAULT_DAYS = 90;

export const createTokenInput = z.object({
  name: text().trim().min(1, 'name the token (what will use it)').max(100),
  scope: z.enum(TOKEN_SCOPES),
  /** Every token expires: 1 to 366 days from now. */
  expiresInDays: z.number().int().min(1).max(TOKEN_MAX_DAYS).default(TOKEN_DEFAULT_DAYS),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

/** A token as listed: never the secret (only its first characters, to recognise it). */
export const apiTokenSchema = z.object({
  id: text(),
  name: text(),
  scope: z.enum(TOKEN_SCOPES),
  /** The first characters of the secret, e.g. `concord_pat_AbCd`. */
  start: text(),
  createdAt: text(),
  expiresAt: text(),
  lastUsedAt: text().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** The answer to creating a token: the only time the secret is shown. */
export const createdTokenSchema = z.object({ token: apiTokenSchema, secret: text() });
export type CreatedToken = z.infer<typeof createdTokenSchema>;
