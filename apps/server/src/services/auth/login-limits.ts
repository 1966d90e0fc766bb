/**
 * The sign-in limits, per address and per account. Guessing one account from many addresses
 * hits the account limit; guessing many accounts from one address hits the address limit.
 * The account limit is a sliding window, so a lock lifts by itself once the failures stop,
 * and it does not apply where the account signed in before: there only the failures from
 * that same address count. So an attacker elsewhere can lock an account only for places it
 * has never been used from, and never the real user at their usual address.
 */
import { AppError } from '../../errors.ts';
import { createMemoryRateLimiter } from './rate-limiter.ts';

export interface LoginLimits {
  /** Throws RATE_LIMITED when this attempt may not be made now. */
  check(email: string, ip: string): void;
  fail(email: string, ip: string): void;
  succeed(email: string, ip: string): void;
}

export interface LoginLimitOptions {
  perAccount: number;
  perAddress: number;
  windowMs: number;
  /** How long a successful sign-in makes its address a known one for the account. */
  knownAddressMs: number;
  now?: () => number;
}

/** Known (account, address) pairs kept at most; the oldest is forgotten first. */
const MAX_KNOWN_PAIRS = 100_000;

export function createLoginLimits(options: LoginLimitOptions): LoginLimits {
  const now = options.now ?? Date.now;
  const clock = { now };
  const account = createMemoryRateLimiter({ limit: options.perAccount, windowMs: options.windowMs, ...clock });
  const address = createMemoryRateLimiter({ limit: options.perAddress, windowMs: options.windowMs, ...clock });
  const pair = createMemoryRateLimiter({ limit: options.perAccount, windowMs: options.windowMs, ...clock });
  const knownUntil = new Map<string, number>();
  const pairKey = (email: string, ip: string) => `${email}\n${ip}`;
  const isKnown = (key: string) => (knownUntil.get(key) ?? 0) > now();

  return {
    check(email, ip) {
      const key = pairKey(email, ip);
      const verdicts = [address.check(ip), isKnown(key) ? pair.check(key) : account.check(email)];
      for (const verdict of verdicts) {
        if (!verdict.allowed) throw new AppError('RATE_LIMITED', `too many failed sign-ins; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`);
      }
    },
    fail(email, ip) {
      address.fail(ip);
      account.fail(email);
      pair.fail(pairKey(email, ip));
    },
    succeed(email, ip) {
      // The account's count stays: a success here must not give a guesser elsewhere new attempts.
      const key = pairKey(email, ip);
      pair.reset(key);
      knownUntil.delete(key);
      knownUntil.set(key, now() + options.knownAddressMs);
      if (knownUntil.size > MAX_KNOWN_PAIRS) knownUntil.delete(knownUntil.keys().next().value!);
    },
  };
}
