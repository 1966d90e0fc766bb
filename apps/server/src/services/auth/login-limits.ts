/**
 * The sign-in limits, per address and per account. Guessing one account from many addresses
 * hits the account limit; guessing many accounts from one address hits the address limit.
 * The account limit is a sliding window, so a lock lifts by itself once the failures stop,
 * and it does not apply where the account signed in before: there only the failures from
 * that same address count. So an attacker elsewhere can lock an account only for places it
 * has never been used from, and never the real user at their usual address.
 */
import { AppError } from '../../errors.ts';
import { createMemoryLimitStore, type LimitStore } from './rate-limiter.ts';

export interface LoginLimits {
  /** Throws RATE_LIMITED when this attempt may not be made now. */
  check(email: string, ip: string): Promise<void>;
  fail(email: string, ip: string): Promise<void>;
  succeed(email: string, ip: string): Promise<void>;
}

export interface LoginLimitOptions {
  perAccount: number;
  perAddress: number;
  windowMs: number;
  /** How long a successful sign-in makes its address a known one for the account. */
  knownAddressMs: number;
  /** Where the counts live (Redis with several processes); in this process' memory by default. */
  store?: LimitStore;
  now?: () => number;
}

export function createLoginLimits(options: LoginLimitOptions): LoginLimits {
  const store = options.store ?? createMemoryLimitStore(options.now ? { now: options.now } : {});
  const window = { limit: options.perAccount, windowMs: options.windowMs };
  const account = store.limiter({ name: 'login:account', ...window });
  const address = store.limiter({ name: 'login:address', limit: options.perAddress, windowMs: options.windowMs });
  const pair = store.limiter({ name: 'login:pair', ...window });
  const known = store.marks({ name: 'login:known', ttlMs: options.knownAddressMs });
  const pairKey = (email: string, ip: string) => `${email}\n${ip}`;

  return {
    async check(email, ip) {
      const key = pairKey(email, ip);
      const verdicts = await Promise.all([address.check(ip), (await known.has(key)) ? pair.check(key) : account.check(email)]);
      for (const verdict of verdicts) {
        if (!verdict.allowed) throw new AppError('RATE_LIMITED', `too many failed sign-ins; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`);
      }
    },
    async fail(email, ip) {
      await Promise.all([address.fail(ip), account.fail(email), pair.fail(pairKey(email, ip))]);
    },
    async succeed(email, ip) {
      // The account's count stays: a success here must not give a guesser elsewhere new attempts.
      const key = pairKey(email, ip);
      await Promise.all([pair.reset(key), known.mark(key)]);
    },
  };
}
