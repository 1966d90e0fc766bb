import { describe, expect, it } from 'vitest';
import { coefficientName, formatCoefficient, formatInterval, formatMissing, inSentence } from './report-format.ts';

describe('APA formatting of reliability numbers', () => {
  it('drops the leading zero of coefficients and keeps two decimals', () => {
    expect(formatCoefficient(0.8123)).toBe('.81');
    expect(formatCoefficient(0.805)).toBe('.81');
    expect(formatCoefficient(-0.0512)).toBe('-.05');
    expect(formatCoefficient(1)).toBe('1.00');
    expect(formatCoefficient(0.8, 3)).toBe('.800');
    // Rounds to zero: no sign.
    expect(formatCoefficient(-0.004)).toBe('.00');
    expect(formatCoefficient(null)).toBe('—');
    expect(formatCoefficient(Number.NaN)).toBe('—');
  });

  it('writes intervals, missing shares, coefficient names and labels in a sentence', () => {
    expect(formatInterval({ low: 0.7412, high: 0.8671 })).toBe('[.74, .87]');
    expect(formatInterval({ low: null, high: 0.5 })).toBe('—');
    expect(formatMissing(2, 30, 3)).toBe('2%');
    expect(formatMissing(1, 100, 3)).toBe('<1%');
    expect(formatMissing(0, 0, 0)).toBe('0%');
    expect(coefficientName('krippendorff-alpha', 'ordinal')).toBe("Krippendorff's alpha (ordinal)");
    expect(coefficientName('krippendorff-alpha', 'masi')).toBe("Krippendorff's alpha (MASI distance)");
    expect(coefficientName(null, null)).toBe('none');
    expect(inSentence('Civic impact score')).toBe('civic impact score');
    expect(inSentence('MASI set')).toBe('MASI set');
  });
});
