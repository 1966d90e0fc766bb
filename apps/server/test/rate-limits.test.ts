/**
 * The attempt limiters and the sign-in limits on both stores: this process' memory, and a real
 * Redis (what several processes share). Without a reachable Redis its half is skipped loudly
 * (failed with CI=true).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createLoginLimits } from '../src/services/auth/login-limits.ts';
import { createMemoryLimitStore, createMemoryRateLimiter, createRedisLimitStore, type LimitStore } from '../src/services/auth/rate-limiter.ts';
import { createLogger } from '../src/logger.ts';
import { loadRedis } from '../src/redis.ts';
import { uniqueRedisPrefix } from './collab-helpers.ts';
import { reachableRedis } from './testing.ts';

const redisUrl = await reachableRedis(process.env, 'the Redis rate-limit tests');
const redis = redisUrl ? new Redis(redisUrl) : null;
afterAll(() => redis?.quit());
const logger = createLogger({ logLevel: 'silent' });
const kinds = redis ? (['memory', 'redis'] as const) : (['memory'] as const);
/** A fresh store (its own Redis prefix) on the given clock. */
const storeOf = (kind: 'memory' | 'redis', now: () => number): LimitStore =>
  kind === 'memory' ? createMemoryLimitStore({ now }) : createRedisLimitStore({ redis: redis!, prefix: uniqueRedisPrefix('limits'), logger, now });

describe.each(kinds)('rate limiter (%s)', (kind) => {
  it('allows `limit` failures per window, then says how long to wait for the oldest one it counts to leave', async () => {
    let now = 1_000_000;
    const limiter = storeOf(kind, () => now).limiter({ name: 't', limit: 2, windowMs: 60_000 });
    await limiter.fail('k');
    now += 100;
    await limiter.fail('k');
    expect(await limiter.check('k')).toEqual({ allowed: false, retryAfterMs: 59_900 });
    expect(await limiter.check('other')).toEqual({ allowed: true });
    now += 50;
    await limiter.fail('k');
    // Three failures, limit two: allowed again once the second one left the window.
    expect(await limiter.check('k')).toEqual({ allowed: false, retryAfterMs: 59_950 });
    now += 59_951;
    expect(await limiter.check('k')).toEqual({ allowed: true });
  });

  it('forgets a key on reset', async () => {
    const limiter = storeOf(kind, Date.now).limiter({ name: 't', limit: 1, windowMs: 60_000 });
    await limiter.fail('k');
    expect((await limiter.check('k')).allowed).toBe(false);
    await limiter.reset('k');
    expect((await limiter.check('k')).allowed).toBe(true);
  });

  it('marks keys for their time', async () => {
    let now = 1_000_000;
    const marks = storeOf(kind, () => now).marks({ name: 'm', ttlMs: 60_000 });
    expect(await marks.has('k')).toBe(false);
    await marks.mark('k');
    expect(await marks.has('k')).toBe(true);
    now += 60_001;
    expect(await marks.has('k')).toBe(false);
  });
});

describe('createMemoryRateLimiter', () => {
  it('keeps its own clock per limiter', async () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 1000, now: () => now });
    await limiter.fail('k');
    now = 1001;
    expect(await limiter.check('k')).toEqual({ allowed: true });
  });
});

// Long enough that Redis's own expiry (real time) never runs during a test.
const WINDOW = 10 * 60_000;

describe.each(kinds)('createLoginLimits (%s)', (kind) => {
  function limits() {
    const clock = { now: 1_000_000 };
    const now = () => clock.now;
    const l = createLoginLimits({ perAccount: 3, perAddress: 5, windowMs: WINDOW, knownAddressMs: 10 * WINDOW, store: storeOf(kind, now), now });
    return { l, clock };
  }

  it('locks an account guessed from many addresses, and lifts the lock when the window has passed', async () => {
    const { l, clock } = limits();
    for (let i = 0; i < 3; i++) await l.fail('a@x.org', `203.0.113.${i}`);
    await expect(l.check('a@x.org', '198.51.100.1')).rejects.toThrow(/too many failed sign-ins/);
    await expect(l.check('b@x.org', '198.51.100.1')).resolves.toBeUndefined();
    clock.now += WINDOW + 1;
    await expect(l.check('a@x.org', '198.51.100.1')).resolves.toBeUndefined();
  });

  it('locks an address guessing many accounts', async () => {
    const { l } = limits();
    for (let i = 0; i < 5; i++) await l.fail(`user${i}@x.org`, '203.0.113.9');
    await expect(l.check('someone@x.org', '203.0.113.9')).rejects.toThrow(/too many failed sign-ins/);
    await expect(l.check('someone@x.org', '203.0.113.10')).resolves.toBeUndefined();
  });

  it('keeps the account open at an address it signed in from; only that address failing closes it there', async () => {
    const { l } = limits();
    await l.succeed('a@x.org', '192.0.2.10');
    for (let i = 0; i < 10; i++) await l.fail('a@x.org', `203.0.113.${i}`);
    await expect(l.check('a@x.org', '203.0.113.99')).rejects.toThrow();
    await expect(l.check('a@x.org', '192.0.2.10')).resolves.toBeUndefined();
    for (let i = 0; i < 3; i++) await l.fail('a@x.org', '192.0.2.10');
    await expect(l.check('a@x.org', '192.0.2.10')).rejects.toThrow();
  });

  it('forgets a known address after its time', async () => {
    const { l, clock } = limits();
    await l.succeed('a@x.org', '192.0.2.10');
    clock.now += 10 * WINDOW + 1;
    for (let i = 0; i < 3; i++) await l.fail('a@x.org', `203.0.113.${i}`);
    await expect(l.check('a@x.org', '192.0.2.10')).rejects.toThrow();
  });
});

describe('a Redis store whose Redis does not answer', () => {
  it('counts in this process instead: neither open nor shut', async () => {
    const { createServer } = await import('node:net');
    // A port nothing listens on: ioredis keeps retrying and queues the commands meanwhile.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const down = (await loadRedis())(`redis://127.0.0.1:${port}`, 'limits-test', logger);
    try {
      const limiter = createRedisLimitStore({ redis: down, prefix: uniqueRedisPrefix('limits-down'), logger }).limiter({ name: 't', limit: 2, windowMs: 60_000 });
      expect(await limiter.check('k')).toEqual({ allowed: true });
      await limiter.fail('k');
      await limiter.fail('k');
      expect((await limiter.check('k')).allowed).toBe(false);
      expect(await limiter.check('other')).toEqual({ allowed: true });
    } finally {
      down.disconnect();
    }
  }, 30_000);
});
