import { createHash } from 'node:crypto';

/**
 * How every bearer secret is stored (session cookies, ws-tokens, invitations, personal access
 * tokens): SHA-256, base64url. The secrets are 256 random bits, so a fast hash suffices.
 */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
