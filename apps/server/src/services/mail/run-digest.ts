import type { DigestRun } from '@concord/shared';
import { authorizeAdmin } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { sendDigests } from './digest.ts';
import type { Mailer } from './transport.ts';

/**
 * Sends the digest now (`POST /api/admin/mail/digest`): for operators and tests, besides the
 * daily run. Instance administrators only; each recipient's content is still decided as that
 * recipient (digest.ts), never as the administrator.
 */
export async function runDigestNow({ ctx, mailer }: { ctx: ServiceContext; mailer: Mailer }): Promise<DigestRun> {
  authorizeAdmin({ ctx });
  return sendDigests({ ctx: { ...ctx, actor: null }, mailer });
}
