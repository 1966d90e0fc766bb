import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './rate-limiter.ts';

describe('createMemoryRateLimiter', () => {
  it('allows `limit` failures per window, then says how long to wait', () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ limit: 2, windowMs: 1000, now: () => now });
    limiter.fail('k');
    now = 100;
    limiter.fail('k');
    expect(limiter.check('k')).toEqual({ allowed: false, retryAfterMs: 900 });
    expect(limiter.check('other')).toEqual({ allowed: true });
    now = 1001;
    expect(limiter.check('k')).toEqual({ allowed: true });
  });

  it('forgets a key on reset', () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 1000 });
    limiter.fail('k');
    expect(limiter.check('k').allowed).toBe(false);
    limiter.reset('k');
    expect(limiter.check('k').allowed).toBe(true);
  });
});
