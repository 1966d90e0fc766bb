import { describe, expect, it } from 'vitest';
import kc2016 from './__fixtures__/krippendorff-craggs-2016.json';
import masi from './__fixtures__/passonneau-2006-masi.json';
import reference from './__fixtures__/reference-implementations.json';
import { jaccardDistance, masiDistance } from './distance.ts';
import { alphaByHierarchyLevel } from './hierarchy.ts';
import { krippendorffAlpha } from './krippendorff-alpha.ts';
import { fromRows, fromSetRows } from './reliability-data.ts';
import { multiValuedAlpha, setAlpha } from './set-alpha.ts';
import { expectPublished } from './test-helpers.ts';

describe('MASI and Jaccard distances (Passonneau 2006 definition)', () => {
  const all = [...new Set(masi.pairs.flatMap((p) => [...p.a, ...p.b]))].sort();
  const ids = (labels: string[]) => Int32Array.from(labels.map((l) => all.indexOf(l))).sort();
  for (const pair of masi.pairs) {
    it(`{${pair.a.join(',')}} vs {${pair.b.join(',')}}`, () => {
      expect(masiDistance(ids(pair.a), ids(pair.b))).toBeCloseTo(pair.masi, 15);
      expect(masiDistance(ids(pair.b), ids(pair.a))).toBeCloseTo(pair.masi, 15);
      expect(jaccardDistance(ids(pair.a), ids(pair.b))).toBeCloseTo(pair.jaccard, 15);
    });
  }
});

describe('setAlpha', () => {
  const sets = reference.sets;
  const data = fromSetRows({ rows: sets.rows });
  it('equals NLTK AnnotationTask.alpha with exact-thirds MASI', () => {
    expect(setAlpha({ data, distance: 'masi' }).value).toBeCloseTo(sets.nltk_masi_exact_thirds, 12);
  });
  it('equals NLTK AnnotationTask.alpha with Jaccard', () => {
    expect(setAlpha({ data, distance: 'jaccard' }).value).toBeCloseTo(sets.nltk_jaccard, 12);
  });
  it('differs from NLTK rounded MASI only in the fourth decimal here (documented difference)', () => {
    const value = setAlpha({ data }).value ?? NaN;
    expect(Math.abs(value - sets.nltk_masi_rounded)).toBeLessThan(1e-3);
    expect(value).not.toBeCloseTo(sets.nltk_masi_rounded, 6);
  });
  it('treats singleton sets as nominal values (MASI alpha = nominal alpha)', () => {
    const rows = [['a', 'b', 'a'], ['b', 'b', null], ['c', 'a', 'c'], ['a', 'a', 'a']];
    const single = krippendorffAlpha({ data: fromRows({ rows }) }).value;
    const asSets = setAlpha({ data: fromSetRows({ rows: rows.map((r) => r.map((x) => (x === null ? null : [x]))) }) }).value;
    expect(asSets).toBeCloseTo(single ?? NaN, 12);
  });
  it('puts two empty sets at distance 0', () => {
    const result = setAlpha({ data: fromSetRows({ rows: [[[], []], [['a'], ['a']], [['b'], []]] }) });
    expect(result.observedDisagreement).toBeCloseTo(1 / 3, 12);
  });
  it('accepts a custom set distance', () => {
    const symmetricDifference = (a: Int32Array, b: Int32Array) => {
      const sa = new Set(a);
      const sb = new Set(b);
      return [...sa].filter((x) => !sb.has(x)).length + [...sb].filter((x) => !sa.has(x)).length;
    };
    const result = setAlpha({ data, distance: symmetricDifference });
    expect(result.distance).toBe('custom');
    expect(result.value).not.toBeNull();
  });
});

describe('multiValuedAlpha: Krippendorff & Craggs (2016) worked examples', () => {
  for (const example of kc2016.examples) {
    it(`${example.name}: mv-alpha ${example.mvalpha}`, () => {
      const result = multiValuedAlpha({ data: fromSetRows({ rows: example.rows }) });
      expectPublished(result.value, example.mvalpha, example.precision);
    });
  }
});

describe('alphaByHierarchyLevel', () => {
  const parentOf = { 'economy.jobs': 'economy', 'economy.tax': 'economy', 'health.care': 'health' };
  it('maps children to parents and agreement rises at the top level', () => {
    const data = fromRows({
      rows: [['economy.jobs', 'economy.tax'], ['economy.tax', 'economy.tax'], ['health.care', 'health'], ['health', 'health'], ['economy.jobs', 'economy.jobs']],
      categories: ['economy', 'economy.jobs', 'economy.tax', 'health', 'health.care'],
    });
    const levels = alphaByHierarchyLevel({ data, parentOf });
    expect(levels.map((l) => l.depth)).toEqual([1, 2]);
    expect(levels[0]?.categories).toEqual(['economy', 'health']);
    expect(levels[0]?.alpha.value).toBe(1);
    expect(levels[1]?.alpha.value).toBeCloseTo(krippendorffAlpha({ data }).value ?? NaN, 12);
  });
  it('works on set-valued frames with MASI', () => {
    const data = fromSetRows({ rows: [[['economy.jobs', 'health'], ['economy.tax', 'health']], [['health.care'], ['health']], [['economy.tax'], ['economy.jobs']]] });
    const [top] = alphaByHierarchyLevel({ data, parentOf });
    expect(top?.alpha.value).toBe(1);
  });
  it('rejects cycles', () => {
    const data = fromRows({ rows: [['a', 'b']] });
    expect(() => alphaByHierarchyLevel({ data, parentOf: { a: 'b', b: 'a' } })).toThrowError(/acyclic/);
  });
});
