/**
 * Failed-login limiter: a fixed number of failures per key in a sliding window.
 * In-process; with several processes each keeps its own count, which still bounds
 * guessing to (processes x limit) per window.
 */
export interface RateLimiter {
  /** Whether another attempt is allowed now; if not, how long to wait. */
  check(key: string): { allowed: true } | { allowed: false; retryAfterMs: number };
  fail(key: string): void;
  reset(key: string): void;
}

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
      if (list.length < options.limit) return { allowed: true };
      return { allowed: false, retryAfterMs: list[0]! + options.windowMs - now() };
    },
    fail(key) {
      const list = recent(key);
      list.push(now());
      failures.set(key, list);
      if (failures.size > 100_000) failures.delete(failures.keys().next().value!);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
