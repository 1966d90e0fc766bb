import { describe, expect, it } from 'vitest';
import { createReliabilityCache } from './cache.ts';

describe('createReliabilityCache', () => {
  it('reuses a result while the version is unchanged and shares one computation between concurrent callers', async () => {
    const cache = createReliabilityCache();
    let runs = 0;
    const compute = async () => ++runs;
    const [a, b] = await Promise.all([cache.get('k', 'v1', compute), cache.get('k', 'v1', compute)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(await cache.get('k', 'v2', compute)).toBe(2);
    expect(await cache.get('k', 'v2', compute)).toBe(2);
    expect(cache.stats()).toEqual({ hits: 2, misses: 2, entries: 1 });
  });

  it('does not keep a failed computation', async () => {
    const cache = createReliabilityCache();
    await expect(cache.get('k', 'v', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await cache.get('k', 'v', async () => 'ok')).toBe('ok');
  });

  it('drops the least recently used entry beyond its bound', async () => {
    const cache = createReliabilityCache({ maxEntries: 2 });
    await cache.get('a', 'v', async () => 'a1');
    await cache.get('b', 'v', async () => 'b1');
    await cache.get('a', 'v', async () => 'a2');
    await cache.get('c', 'v', async () => 'c1');
    expect(await cache.get('a', 'v', async () => 'a3')).toBe('a1');
    expect(await cache.get('b', 'v', async () => 'b2')).toBe('b2');
    expect(cache.stats().entries).toBe(2);
  });
});
