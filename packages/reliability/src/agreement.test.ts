import { describe, expect, it } from 'vitest';
import cohen from './__fixtures__/cohen-kappa.json';
import fleiss1971 from './__fixtures__/fleiss-1971.json';
import gwet from './__fixtures__/gwet-2014-irrcac.json';
import { brennanPrediger } from './brennan-prediger.ts';
import { cohenKappa } from './cohen-kappa.ts';
import { fleissKappa } from './fleiss-kappa.ts';
import { gwetAC } from './gwet-ac.ts';
import type { AgreementResult } from './multi-rater.ts';
import { holsti, percentAgreement } from './percent-agreement.ts';
import { createReliabilityData, fromRows } from './reliability-data.ts';
import { scottPi } from './scott-pi.ts';
import { expectPublished } from './test-helpers.ts';
import type { WeightScheme } from './weights.ts';

/** Expands a contingency table into two-coder rows (categories 1..V). */
function tableRows(table: number[][]): number[][] {
  const rows: number[][] = [];
  table.forEach((row, i) => row.forEach((count, j) => {
    for (let k = 0; k < count; k++) rows.push([i + 1, j + 1]);
  }));
  return rows;
}

describe("Cohen's kappa and weighted kappa", () => {
  for (const entry of cohen.tables) {
    const data = fromRows({ rows: tableRows(entry.table), categories: entry.table.map((_, i) => i + 1) });
    for (const [scheme, expected] of Object.entries(entry.expected)) {
      it(`${entry.name} (${scheme})`, () => {
        const result = cohenKappa({ data, weights: scheme as WeightScheme });
        expectPublished(result.value, expected.kappa, expected.precision);
        if ('ase' in expected) {
          expectPublished(result.standardError, expected.ase, expected.precision);
          expectPublished(result.standardErrorNull, expected.ase0, expected.precision);
        }
      });
    }
  }

  describe('R irr kappa2 on anxiety[, 2:3]', () => {
    const { rater2, rater3, expected } = cohen.irr_anxiety;
    const rows = rater2.map((x, i) => [x, rater3[i] ?? null]);
    it('unweighted equals irr', () => {
      expectPublished(cohenKappa({ data: fromRows({ rows }) }).value, expected.unweighted, expected.precision);
    });
    it('weighted equals irr only with an explicit rank scale; codebook values differ (our convention)', () => {
      const categories = ['1', '2', '3', '4', '6'];
      const codebook = fromRows({ rows, categories });
      const ranks = createReliabilityData({ ...codebook, scale: [1, 2, 3, 4, 5] });
      expectPublished(cohenKappa({ data: ranks, weights: 'linear' }).value, expected.linear, expected.precision);
      expectPublished(cohenKappa({ data: ranks, weights: 'quadratic' }).value, expected.quadratic, expected.precision);
      expect(cohenKappa({ data: codebook, weights: 'linear' }).value).not.toBeCloseTo(expected.linear, 3);
    });
  });

  it('uses only units coded by both coders', () => {
    const full = fromRows({ rows: [['a', 'a'], ['a', 'b'], ['b', 'b']] });
    const withMissing = fromRows({ rows: [['a', 'a'], ['a', 'b'], ['b', 'b'], ['a', null], [null, 'b']] });
    expect(cohenKappa({ data: withMissing }).value).toBeCloseTo(cohenKappa({ data: full }).value ?? NaN, 12);
    expect(cohenKappa({ data: withMissing }).nPairableUnits).toBe(3);
  });

  it('reports prevalence and bias indices (Byrt, Bishop & Carlin 1993) for 2 x 2 tables', () => {
    const result = cohenKappa({ data: fromRows({ rows: tableRows([[40, 9], [6, 45]]) }) });
    expect(result.prevalenceIndex).toBeCloseTo(0.05, 12);
    expect(result.biasIndex).toBeCloseTo(0.03, 12);
  });

  it('returns null with a reason when both coders used one category', () => {
    const result = cohenKappa({ data: fromRows({ rows: [['a', 'a'], ['a', 'a']], categories: ['a', 'b'] }) });
    expect(result.value).toBeNull();
    expect(result.reason).toMatch(/expected agreement is 1/);
    expect(result.percentAgreement).toBe(1);
  });

  it('requires exactly two coders', () => {
    expect(() => cohenKappa({ data: fromRows({ rows: [['a'], ['b']] }) })).toThrowError(/cohenKappa requires exactly two coders, got 1/);
    expect(() => cohenKappa({ data: fromRows({ rows: [['a', 'b', 'a']] }) })).toThrowError(/got 3/);
  });
});

describe("Scott's pi", () => {
  it('matches the textbook formula on the SAS table', () => {
    const data = fromRows({ rows: tableRows([[0, 4, 1], [0, 8, 0], [0, 1, 5]]) });
    // p_o = 13/19; pooled margins: row totals 5, 8, 6 and column totals 0, 13, 6 over 2n = 38
    const n = 19;
    const margins = [(5 + 0) / (2 * n), (8 + 13) / (2 * n), (6 + 6) / (2 * n)];
    const pe = margins.reduce((s, p) => s + p * p, 0);
    const po = 13 / 19;
    expect(scottPi({ data }).value).toBeCloseTo((po - pe) / (1 - pe), 12);
  });
});

describe("Fleiss' kappa", () => {
  it('reproduces Fleiss (1971): kappa .430 (R irr 0.4302445)', () => {
    const result = fleissKappa({ data: fromRows({ rows: fleiss1971.rows }) });
    expectPublished(result.value, fleiss1971.published.kappa, fleiss1971.published.precision);
    expectPublished(result.value, fleiss1971.r_irr_kappam_fleiss, 7);
  });
});

describe('Gwet (2014) handbook datasets against irrCAC', () => {
  const measures: Record<string, (data: ReturnType<typeof fromRows>, weights: WeightScheme) => AgreementResult> = {
    gwetAC: (data, weights) => gwetAC({ data, weights }),
    fleissKappa: (data, weights) => fleissKappa({ data, weights }),
    brennanPrediger: (data, weights) => brennanPrediger({ data, weights }),
  };
  for (const dataset of gwet.datasets) {
    const data = fromRows({ rows: dataset.rows, categories: dataset.categories });
    for (const [key, expected] of Object.entries(dataset.expected)) {
      const [name = '', weights = 'unweighted'] = key.split('/');
      it(`${dataset.name} ${key}: p_a ${expected.pa}, p_e ${expected.pe}, coefficient ${expected.value}`, () => {
        const measure = measures[name];
        expect(measure).toBeDefined();
        const result = measure?.(data, weights as WeightScheme);
        expectPublished(result?.observedAgreement, expected.pa, 3);
        expectPublished(result?.expectedAgreement, expected.pe, 3);
        expectPublished(result?.value, expected.value, 3);
      });
    }
  }

  it('AC1 depends on the full codebook category list (unused categories count)', () => {
    const rows = [['a', 'a'], ['a', 'b'], ['b', 'b'], ['a', 'a']];
    const two = gwetAC({ data: fromRows({ rows, categories: ['a', 'b'] }) });
    const three = gwetAC({ data: fromRows({ rows, categories: ['a', 'b', 'c'] }) });
    expect(three.value).not.toBeCloseTo(two.value ?? NaN, 6);
    // p_e = T_w / (q (q - 1)) sum pi_k (1 - pi_k) with T_w = q = 3 and pi = (.625, .375, 0)
    expect(three.expectedAgreement).toBeCloseTo((3 / 6) * (0.625 * 0.375 * 2), 12);
  });
});

describe('percent agreement and Holsti', () => {
  it('is the share of agreeing pairs, not unanimity', () => {
    const result = percentAgreement({ data: fromRows({ rows: [['a', 'a', 'b'], ['a', 'a', 'a'], ['b', null, null]] }) });
    expect(result.value).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(result.nPairableUnits).toBe(2);
  });
  it('Holsti CR = 2M / (N1 + N2), counting single-coded units against agreement', () => {
    const result = holsti({ data: fromRows({ rows: [['a', 'a'], ['b', 'a'], ['a', null], ['b', 'b']] }) });
    expect(result.value).toBeCloseTo((2 * 2) / (4 + 3), 12);
  });
});
