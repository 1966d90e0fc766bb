/**
 * Limits on asking for a password-reset link (`POST /api/auth/password-reset/request`), per
 * email and per address, counted whether or not the email has an account, so the refusal
 * (429) says nothing about accounts. Per email: a stranger cannot fill an inbox (one mail a
 * minute was sixty an hour) nor keep replacing the owner's link, since a new request replaces
 * the unused one: once the budget is spent, the last link mailed stays usable. Per address:
 * one client cannot mail every account of the instance.
 */
import { AppError } from '../../errors.ts';
import { createMemoryLimitStore, type LimitStore } from './rate-limiter.ts';

export interface ResetRequestLimits {
  /** Counts this request; throws RATE_LIMITED when the email or the address spent its budget. */
  take(email: string, ip: string): Promise<void>;
}

export interface ResetRequestLimitOptions {
  perEmail: number;
  perAddress: number;
  windowMs: number;
  /** Where the counts live (Redis with several processes); in this process' memory by default. */
  store?: LimitStore;
  now?: () => number;
}

export function createResetRequestLimits(options: ResetRequestLimitOptions): ResetRequestLimits {
  const store = options.store ?? createMemoryLimitStore(options.now ? { now: options.now } : {});
  const byEmail = store.limiter({ name: 'reset:email', limit: options.perEmail, windowMs: options.windowMs });
  const byAddress = store.limiter({ name: 'reset:address', limit: options.perAddress, windowMs: options.windowMs });
  return {
    async take(email, ip) {
      for (const verdict of await Promise.all([byAddress.check(ip), byEmail.check(email)])) {
        if (!verdict.allowed) throw new AppError('RATE_LIMITED', `too many password-reset requests; try again in ${Math.ceil(verdict.retryAfterMs / 60_000)} min`);
      }
      await Promise.all([byAddress.fail(ip), byEmail.fail(email)]);
    },
  };
}
