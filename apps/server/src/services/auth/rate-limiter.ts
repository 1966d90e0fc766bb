/**
 * Attempt limiters: a fixed number of failures per key in a sliding window, and marks that
 * expire (the sign-in limits' known addresses). In memory with one process; in Redis when
 * there is Redis (`REDIS_URL`), so processes behind one proxy share one budget instead of
 * giving an attacker the budget once per process (SECURITY.md, "Sign-in limits").
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';

export type Verdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  /** Whether another attempt is allowed now; if not, how long to wait. */
  check(key: string): Promise<Verdict>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Keys marked for a while (e.g. the addresses an account signed in from). */
export interface ExpiringMarks {
  has(key: string): Promise<boolean>;
  /** Marks `key` (again) from now on. */
  mark(key: string): Promise<void>;
}

/** Where limiters keep their counts: one per process, shared by the sign-in and reset limits. */
export interface LimitStore {
  limiter(options: { name: string; limit: number; windowMs: number }): RateLimiter;
  marks(options: { name: string; ttlMs: number }): ExpiringMarks;
}

/** Keys kept at most per limiter or marks in memory; the oldest is forgotten first. */
const MAX_MEMORY_KEYS = 100_000;

export function createMemoryRateLimiter(options: { limit: number; windowMs: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (key: string) => {
    const cutoff = now() - options.windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };
  return {
    check(key) {
      const list = recent(key);
      if (list.length < options.limit) return Promise.resolve({ allowed: true });
      return Promise.resolve({ allowed: false, retryAfterMs: list[list.length - options.limit]! + options.windowMs - now() });
    },
    fail(key) {
      const list = recent(key);
      list.push(now());
      failures.set(key, list);
      if (failures.size > MAX_MEMORY_KEYS) failures.delete(failures.keys().next().value!);
      return Promise.resolve();
    },
    reset(key) {
      failures.delete(key);
      return Promise.resolve();
    },
  };
}

export function createMemoryMarks(options: { ttlMs: number; now?: () => number }): ExpiringMarks {
  const now = options.now ?? Date.now;
  const until = new Map<string, number>();
  return {
    has: (key) => Promise.resolve((until.get(key) ?? 0) > now()),
    mark(key) {
      until.delete(key);
      until.set(key, now() + options.ttlMs);
      if (until.size > MAX_MEMORY_KEYS) until.delete(until.keys().next().value!);
      return Promise.resolve();
    },
  };
}

export function createMemoryLimitStore(options: { now?: () => number } = {}): LimitStore {
  const clock = options.now ? { now: options.now } : {};
  return {
    limiter: ({ limit, windowMs }) => createMemoryRateLimiter({ limit, windowMs, ...clock }),
    marks: ({ ttlMs }) => createMemoryMarks({ ttlMs, ...clock }),
  };
}

/** How long a limit waits for Redis before it answers from this process' own count. */
export const REDIS_LIMIT_TIMEOUT_MS = 1_000;

/**
 * A sorted set of failure times per key. The check drops what left the window and, when the
 * key is at its limit, answers when the oldest failure it keeps leaves it; a failure keeps only
 * the last `limit` times, so that oldest one is exactly when the next attempt is allowed.
 */
const CHECK_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then return -1 end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])
`;
const FAIL_SCRIPT = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0
`;

/**
 * Counts in Redis, atomically per key (one script each). When Redis does not answer within
 * REDIS_LIMIT_TIMEOUT_MS the limit answers from this process' own count, which every failure
 * also goes to: neither open (no limit while Redis is down) nor shut (nobody signs in); the
 * budget is then per process, as it was without Redis (SECURITY.md).
 */
export function createRedisLimitStore(options: { redis: Redis; prefix: string; logger: Logger; now?: () => number }): LimitStore {
  const { redis, prefix, logger } = options;
  const now = options.now ?? Date.now;
  const local = createMemoryLimitStore(options.now ? { now: options.now } : {});
  // Hashed: an email or address is no key name, and keys keep one length.
  const keyOf = (name: string, key: string) => `${prefix}:limit:${name}:${createHash('sha256').update(key).digest('base64url')}`;
  const orLocal = async <T>(name: string, remote: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${REDIS_LIMIT_TIMEOUT_MS} ms`)), REDIS_LIMIT_TIMEOUT_MS);
    });
    try {
      return await Promise.race([remote(), timeout]);
    } catch (err) {
      logger.warn({ err, limit: name }, 'rate limit counted in this process only: redis failed');
      return fallback();
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    limiter({ name, limit, windowMs }) {
      const own = local.limiter({ name, limit, windowMs });
      return {
        check: (key) =>
          orLocal(
            name,
            async () => {
              const wait = Number(await redis.eval(CHECK_SCRIPT, 1, keyOf(name, key), now(), windowMs, limit));
              return wait < 0 ? { allowed: true as const } : { allowed: false as const, retryAfterMs: wait };
            },
            () => own.check(key),
          ),
        async fail(key) {
          await own.fail(key);
          const member = `${now()}:${randomBytes(6).toString('base64url')}`;
          await orLocal(name, () => redis.eval(FAIL_SCRIPT, 1, keyOf(name, key), now(), windowMs, limit, member).then(() => {}), () => Promise.resolve());
        },
        async reset(key) {
          await own.reset(key);
          await orLocal(name, () => redis.del(keyOf(name, key)).then(() => {}), () => Promise.resolve());
        },
      };
    },
    marks({ name, ttlMs }) {
      const own = local.marks({ name, ttlMs });
      return {
        // The value is the mark's end on the limits' clock (Redis drops the key about then too).
        has: (key) => orLocal(name, async () => Number((await redis.get(keyOf(name, key))) ?? 0) > now(), () => own.has(key)),
        async mark(key) {
          await own.mark(key);
          await orLocal(name, () => redis.set(keyOf(name, key), String(now() + ttlMs), 'PX', ttlMs).then(() => {}), () => Promise.resolve());
        },
      };
    },
  };
}
