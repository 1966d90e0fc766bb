import { describe, expect, it } from 'vitest';
import k2011 from './__fixtures__/krippendorff-2011.json';
import reference from './__fixtures__/reference-implementations.json';
import { coincidenceMatrix } from './coincidence-matrix.ts';
import { isReliabilityError } from './errors.ts';
import { krippendorffAlpha } from './krippendorff-alpha.ts';
import { createReliabilityData, fromRows } from './reliability-data.ts';
import { expectPublished } from './test-helpers.ts';

const LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;

describe('krippendorffAlpha: Krippendorff (2011) 4 coders x 12 units with missing values', () => {
  const data = fromRows({ rows: k2011.rows, coders: k2011.coders });

  for (const level of LEVELS) {
    it(`reproduces the published ${level} alpha (${k2011.published[level]}) and numpy krippendorff`, () => {
      const result = krippendorffAlpha({ data, level });
      expectPublished(result.value, k2011.published[level], k2011.published.precision);
      expect(result.value).toBeCloseTo(k2011.numpy_krippendorff[level], 12);
      expect(result.nPairable).toBe(40);
      expect(result.nPairableUnits).toBe(11);
      expect(result.reason).toBeNull();
    });
  }

  it('has the published pairable-value margins n_c', () => {
    const { counts, nPairable } = coincidenceMatrix(data, data.categories.length);
    expect(nPairable).toBe(k2011.published_pairable_values.n);
    data.categories.forEach((c, i) => {
      expect(counts[i]).toBeCloseTo(k2011.published_pairable_values.n_c[c as keyof typeof k2011.published_pairable_values.n_c], 9);
    });
  });

  it('ignores units with a single value entirely (removing one changes nothing)', () => {
    const trimmed = fromRows({ rows: k2011.rows.slice(0, 11), categories: data.categories });
    expect(krippendorffAlpha({ data: trimmed }).value).toBeCloseTo(krippendorffAlpha({ data }).value ?? NaN, 12);
  });
});

describe('krippendorffAlpha: cross-check with reference implementations', () => {
  for (const dataset of reference.datasets) {
    const data = fromRows({ rows: dataset.rows });
    for (const level of LEVELS) {
      it(`${dataset.name} ${level} equals numpy krippendorff`, () => {
        expect(krippendorffAlpha({ data, level }).value).toBeCloseTo(dataset.numpy_krippendorff[level], 12);
      });
    }
    it(`${dataset.name} nominal and interval equal NLTK AnnotationTask.alpha`, () => {
      expect(krippendorffAlpha({ data, level: 'nominal' }).value).toBeCloseTo(dataset.nltk.nominal, 12);
      expect(krippendorffAlpha({ data, level: 'interval' }).value).toBeCloseTo(dataset.nltk.interval, 12);
    });
  }
});

describe('krippendorffAlpha conventions', () => {
  it('returns null with a reason when only one category is used, and still reports percent agreement', () => {
    const result = krippendorffAlpha({ data: fromRows({ rows: [['a', 'a'], ['a', 'a'], ['a', null]] }) });
    expect(result.value).toBeNull();
    expect(result.reason).toMatch(/expected disagreement is zero/);
    expect(result.percentAgreement).toBe(1);
    expect(result.expectedDisagreement).toBe(0);
  });

  it('returns null with a reason when nothing is pairable', () => {
    const result = krippendorffAlpha({ data: fromRows({ rows: [['a', null], [null, 'b']] }) });
    expect(result.value).toBeNull();
    expect(result.reason).toMatch(/pairable/);
    expect(result.nPairable).toBe(0);
    expect(result.percentAgreement).toBeNull();
  });

  it('never leaks NaN', () => {
    const empty = createReliabilityData({ values: [], nUnits: 0, nCoders: 3, categories: ['a', 'b'] });
    for (const level of LEVELS.slice(0, 2)) expect(krippendorffAlpha({ data: empty, level }).value).toBeNull();
  });

  it('throws TOO_FEW_CODERS for a single coder', () => {
    const data = fromRows({ rows: [['a'], ['b']] });
    expect(() => krippendorffAlpha({ data })).toThrowError(/krippendorffAlpha requires at least two coders, got 1/);
  });

  it('throws NOT_A_NUMBER at the interval level for non-numeric categories', () => {
    const data = fromRows({ rows: [['a', 'b'], ['b', 'b']] });
    try {
      krippendorffAlpha({ data, level: 'interval' });
      expect.unreachable();
    } catch (error) {
      expect(isReliabilityError(error) && error.code).toBe('NOT_A_NUMBER');
    }
  });

  it('throws NEGATIVE_VALUE at the ratio level for negative values', () => {
    const data = fromRows({ rows: [[-1, 2], [2, 2]] });
    expect(() => krippendorffAlpha({ data, level: 'ratio' })).toThrowError(/non-negative/);
  });

  it('uses the declared category order for ordinal alpha, and unused declared categories do not change it', () => {
    const rows = [['low', 'mid'], ['mid', 'mid'], ['high', 'mid'], ['low', 'low'], ['high', 'high']];
    const ordered = krippendorffAlpha({ data: fromRows({ rows, categories: ['low', 'mid', 'high'] }), level: 'ordinal' });
    const withUnused = krippendorffAlpha({ data: fromRows({ rows, categories: ['none', 'low', 'mid', 'high', 'extreme'] }), level: 'ordinal' });
    const numeric = krippendorffAlpha({ data: fromRows({ rows: rows.map((r) => r.map((x) => ({ low: 1, mid: 2, high: 3 })[x] ?? 0)) }), level: 'ordinal' });
    expect(ordered.value).toBeCloseTo(numeric.value ?? NaN, 12);
    expect(withUnused.value).toBeCloseTo(ordered.value ?? NaN, 12);
  });

  it('orders numeric labels numerically (10 after 9) for interval alpha', () => {
    const data = fromRows({ rows: [['9', '10'], ['10', '10'], ['1', '2']] });
    expect(data.categories).toEqual(['1', '2', '9', '10']);
    const viaNumbers = fromRows({ rows: [[9, 10], [10, 10], [1, 2]] });
    expect(krippendorffAlpha({ data, level: 'interval' }).value).toBeCloseTo(krippendorffAlpha({ data: viaNumbers, level: 'interval' }).value ?? NaN, 12);
  });

  it('accepts a custom distance hook (nominal distance reproduces nominal alpha)', () => {
    const data = fromRows({ rows: k2011.rows });
    const custom = krippendorffAlpha({ data, distance: (a, b) => (a === b ? 0 : 1) });
    expect(custom.level).toBe('custom');
    expect(custom.value).toBeCloseTo(krippendorffAlpha({ data }).value ?? NaN, 12);
    const squared = krippendorffAlpha({ data, distance: (a, b) => ((data.scale[a] ?? 0) - (data.scale[b] ?? 0)) ** 2 });
    expect(squared.value).toBeCloseTo(k2011.numpy_krippendorff.interval, 12);
  });

  it('rejects a custom distance that is not zero on the diagonal', () => {
    const data = fromRows({ rows: k2011.rows });
    expect(() => krippendorffAlpha({ data, distance: () => 1 })).toThrowError(/zero for identical values/);
  });
});
