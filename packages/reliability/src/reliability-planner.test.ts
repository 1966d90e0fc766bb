/**
 * The reliability planner against properties: the simulation recovers the alpha it is
 * given at every level, more items narrow the interval, a seed fixes the plan, the plan
 * meets the probability and the grid point below it does not, and the bounds hold.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapAlpha } from './bootstrap.ts';
import { krippendorffAlpha } from './krippendorff-alpha.ts';
import { checkModel, type CodingModel, modelFromPilot, simulateCodings } from './planner-simulation.ts';
import { createRandom } from './random.ts';
import { fromRows, fromSetRows } from './reliability-data.ts';
import { evaluateCandidate, planReliability, planReliabilityAsync } from './reliability-planner.ts';
import { setAlpha } from './set-alpha.ts';
import { errorOf } from './test-helpers.ts';

const FIVE = ['1', '2', '3', '4', '5'];
const model = (alpha: number, level: 'nominal' | 'ordinal' | 'interval' = 'nominal', probabilities = [0.1, 0.2, 0.4, 0.2, 0.1]): CodingModel => ({
  field: { kind: 'single', categories: FIVE, level },
  alpha,
  probabilities,
});

function meanAlpha(m: CodingModel, items: number, coders: number, studies: number, seed: number): number {
  const random = createRandom(seed);
  let sum = 0;
  for (let s = 0; s < studies; s++) {
    const data = simulateCodings(m, items, coders, random);
    const value = data.kind === 'sets' ? setAlpha({ data, distance: 'masi' }).value : krippendorffAlpha({ data, level: m.field.kind === 'single' ? m.field.level : 'nominal' }).value;
    sum += value ?? NaN;
  }
  return sum / studies;
}

describe('simulateCodings', () => {
  it('recovers the expected alpha on average at every level (within .02 over 60 studies of 300 units)', () => {
    for (const level of ['nominal', 'ordinal', 'interval'] as const) {
      for (const alpha of [0.5, 0.75, 0.9]) {
        expect(Math.abs(meanAlpha(model(alpha, level), 300, 3, 60, 11) - alpha)).toBeLessThan(0.02);
      }
    }
  });

  it('recovers MASI alpha for set-valued fields', () => {
    const sets = [Int32Array.of(0), Int32Array.of(1), Int32Array.of(0, 1), Int32Array.of(2)];
    const m: CodingModel = { field: { kind: 'sets', categories: ['a', 'b', 'c'], sets, setDistance: 'masi' }, alpha: 0.8, probabilities: [0.4, 0.3, 0.2, 0.1] };
    expect(Math.abs(meanAlpha(m, 300, 2, 60, 5) - 0.8)).toBeLessThan(0.02);
  });

  it('reproduces the value distribution in the margins', () => {
    const data = simulateCodings(model(0.7), 4000, 2, createRandom(3));
    const counts = [0, 0, 0, 0, 0];
    for (const v of data.values) counts[v] = (counts[v] ?? 0) + 1;
    [0.1, 0.2, 0.4, 0.2, 0.1].forEach((p, i) => expect(Math.abs((counts[i] ?? 0) / 8000 - p)).toBeLessThan(0.015));
  });

  it('refuses an alpha outside [0, 1], a distribution of the wrong length or over one value', () => {
    expect(errorOf(() => checkModel(model(1.2))).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => checkModel(model(-0.1))).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => checkModel(model(0.8, 'nominal', [1, 0]))).message).toMatch(/one probability per value \(5\), got 2/);
    expect(errorOf(() => checkModel(model(0.8, 'nominal', [0, 0, 1, 0, 0]))).message).toMatch(/at least two values/);
  });
});

describe('modelFromPilot', () => {
  it("takes the pilot's alpha at its level and its pairable margins", () => {
    const rows = [['1', '1'], ['2', '2'], ['3', '2'], ['3', '3'], ['1', null], ['2', '2'], ['1', '1'], ['3', '3']];
    const data = fromRows({ rows, categories: ['1', '2', '3'] });
    const m = modelFromPilot(data, { level: 'ordinal' });
    expect(m.alpha).toBeCloseTo(krippendorffAlpha({ data, level: 'ordinal' }).value ?? NaN, 12);
    // Pairable values: 1,1,1,1 / 2,2,2,2,2 / 3,3,3,3,3 (the lone "1" is not pairable).
    expect(m.probabilities).toEqual([4 / 14, 5 / 14, 5 / 14]);
    expect(m.nPairable).toBe(14);
    expect(m.field).toMatchObject({ kind: 'single', level: 'ordinal' });
  });

  it('clamps a negative pilot alpha to 0 and reports it', () => {
    const data = fromRows({ rows: [['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'a']] });
    const m = modelFromPilot(data, {});
    expect(m.pilotAlpha).toBeLessThan(0);
    expect(m.alpha).toBe(0);
  });

  it('reads set-valued pilots with MASI', () => {
    const data = fromSetRows({ rows: [[['a'], ['a']], [['a', 'b'], ['b']], [['c'], ['c']], [['b'], ['b']]] });
    const m = modelFromPilot(data, { setDistance: 'masi' });
    expect(m.alpha).toBeCloseTo(setAlpha({ data, distance: 'masi' }).value ?? NaN, 12);
    expect(m.field.kind).toBe('sets');
  });

  it('refuses a pilot whose alpha is undefined', () => {
    expect(errorOf(() => modelFromPilot(fromRows({ rows: [['a', 'a'], ['a', 'a']] }), {})).message).toMatch(/alpha is defined/);
  });
});

describe('planReliability', () => {
  const quick = { simulations: 40, replicates: 200, itemStep: 10 } as const;

  it('more items narrow the interval (mean width of the same bootstrap)', () => {
    const width = (items: number) => {
      const random = createRandom(7);
      let sum = 0;
      for (let s = 0; s < 30; s++) {
        const b = bootstrapAlpha({ data: simulateCodings(model(0.85), items, 2, random), replicates: 300, random });
        sum += (b.high ?? NaN) - (b.low ?? NaN);
      }
      return sum / 30;
    };
    const widths = [30, 120, 480].map(width);
    expect(widths[1]).toBeLessThan(widths[0]!);
    expect(widths[2]).toBeLessThan(widths[1]!);
    // Percentile intervals shrink roughly as 1/sqrt(N): four times the items, about half the width.
    expect(widths[2]! / widths[1]!).toBeGreaterThan(0.35);
    expect(widths[2]! / widths[1]!).toBeLessThan(0.65);
  });

  it('more items raise the share of studies whose lower bound reaches the target', () => {
    const settings = { model: model(0.9), cumulative: checkModel(model(0.9)), target: 0.8, probability: 0.8, simulations: 40, replicates: 200, confidence: 0.95, seed: 1 };
    const shares = [20, 80, 320].map((n) => evaluateCandidate({ ...settings, probability: 0.01 }, n, 2).share);
    expect(shares[0]).toBeLessThan(shares[1]!);
    expect(shares[1]).toBeLessThanOrEqual(shares[2]!);
    expect(shares[2]).toBeGreaterThan(0.9);
  });

  it('gives the same plan for the same seed, and the plan meets the probability where one grid step less does not', () => {
    const input = { model: model(0.9), target: 0.8, probability: 0.8, coders: { min: 2, max: 3 }, items: { min: 10, max: 400 }, seed: 42, ...quick };
    const a = planReliability(input);
    const b = planReliability(input);
    expect(a.plan).not.toBeNull();
    expect(b).toEqual(a);
    const plan = a.plan!;
    expect(plan.share).toBeGreaterThanOrEqual(0.8);
    expect(plan.codings).toBe(plan.items * plan.coders);
    for (const c of a.candidates) {
      if (c.items === null) continue;
      const below = a.evaluations.find((e) => e.coders === c.coders && e.items === c.items! - 10);
      if (below) expect(below.meets).toBe(false);
      expect(c.evaluation!.meets).toBe(true);
      // The plan has the fewest codings among the candidates.
      expect(plan.codings).toBeLessThanOrEqual(c.items * c.coders);
    }
  });

  it('gives the same plan when it pauses between studies (the server runs it so)', async () => {
    const input = { model: model(0.9), target: 0.8, probability: 0.8, coders: { min: 2, max: 2 }, items: { min: 10, max: 200 }, ...quick };
    let pauses = 0;
    const paused = await planReliabilityAsync(input, async () => {
      pauses++;
      await new Promise((resolve) => setImmediate(resolve));
    }, 0);
    expect(pauses).toBeGreaterThan(0);
    expect(paused).toEqual(planReliability(input));
  });

  it('needs more items for a higher target', () => {
    const base = { model: model(0.92), probability: 0.8, coders: { min: 2, max: 2 }, items: { min: 10, max: 600 }, ...quick };
    const low = planReliability({ ...base, target: 0.75 }).plan!;
    const high = planReliability({ ...base, target: 0.85 }).plan!;
    expect(high.items).toBeGreaterThan(low.items);
  });

  it('finds no plan when the expected alpha is not above the target, and says why', () => {
    const r = planReliability({ model: model(0.78), target: 0.8, probability: 0.8, coders: { min: 2, max: 2 }, items: { min: 10, max: 200 }, ...quick });
    expect(r.plan).toBeNull();
    expect(r.reason).toMatch(/not above the target/);
    expect(r.candidates[0]?.reason).toMatch(/not reached with 200 items/);
  });

  it('never exceeds its budget and says when it ran out', () => {
    const r = planReliability({ model: model(0.9), target: 0.8, probability: 0.8, coders: { min: 2, max: 4 }, items: { min: 10, max: 400 }, ...quick, budget: 5e5 });
    expect(r.work).toBeLessThanOrEqual(r.budget);
    expect(r.budgetExhausted).toBe(true);
    expect(r.candidates.some((c) => c.reason?.includes('budget'))).toBe(true);
  });

  it('refuses bad bounds with INVALID_ARGUMENT', () => {
    const base = { model: model(0.9), target: 0.8, probability: 0.8, coders: { min: 2, max: 3 }, items: { min: 10, max: 100 } };
    expect(errorOf(() => planReliability({ ...base, coders: { min: 1, max: 3 } })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => planReliability({ ...base, items: { min: 50, max: 20 } })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => planReliability({ ...base, probability: 1 })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => planReliability({ ...base, simulations: 0 })).code).toBe('INVALID_ARGUMENT');
  });
});
