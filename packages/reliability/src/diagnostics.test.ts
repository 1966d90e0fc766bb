import { describe, expect, it } from 'vitest';
import k2011 from './__fixtures__/krippendorff-2011.json';
import { bootstrapAlpha, bootstrapStatistic, quantileSorted } from './bootstrap.ts';
import { cohenKappa } from './cohen-kappa.ts';
import { alphaDiagnostics } from './diagnostics.ts';
import { krippendorffAlpha } from './krippendorff-alpha.ts';
import { createRandom } from './random.ts';
import { fromRows, selectCoders } from './reliability-data.ts';

const data = fromRows({ rows: k2011.rows, coders: k2011.coders });

describe('alphaDiagnostics', () => {
  const diagnostics = alphaDiagnostics({ data });
  it('has a symmetric coincidence matrix whose total is n', () => {
    const v = data.categories.length;
    let total = 0;
    for (let c = 0; c < v; c++) for (let k = 0; k < v; k++) {
      total += diagnostics.coincidences[c * v + k] ?? 0;
      expect(diagnostics.coincidences[c * v + k]).toBeCloseTo(diagnostics.coincidences[k * v + c] ?? NaN, 12);
    }
    expect(total).toBeCloseTo(40, 9);
  });

  it('per-category alpha equals alpha of the data recoded as category vs rest', () => {
    for (const [c, entry] of diagnostics.perCategory.entries()) {
      const binary = fromRows({ rows: k2011.rows.map((r) => r.map((x) => (x === null ? null : x === c + 1 ? 'c' : 'other'))) });
      expect(entry.alpha).toBeCloseTo(krippendorffAlpha({ data: binary }).value ?? NaN, 12);
    }
  });

  it('reports pairwise alpha and alpha without each coder', () => {
    expect(diagnostics.pairwise[0]?.[1]).toBeCloseTo(krippendorffAlpha({ data: selectCoders(data, [0, 1]) }).value ?? NaN, 12);
    expect(diagnostics.pairwise[1]?.[0]).toBe(diagnostics.pairwise[0]?.[1]);
    expect(diagnostics.pairwise[2]?.[2]).toBeNull();
    expect(diagnostics.withoutCoder[2]?.alpha).toBeCloseTo(krippendorffAlpha({ data: selectCoders(data, [0, 1, 3]) }).value ?? NaN, 12);
    // coder C disagrees most: dropping C raises alpha the most
    const best = [...diagnostics.withoutCoder].sort((a, b) => (b.alpha ?? 0) - (a.alpha ?? 0))[0];
    expect(best?.coder).toBe('C');
  });
});

describe('bootstrapAlpha', () => {
  it('is reproducible from a seed and reports P(alpha < .800) and P(alpha < .667)', () => {
    const a = bootstrapAlpha({ data, replicates: 1000, seed: 42 });
    expect(bootstrapAlpha({ data, replicates: 1000, seed: 42 })).toEqual(a);
    expect(a.replicates).toBe(1000);
    expect(a.probabilityBelow.map((p) => p.threshold)).toEqual([0.8, 0.667]);
    const [p800, p667] = a.probabilityBelow;
    expect(p800?.probability ?? NaN).toBeGreaterThanOrEqual(p667?.probability ?? NaN);
  });

  it('accepts an injected generator', () => {
    const result = bootstrapAlpha({ data, replicates: 200, random: createRandom(9) });
    expect(result.seed).toBeNull();
    expect(result.low).not.toBeNull();
  });

  it('skips replicates where alpha is undefined', () => {
    // one unit disagrees; most resamples contain only the agreeing "a" units
    const rows = [...Array.from({ length: 30 }, () => ['a', 'a']), ['a', 'b']];
    const result = bootstrapAlpha({ data: fromRows({ rows }), replicates: 300, seed: 1 });
    expect(result.skipped).toBeGreaterThan(0);
    expect(result.skipped).toBeLessThan(300);
  });

  it('default is 5,000 replicates', () => {
    expect(bootstrapAlpha({ data, level: 'interval' }).replicates).toBe(5000);
  });

  it('bootstraps any statistic by resampling units', () => {
    const two = selectCoders(data, [0, 1]);
    const result = bootstrapStatistic({ data: two, statistic: (d) => cohenKappa({ data: d }).value, replicates: 200, seed: 5 });
    expect(result.estimate).toBeCloseTo(cohenKappa({ data: two }).value ?? NaN, 12);
    expect(result.low ?? NaN).toBeLessThanOrEqual(result.high ?? NaN);
  });

  it('quantiles interpolate between order statistics (R type 7)', () => {
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNull();
  });
});
