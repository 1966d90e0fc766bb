/**
 * The calibration page's filters in the URL (?rounds=&by=&threshold=) and how a coder's
 * figures against gold read.
 */
import { RELIABLE_ALPHA, type GoldAgreement } from '@concord/shared';

/** `depends()` key of the calibration page: invalidated when project events say the data changed. */
export const CALIBRATION_DEPENDENCY = 'concord:calibration';

export interface CalibrationFilters {
  rounds: 'calibration' | 'all';
  by: 'round' | 'week';
  threshold: number;
}

export function parseCalibrationFilters(params: URLSearchParams): CalibrationFilters {
  const threshold = Number(params.get('threshold'));
  return {
    rounds: params.get('rounds') === 'all' ? 'all' : 'calibration',
    by: params.get('by') === 'week' ? 'week' : 'round',
    threshold: params.get('threshold') !== null && Number.isFinite(threshold) && threshold >= 0 && threshold <= 1 ? threshold : RELIABLE_ALPHA,
  };
}

export function calibrationApiQuery(f: CalibrationFilters): Record<string, string> {
  return { rounds: f.rounds, by: f.by, threshold: String(f.threshold) };
}

/** Whether a field's alpha against gold reaches the threshold: `ok`, `below`, or `none` without data. */
export function fieldStanding(a: GoldAgreement | undefined, threshold: number): 'ok' | 'below' | 'none' {
  if (!a || a.n === 0 || a.alpha === null) return 'none';
  return a.alpha >= threshold ? 'ok' : 'below';
}
