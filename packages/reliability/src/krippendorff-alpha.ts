/**
 * Krippendorff's alpha for single-valued codes at the nominal, ordinal,
 * interval and ratio levels, any number of coders, missing data allowed.
 *
 *   alpha = 1 - D_o / D_e
 *
 * with D_o and D_e from the coincidence matrix (Krippendorff, K. (2011).
 * Computing Krippendorff's Alpha-Reliability. Annenberg School for
 * Communication, University of Pennsylvania). Units with fewer than two values
 * are not pairable and are ignored entirely. Distances:
 * nominal 0/1; ordinal (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 over pairable
 * frequencies; interval (c - k)^2; ratio ((c - k)/(c + k))^2.
 *
 * Complexity: O(units x coders^2) time, O(V) memory (O(V^2) for ordinal, ratio
 * and custom distances when V <= 2048).
 *
 * @example
 * krippendorffAlpha({ data: fromRows({ rows: [['a', 'a'], ['b', 'b'], ['a', 'b']] }) }).value // 0.4444
 */
import { type AlphaCore, computeAlpha, type DistancePlan, DISTANCE_TABLE_LIMIT, tabulateDistance } from './alpha-core.ts';
import { type AlphaLevel, type CategoryDistance, ratioDistance } from './distance.ts';
import { ReliabilityError } from './errors.ts';
import type { ReliabilityData } from './reliability-data.ts';

export interface KrippendorffAlphaInput {
  readonly data: ReliabilityData;
  /** Level of measurement (default nominal). Ignored when `distance` is given. */
  readonly level?: AlphaLevel;
  /** Custom distance between category indices (the hook); zero for identical categories. */
  readonly distance?: CategoryDistance;
}

export interface AlphaResult {
  readonly measure: 'krippendorffAlpha';
  readonly level: AlphaLevel | 'custom';
  /** Alpha, or null when it is undefined (see `reason`). */
  readonly value: number | null;
  readonly reason: string | null;
  readonly observedDisagreement: number | null;
  readonly expectedDisagreement: number | null;
  readonly nUnits: number;
  readonly nCoders: number;
  /** Units with at least two values. */
  readonly nPairableUnits: number;
  /** Pairable values n (the total of the coincidence matrix). */
  readonly nPairable: number;
  /** Reported beside alpha, also when alpha is undefined. */
  readonly percentAgreement: number | null;
}

/** Throws unless the data can be measured at a metric level. */
export function requireNumericScale(data: ReliabilityData, measure: string, level: string): void {
  if (data.numericScale) return;
  const label = data.categories.find((c) => !/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(c)) ?? '';
  throw new ReliabilityError('NOT_A_NUMBER', `${measure} at the ${level} level requires numeric values, "${label}" is not a number`);
}

/** The distance plan for a level of measurement on this data. */
export function alphaPlan(data: ReliabilityData, level: AlphaLevel, distance?: CategoryDistance): DistancePlan {
  const v = data.categories.length;
  if (distance !== undefined) {
    return v <= DISTANCE_TABLE_LIMIT
      ? { kind: 'table', table: tabulateDistance(v, distance, 'krippendorffAlpha') }
      : { kind: 'function', distance };
  }
  switch (level) {
    case 'nominal':
      return { kind: 'nominal' };
    case 'ordinal':
      return { kind: 'ordinal' };
    case 'interval':
      requireNumericScale(data, 'krippendorffAlpha', level);
      return { kind: 'interval', scale: data.scale };
    case 'ratio': {
      requireNumericScale(data, 'krippendorffAlpha', level);
      const scale = data.scale;
      for (let i = 0; i < v; i++) {
        if ((scale[i] ?? 0) < 0) {
          throw new ReliabilityError(
            'NEGATIVE_VALUE',
            `krippendorffAlpha at the ratio level requires non-negative values, got ${data.categories[i] ?? ''}`,
          );
        }
      }
      const fn = (a: number, b: number) => ratioDistance(scale[a] ?? 0, scale[b] ?? 0);
      return v <= DISTANCE_TABLE_LIMIT
        ? { kind: 'table', table: tabulateDistance(v, fn, 'krippendorffAlpha') }
        : { kind: 'function', distance: fn };
    }
  }
}

export function requireCoders(nCoders: number, measure: string): void {
  if (nCoders < 2) {
    throw new ReliabilityError('TOO_FEW_CODERS', `${measure} requires at least two coders, got ${nCoders}`);
  }
}

export function toAlphaResult(core: AlphaCore, level: AlphaLevel | 'custom', nUnits: number, nCoders: number): AlphaResult {
  return {
    measure: 'krippendorffAlpha',
    level,
    value: core.value,
    reason: core.reason,
    observedDisagreement: core.observedDisagreement,
    expectedDisagreement: core.expectedDisagreement,
    nUnits,
    nCoders,
    nPairableUnits: core.nPairableUnits,
    nPairable: core.nPairable,
    percentAgreement: core.percentAgreement,
  };
}

export function krippendorffAlpha(input: KrippendorffAlphaInput): AlphaResult {
  const { data, distance } = input;
  const level = input.level ?? 'nominal';
  requireCoders(data.nCoders, 'krippendorffAlpha');
  const core = computeAlpha(data, data.categories.length, alphaPlan(data, level, distance));
  return toAlphaResult(core, distance === undefined ? level : 'custom', data.nUnits, data.nCoders);
}
