/**
 * Property tests with a seeded generator (the seed is printed; rerun with
 * RELIABILITY_SEED=<seed> to reproduce a failure).
 */
import { describe, expect, it } from 'vitest';
import { bootstrapAlpha } from './bootstrap.ts';
import { cohenKappa } from './cohen-kappa.ts';
import type { AlphaLevel } from './distance.ts';
import { fleissKappa } from './fleiss-kappa.ts';
import { gwetAC } from './gwet-ac.ts';
import { krippendorffAlpha } from './krippendorff-alpha.ts';
import type { RandomSource } from './random.ts';
import { createReliabilityData, fromSetRows, MISSING, type ReliabilityData, selectCoders, selectUnits } from './reliability-data.ts';
import { scottPi } from './scott-pi.ts';
import { setAlpha } from './set-alpha.ts';
import { propertySeed } from './test-helpers.ts';

const TRIALS = 40;
/** RELIABILITY_SEED=<n> reruns the properties with another seed. */
const seeded = (name: string) => propertySeed(name, process.env.RELIABILITY_SEED);
const LEVELS: readonly AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

function randomData(random: RandomSource, options: { missing?: number; coders?: number; agree?: number } = {}): ReliabilityData {
  const nUnits = 5 + Math.floor(random() * 40);
  const nCoders = options.coders ?? 2 + Math.floor(random() * 4);
  const v = 2 + Math.floor(random() * 6);
  const missing = options.missing ?? random() * 0.4;
  const agree = options.agree ?? random();
  const values = new Int32Array(nUnits * nCoders);
  for (let u = 0; u < nUnits; u++) {
    const truth = Math.floor(random() * v);
    for (let c = 0; c < nCoders; c++) {
      values[u * nCoders + c] = random() < missing ? MISSING : random() < agree ? truth : Math.floor(random() * v);
    }
  }
  const categories = Array.from({ length: v }, (_, i) => String(1 + i * 2));
  return createReliabilityData({ values, nUnits, nCoders, categories });
}

function shuffle(random: RandomSource, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order;
}

describe('properties', () => {
  it('perfect agreement gives 1 for every measure and level', () => {
    const { random } = seeded('perfect agreement');
    for (let t = 0; t < TRIALS; t++) {
      const data = randomData(random, { agree: 1, missing: 0.2 });
      const used = new Set(Array.from(data.values).filter((x) => x >= 0));
      if (used.size < 2) continue;
      for (const level of LEVELS) expect(krippendorffAlpha({ data, level }).value).toBeCloseTo(1, 12);
      expect(fleissKappa({ data }).value).toBeCloseTo(1, 12);
      expect(gwetAC({ data }).value).toBeCloseTo(1, 12);
      const pair = selectCoders(data, [0, 1]);
      if (cohenKappa({ data: pair }).value !== null) expect(cohenKappa({ data: pair }).value).toBeCloseTo(1, 12);
    }
  });

  it('alpha and kappas are invariant under permutation of coders and of units', () => {
    const { random } = seeded('permutation invariance');
    for (let t = 0; t < TRIALS; t++) {
      const data = randomData(random);
      const permuted = selectUnits(selectCoders(data, shuffle(random, data.nCoders)), shuffle(random, data.nUnits));
      for (const level of LEVELS) {
        const a = krippendorffAlpha({ data, level }).value;
        const b = krippendorffAlpha({ data: permuted, level }).value;
        if (a === null) expect(b).toBeNull();
        else expect(b).toBeCloseTo(a, 10);
      }
      const f = fleissKappa({ data, weights: 'quadratic' }).value;
      if (f !== null) expect(fleissKappa({ data: permuted, weights: 'quadratic' }).value).toBeCloseTo(f, 10);
      const g = gwetAC({ data }).value;
      if (g !== null) expect(gwetAC({ data: permuted }).value).toBeCloseTo(g, 10);
    }
  });

  it('two coders, nominal, no missing data: alpha = 1 - (1 - pi)(2n - 1)/(2n)', () => {
    const { random } = seeded('alpha and Scott pi');
    for (let t = 0; t < TRIALS; t++) {
      const data = randomData(random, { coders: 2, missing: 0 });
      const pi = scottPi({ data }).value;
      const alpha = krippendorffAlpha({ data }).value;
      if (pi === null) {
        expect(alpha).toBeNull();
        continue;
      }
      const n = data.nUnits;
      expect(alpha).toBeCloseTo(1 - ((1 - pi) * (2 * n - 1)) / (2 * n), 12);
    }
  });

  it('weighted kappa over two categories equals unweighted kappa', () => {
    const { random } = seeded('two-category weighted kappa');
    for (let t = 0; t < TRIALS; t++) {
      const base = randomData(random, { coders: 2 });
      const values = base.values.map((x) => (x < 0 ? MISSING : x % 2));
      const data = createReliabilityData({ values, nUnits: base.nUnits, nCoders: 2, categories: ['0', '5'] });
      const unweighted = cohenKappa({ data }).value;
      for (const weights of ['linear', 'quadratic'] as const) {
        const weighted = cohenKappa({ data, weights }).value;
        if (unweighted === null) expect(weighted).toBeNull();
        else expect(weighted).toBeCloseTo(unweighted, 12);
      }
    }
  });

  it('set alpha on singleton sets equals nominal alpha', () => {
    const { random } = seeded('singleton sets');
    for (let t = 0; t < 10; t++) {
      const data = randomData(random);
      const rows = Array.from({ length: data.nUnits }, (_, u) =>
        Array.from({ length: data.nCoders }, (_, c) => {
          const x = data.values[u * data.nCoders + c] ?? MISSING;
          return x < 0 ? null : [data.categories[x] ?? ''];
        }),
      );
      const a = krippendorffAlpha({ data }).value;
      const b = setAlpha({ data: fromSetRows({ rows }), distance: 'jaccard' }).value;
      if (a === null) expect(b).toBeNull();
      else expect(b).toBeCloseTo(a, 12);
    }
  });

  it('bootstrap intervals contain the point estimate and are reproducible', () => {
    const { random, seed } = seeded('bootstrap');
    for (let t = 0; t < 8; t++) {
      const data = randomData(random, { agree: 0.6 + random() * 0.4 });
      const level = LEVELS[t % LEVELS.length] ?? 'nominal';
      const first = bootstrapAlpha({ data, level, replicates: 400, seed: seed + t });
      if (first.estimate === null) continue;
      expect(first.low).not.toBeNull();
      expect(first.low ?? NaN).toBeLessThanOrEqual(first.estimate + 1e-12);
      expect(first.high ?? NaN).toBeGreaterThanOrEqual(first.estimate - 1e-12);
      expect(bootstrapAlpha({ data, level, replicates: 400, seed: seed + t })).toEqual(first);
    }
  });
});
