import { describe, expect, it } from 'vitest';
import { calibrationApiQuery, fieldStanding, parseCalibrationFilters } from './calibration.ts';

describe('calibration filters', () => {
  it('default to calibration rounds, by round, threshold .800; bad values fall back', () => {
    expect(parseCalibrationFilters(new URLSearchParams(''))).toEqual({ rounds: 'calibration', by: 'round', threshold: 0.8 });
    expect(parseCalibrationFilters(new URLSearchParams('rounds=all&by=week&threshold=0.667'))).toEqual({ rounds: 'all', by: 'week', threshold: 0.667 });
    expect(parseCalibrationFilters(new URLSearchParams('rounds=x&by=y&threshold=7')).threshold).toBe(0.8);
    expect(calibrationApiQuery({ rounds: 'all', by: 'week', threshold: 0.7 })).toEqual({ rounds: 'all', by: 'week', threshold: '0.7' });
  });
});

describe('a field against the threshold', () => {
  const a = (n: number, alpha: number | null) => ({ fieldKey: 'f', n, alpha, alphaLevel: 'nominal', kappa: null, kappaWeights: null, percentAgreement: null });
  it('is ok at or above it, below under it, none without data or an alpha', () => {
    expect(fieldStanding(a(10, 0.8), 0.8)).toBe('ok');
    expect(fieldStanding(a(10, 0.79), 0.8)).toBe('below');
    expect(fieldStanding(a(0, null), 0.8)).toBe('none');
    expect(fieldStanding(a(3, null), 0.8)).toBe('none');
    expect(fieldStanding(undefined, 0.8)).toBe('none');
  });
});
