/**
 * Reliability results cached per (project, request, data version). The version is the
 * fingerprint of `reliabilityDataVersion`, read on every request after authorization: an
 * entry is reused only while the data are unchanged, so a submitted coding, a phase
 * change, a new round or a codebook edit recomputes on the next request, in every process.
 * Concurrent requests for the same entry share one computation (a live dashboard refetches
 * in every open tab at once after an event). Bounded: least recently used entries go first.
 */
import type { ServiceContext } from '../context.ts';
import { reliabilityDataVersion } from './data-version.ts';

export const RELIABILITY_CACHE_ENTRIES = 200;

export interface ReliabilityCacheStats {
  hits: number;
  misses: number;
  entries: number;
}

export interface ReliabilityCache {
  /** The cached result for `key` at `version`, or `compute()`'s, stored under it. */
  get<T>(key: string, version: string, compute: () => Promise<T>): Promise<T>;
  stats(): ReliabilityCacheStats;
}

interface Entry {
  version: string;
  value: Promise<unknown>;
}

export function createReliabilityCache(options: { maxEntries?: number } = {}): ReliabilityCache {
  const maxEntries = options.maxEntries ?? RELIABILITY_CACHE_ENTRIES;
  const entries = new Map<string, Entry>();
  let hits = 0;
  let misses = 0;
  return {
    get<T>(key: string, version: string, compute: () => Promise<T>): Promise<T> {
      const found = entries.get(key);
      entries.delete(key);
      if (found && found.version === version) {
        hits++;
        entries.set(key, found);
        return found.value as Promise<T>;
      }
      misses++;
      const entry: Entry = { version, value: compute() };
      entries.set(key, entry);
      // A failed computation is not kept (the next request tries again).
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return entry.value as Promise<T>;
    },
    stats: () => ({ hits, misses, entries: entries.size }),
  };
}

/**
 * Runs `compute` through `cache` (when there is one) under the project's current data
 * version. Call it after authorization and input checks: the cache never decides access.
 */
export async function cachedReliability<T>({ ctx, cache, projectId, key, compute }: {
  ctx: ServiceContext;
  cache: ReliabilityCache | undefined;
  projectId: string;
  key: readonly unknown[];
  compute: () => Promise<T>;
}): Promise<T> {
  const timed = () => {
    const startedAt = performance.now();
    return compute().finally(() => ctx.metrics?.reliabilityComputed(startedAt));
  };
  if (!cache) return timed();
  const version = await reliabilityDataVersion({ ctx, projectId });
  return cache.get(JSON.stringify([projectId, ...key]), version, timed);
}
