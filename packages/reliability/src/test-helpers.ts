/** Shared helpers for the test files (not exported from the package). */
import { expect } from 'vitest';
import { ReliabilityError } from './errors.ts';
import { createRandom, type RandomSource } from './random.ts';

/** Asserts that `actual` rounds to a value published with `precision` decimals. */
export function expectPublished(actual: number | null | undefined, published: number, precision: number): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  const tolerance = 0.5 * 10 ** -precision + 1e-12;
  expect(Math.abs((actual ?? NaN) - published)).toBeLessThanOrEqual(tolerance);
}

/** A seeded generator for a property test; the seed is printed so a failure can be reproduced. */
export function propertySeed(name: string, requested: string | undefined): { seed: number; random: RandomSource } {
  const fromEnv = Number(requested);
  const seed = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 20240601;
  console.info(`[${name}] seed ${seed} (reproduce with RELIABILITY_SEED=${seed})`);
  return { seed, random: createRandom(seed) };
}

/** The ReliabilityError that `f` throws (any other outcome fails the test). */
export function errorOf(f: () => unknown): ReliabilityError {
  try {
    f();
  } catch (error) {
    if (error instanceof ReliabilityError) return error;
    throw error;
  }
  throw new Error('expected a ReliabilityError');
}
