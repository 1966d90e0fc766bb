import { describe, expect, it } from 'vitest';
import k1995 from './__fixtures__/krippendorff-1995-unitizing.json';
import k2004 from './__fixtures__/krippendorff-2004-unitizing.json';
import implementations from './__fixtures__/unitizing-implementations.json';
import { errorOf, expectPublished } from './test-helpers.ts';
import { positionalDistance, unitizingAlpha2004 } from './unitizing-alpha-2004.ts';
import { bootstrapUnitizingAlpha, unitizingAlpha, type Continuum, type Unit } from './unitizing-alpha.ts';

describe('unitizingAlpha2004: Krippendorff (2004) p. 254', () => {
  const result = unitizingAlpha2004(k2004);
  const category = (c: string) => result.perCategory.find((p) => p.category === c)!;
  const published = k2004.published;

  it('reproduces the published per-category alphas, D_o and D_e', () => {
    for (const c of ['c', 'k'] as const) {
      expectPublished(category(c).value, published[c].alpha, published.precision);
      expectPublished(category(c).observedDisagreement, published[c].observed, published.precision);
      expectPublished(category(c).expectedDisagreement, published[c].expected, published.precision);
    }
  });

  it('reproduces the alpha over both categories (1 - sum D_o / sum D_e)', () => {
    expect(Math.abs(result.value! - published.overall.alpha)).toBeLessThanOrEqual(published.overall.tolerance);
  });

  it('reproduces the published distances between sections', () => {
    for (const d of k2004.distances) {
      expect(positionalDistance(d.g, d.h)).toBe(d.delta2);
      expect(positionalDistance(d.h, d.g)).toBe(d.delta2);
    }
  });

  it('does not depend on where the continuum begins', () => {
    const shifted = unitizingAlpha2004({ ...k2004, begin: k2004.begin + 1000, units: k2004.units.map((u) => ({ ...u, start: u.start + 1000, end: u.end + 1000 })) });
    expect(shifted.value).toBeCloseTo(result.value!, 12);
  });

  it('does not depend on the order of the coders', () => {
    const swapped = unitizingAlpha2004({ ...k2004, units: k2004.units.map((u) => ({ ...u, coder: 1 - u.coder })) });
    expect(swapped.value).toBeCloseTo(result.value!, 12);
  });
});

describe('unitizingAlpha2004: Krippendorff (1995) p. 57, examples A-D', () => {
  const study = (units: number[][], stretch: number) => ({
    length: k1995.length * stretch,
    nCoders: 2,
    units: units.map(([coder, start, length]) => ({ coder: coder!, start: start! * stretch, end: (start! + length!) * stretch, category: 'x' })),
  });
  for (const [name, example] of Object.entries(k1995.examples)) {
    it(`example ${name}: D_o at the published scale, D_e and alpha (${example.alpha}) on the stretched continuum`, () => {
      expect(unitizingAlpha2004(study(example.units, 1)).perCategory[0]!.observedDisagreement).toBeCloseTo(example.observed, 4);
      const stretched = unitizingAlpha2004(study(example.units, k1995.stretch)).perCategory[0]!;
      expect(Math.abs(stretched.observedDisagreement - example.observed)).toBeLessThanOrEqual(k1995.tolerance.observed);
      expect(Math.abs(stretched.expectedDisagreement - example.expected)).toBeLessThanOrEqual(k1995.tolerance.expected);
      expect(Math.abs(stretched.value! - example.alpha)).toBeLessThanOrEqual(k1995.tolerance.alpha);
    });
  }
});

const unit = (start: number, end: number, value: string): Unit => ({ start, end, value });

describe('unitizingAlpha (Krippendorff et al. 2016): cross-check', () => {
  for (const example of implementations.examples) {
    it(`${example.name}: u-alpha of the Python krippendorff_unitized_alpha README`, () => {
      const coders = example.coders.map((segments) => segments.map(([value, start, end]) => ({ value: value as string | null, start: start as number, end: end as number })));
      expect(unitizingAlpha({ gaps: 'given', continua: [{ length: example.length, coders }] }).u.value).toBeCloseTo(example.u, 12);
    });
  }
});

describe('unitizingAlpha (Krippendorff et al. 2016): properties (no published numeric example found)', () => {
  const a: Continuum = {
    length: 100,
    coders: [
      [unit(5, 20, 'x'), unit(30, 50, 'y'), unit(70, 90, 'x')],
      [unit(8, 20, 'x'), unit(30, 45, 'x'), unit(72, 95, 'x')],
      [unit(5, 22, 'x'), unit(28, 50, 'y')],
    ],
  };
  const b: Continuum = { length: 60, coders: [[unit(0, 10, 'y'), unit(40, 60, 'x')], [unit(2, 12, 'y'), unit(45, 60, 'y')]] };

  it('is 1 for every coefficient when the coders agree exactly', () => {
    const same = [unit(5, 20, 'x'), unit(30, 50, 'y')];
    const r = unitizingAlpha({ continua: [{ length: 80, coders: [same, same, same] }, { length: 30, coders: [[unit(0, 10, 'y')], [unit(0, 10, 'y')]] }] });
    expect([r.u.value, r.binary.value, r.coding.value, ...r.perValue.map((p) => p.value)]).toEqual([1, 1, 1, 1, 1]);
  });

  it('is symmetric in the coders and in the order of the continua', () => {
    const r = unitizingAlpha({ continua: [a, b] });
    const permuted = unitizingAlpha({ continua: [b, { ...a, coders: [a.coders[2]!, a.coders[0]!, a.coders[1]!] }] });
    for (const key of ['u', 'binary', 'coding'] as const) expect(permuted[key].value).toBeCloseTo(r[key].value!, 12);
    for (const p of r.perValue) expect(permuted.perValue.find((q) => q.category === p.category)!.value).toBeCloseTo(p.value!, 12);
  });

  it('with one value, u-alpha is the binary |u-alpha, and both fall with disagreement', () => {
    const close = unitizingAlpha({ continua: [{ length: 50, coders: [[unit(10, 20, 'x')], [unit(11, 20, 'x')]] }] });
    const far = unitizingAlpha({ continua: [{ length: 50, coders: [[unit(10, 20, 'x')], [unit(30, 40, 'x')]] }] });
    expect(close.u.value).toBeCloseTo(close.binary.value!, 12);
    expect(close.u.value!).toBeGreaterThan(0.8);
    expect(far.u.value!).toBeLessThan(0);
    expect(close.coding.value).toBeNull();
    expect(close.coding.reason).toMatch(/only one value/);
  });

  it('pools continua with different numbers of coders; one-coder continua never enter', () => {
    const lone: Continuum = { length: 40, coders: [[unit(0, 40, 'x')]] };
    const r = unitizingAlpha({ continua: [a, b, lone] });
    expect(r.nPairableContinua).toBe(2);
    expect(r.pairableLength).toBe(3 * 100 + 2 * 60);
    expect(r.u.value).toBeCloseTo(unitizingAlpha({ continua: [a, b] }).u.value!, 12);
  });

  it('(k)u-alpha judges only intersecting units, and says how much of the value that is', () => {
    const r = unitizingAlpha({ continua: [{ length: 40, coders: [[unit(0, 10, 'x'), unit(20, 30, 'y')], [unit(0, 10, 'x'), unit(20, 30, 'x')]] }] });
    const x = r.perValue.find((p) => p.category === 'x')!;
    expect(x.coverage).toBe(1);
    expect(x.value!).toBeLessThan(1);
    const alone = unitizingAlpha({ continua: [{ length: 40, coders: [[unit(0, 10, 'x')], [unit(20, 30, 'x')]] }] });
    expect(alone.perValue[0]!.value).toBeNull();
    expect(alone.perValue[0]!.coverage).toBe(0);
  });

  it('is undefined, with a reason, when nothing is pairable', () => {
    const r = unitizingAlpha({ continua: [{ length: 10, coders: [[unit(0, 5, 'x')]] }] });
    expect(r.u.value).toBeNull();
    expect(r.u.reason).toMatch(/nothing is pairable/);
  });

  it('refuses overlapping units of one coder and units outside the continuum', () => {
    expect(errorOf(() => unitizingAlpha({ continua: [{ length: 10, coders: [[unit(0, 5, 'x'), unit(4, 8, 'y')], []] }] })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => unitizingAlpha({ continua: [{ length: 10, coders: [[unit(5, 12, 'x')], []] }] })).message).toMatch(/0 <= start < end <= 10/);
  });

  it('bootstraps over continua: reproducible with a seed, the interval around the estimate', () => {
    const continua = [a, b, a, b, { ...b, coders: [b.coders[1]!, b.coders[0]!] }];
    const one = bootstrapUnitizingAlpha({ continua, replicates: 500, seed: 7 });
    const two = bootstrapUnitizingAlpha({ continua, replicates: 500, seed: 7 });
    expect(one).toEqual(two);
    expect(one.intervals.u.estimate).toBeCloseTo(unitizingAlpha({ continua }).u.value!, 12);
    for (const ci of [one.intervals.u, one.intervals.coding, ...one.intervals.perValue]) {
      expect(ci.low!).toBeLessThanOrEqual(ci.estimate!);
      expect(ci.high!).toBeGreaterThanOrEqual(ci.estimate!);
    }
    expect(one.intervals.perValue.map((p) => p.estimate)).toEqual(one.result.perValue.map((p) => p.value));
  });
});
