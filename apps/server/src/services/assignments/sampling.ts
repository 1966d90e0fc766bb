/**
 * Overlap sampling for reliability rounds, reproducible from a seed.
 * Pure: the same items, coders, mode and seed always give the same plan.
 */
import type { AssignmentInput } from '@concord/shared';

/** mulberry32: a small, well-distributed 32-bit PRNG; enough for shuffling, not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(values: readonly T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface PlannedAssignment {
  itemId: string;
  coderId: string;
}

/**
 * `k`: item i (in shuffled order) goes to coders i*k .. i*k+k-1 (mod n) of the shuffled
 * coder list, so loads differ by at most one. `sample`: round(p% of items) go to every
 * coder; each remaining item goes to one coder, round-robin.
 */
export function planAssignments(itemIds: readonly string[], coderIds: readonly string[], mode: AssignmentInput['mode'], seed: number): PlannedAssignment[] {
  const random = mulberry32(seed);
  const itemsOrder = shuffled([...itemIds].sort(), random);
  const coders = shuffled([...new Set(coderIds)].sort(), random);
  const n = coders.length;
  const plan: PlannedAssignment[] = [];
  if (mode.type === 'k') {
    const k = Math.min(mode.k, n);
    itemsOrder.forEach((itemId, i) => {
      for (let j = 0; j < k; j++) plan.push({ itemId, coderId: coders[(i * k + j) % n]! });
    });
    return plan;
  }
  const sampleSize = Math.round((mode.percent / 100) * itemsOrder.length);
  itemsOrder.forEach((itemId, i) => {
    if (i < sampleSize) for (const coderId of coders) plan.push({ itemId, coderId });
    else plan.push({ itemId, coderId: coders[(i - sampleSize) % n]! });
  });
  return plan;
}
