import { describe, expect, it, vi } from 'vitest';
import { axisDomain, coef, debounce, parseReliabilityFilters, reliabilityApiQuery, reliabilitySearch, scaleX, verdict } from './reliability.ts';

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

describe('debounce', () => {
  it('runs once after a burst, and not at all when cancelled', () => {
    vi.useFakeTimers();
    try {
      let runs = 0;
      const d = debounce(() => runs++, 400);
      d.call();
      vi.advanceTimersByTime(300);
      d.call();
      d.call();
      vi.advanceTimersByTime(399);
      expect(runs).toBe(0);
      vi.advanceTimersByTime(1);
      expect(runs).toBe(1);
      d.call();
      d.cancel();
      vi.advanceTimersByTime(1000);
      expect(runs).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
