import { describe, expect, it } from 'vitest';
import type { Coefficient } from '@concord/shared';
import {
  axisDomain,
  codedUnderOther,
  coef,
  coefficientTip,
  companions,
  parseReliabilityFilters,
  reliabilityApiQuery,
  reliabilitySearch,
  scaleX,
  verdict,
  versionsText,
} from './reliability.ts';

describe('verdict', () => {
  it("follows Krippendorff's thresholds, inclusive, and names an undefined coefficient", () => {
    expect([0.8, 0.7999, 0.667, 0.6669, -0.2, null].map((v) => verdict(v).key)).toEqual(['reliable', 'tentative', 'tentative', 'unreliable', 'unreliable', 'none']);
  });
});

describe('coef', () => {
  it('prints three decimals without a leading zero, a true minus sign, and a dash for null', () => {
    expect([0.8123, 1, -0.0451, 0, -0.0001, null, undefined].map((v) => coef(v))).toEqual(['.812', '1.000', '−.045', '.000', '.000', '—', '—']);
    expect(coef(0.25, 2)).toBe('.25');
  });
});

describe('filters in the URL', () => {
  it('round-trips incident, round and a de-duplicated coder list, leaving empty ones out', () => {
    const f = parseReliabilityFilters(new URLSearchParams('incident=inc_1&round=&coders=a@x, b@x,a@x,'));
    expect(f).toEqual({ incident: 'inc_1', round: '', coders: ['a@x', 'b@x'], includeImported: false });
    expect(reliabilityApiQuery(f)).toEqual({ incident: 'inc_1', coders: 'a@x,b@x' });
    expect(reliabilitySearch(f)).toBe('?incident=inc_1&coders=a%40x%2Cb%40x');
    expect(reliabilitySearch(parseReliabilityFilters(new URLSearchParams('')))).toBe('');
  });

  it('carries the choice to include imported codings only when made', () => {
    const f = parseReliabilityFilters(new URLSearchParams('includeImported=true'));
    expect(f.includeImported).toBe(true);
    expect(reliabilityApiQuery(f)).toEqual({ includeImported: 'true' });
    expect(parseReliabilityFilters(new URLSearchParams('includeImported=1')).includeImported).toBe(false);
  });
});

describe('axis', () => {
  it('is 0..1 unless something shown is negative, and clamps what falls outside', () => {
    expect(axisDomain([0.5, null, 0.9])).toEqual([0, 1]);
    expect(axisDomain([0.5, -0.1])).toEqual([-1, 1]);
    expect(scaleX(0.667, [0, 1], 300)).toBeCloseTo(200.1, 9);
    expect(scaleX(0, [-1, 1], 200)).toBe(100);
    expect(scaleX(-1.4, [-1, 1], 200)).toBe(0);
  });
});

describe('the coefficients beside alpha, by measurement level', () => {
  const c = (metric: string, weights: string, value: number): Coefficient => ({ metric, weights, value, level: null, depth: null, reason: null, n_pairable: 20, note: null });
  // The issue's finding: unweighted kappa .141 shown beside ordinal alpha .835.
  const others = [c('cohen-kappa', 'unweighted', 0.141), c('gwet-ac', 'unweighted', 0.3), c('cohen-kappa', 'quadratic', 0.81), c('gwet-ac', 'quadratic', 0.88)];

  it('shows weighted kappa (κw) and AC2 beside an ordinal or interval alpha, never the unweighted kappa', () => {
    for (const level of ['ordinal', 'interval']) {
      const shown = companions({ level, others });
      expect([shown.kappaSymbol, shown.kappa?.value, shown.acSymbol, shown.ac?.value]).toEqual(['κw', 0.81, 'AC2', 0.88]);
      expect(shown.kappaText).toContain('quadratic weights');
      expect(shown.acText).toContain('AC2');
    }
  });

  it('shows unweighted kappa and AC1 beside a nominal alpha', () => {
    const shown = companions({ level: 'nominal', others: others.slice(0, 2) });
    expect([shown.kappaSymbol, shown.kappa?.value, shown.acSymbol, shown.ac?.value]).toEqual(['κ', 0.141, 'AC1', 0.3]);
    expect(shown.kappaText).toContain('Fits nominal data');
  });

  it("explains the main coefficient at its level, with the codebook's reason when it sets the level", () => {
    expect(coefficientTip({ metric: 'krippendorff-alpha', level: 'ordinal', level_source: 'type', level_reason: null, type: 'ordinal' })).toMatch(/^Krippendorff's alpha, ordinal: .*without assuming equal steps/);
    expect(coefficientTip({ metric: 'krippendorff-alpha', level: 'interval', level_source: 'codebook', level_reason: 'piloted as equal steps', type: 'ordinal' })).toMatch(
      /^Krippendorff's alpha, interval: .*The codebook sets this ordinal scale to interval: piloted as equal steps\.$/,
    );
    expect(coefficientTip({ metric: 'krippendorff-alpha', level: 'masi', level_source: 'type', level_reason: null, type: 'multiple_choice' })).toContain('MASI');
    expect(coefficientTip({ metric: null, level: null, level_source: null, level_reason: null, type: 'text' })).toContain('text fields');
  });
});

describe('codebook versions of the codings', () => {
  it('flags codings made under another version than the current one, or several', () => {
    expect(codedUnderOther(3, [3])).toBe(false);
    expect(codedUnderOther(3, [])).toBe(false);
    expect(codedUnderOther(3, [2])).toBe(true);
    expect(codedUnderOther(3, [2, 3])).toBe(true);
    expect(versionsText([2])).toBe('version 2');
    expect(versionsText([1, 2])).toBe('versions 1, 2');
  });
});
