/**
 * The building block of the Gwet (2014) family (percent agreement, Fleiss'
 * kappa, Brennan-Prediger, AC1/AC2) for any number of coders with missing data:
 *
 *   p_a = 1/n' sum_{u: r_u >= 2} sum_k r_uk (r*_uk - 1) / (r_u (r_u - 1)),
 *         r*_uk = sum_l w_kl r_ul
 *   pi_k = 1/n sum_{u: r_u >= 1} r_uk / r_u
 *
 * r_uk counts coders who put unit u in category k, r_u = sum_k r_uk, n' the
 * units with at least two values and n the units with at least one
 * (Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., ch. 2-3).
 * Because w_kk = 1, sum_k r_uk (r*_uk - 1) is the sum of w over ordered
 * pairs of different coders, which is how it is computed here: O(units x coders^2).
 */
import { MISSING, type ReliabilityData } from './reliability-data.ts';

export interface MultiRaterAgreement {
  /** Weighted observed agreement p_a (null when no unit has two values). */
  readonly observedAgreement: number | null;
  /** Category classification probabilities pi_k. */
  readonly classification: Float64Array;
  /** Units with at least two values (n'). */
  readonly nUnitsRatedTwice: number;
  /** Units with at least one value (n). */
  readonly nUnitsRated: number;
}

export function multiRaterAgreement(data: ReliabilityData, weights: Float64Array | null): MultiRaterAgreement {
  const { nUnits, nCoders, values } = data;
  const v = data.categories.length;
  const classification = new Float64Array(v);
  const buffer = new Int32Array(Math.max(nCoders, 1));
  let agreementSum = 0;
  let nUnitsRatedTwice = 0;
  let nUnitsRated = 0;
  for (let u = 0, base = 0; u < nUnits; u++, base += nCoders) {
    let m = 0;
    for (let c = 0; c < nCoders; c++) {
      const x = values[base + c] ?? MISSING;
      if (x >= 0) buffer[m++] = x;
    }
    if (m === 0) continue;
    nUnitsRated++;
    for (let i = 0; i < m; i++) {
      const k = buffer[i] ?? 0;
      classification[k] = (classification[k] ?? 0) + 1 / m;
    }
    if (m < 2) continue;
    nUnitsRatedTwice++;
    let pairs = 0;
    for (let i = 0; i < m; i++) {
      const a = buffer[i] ?? 0;
      for (let j = i + 1; j < m; j++) {
        const b = buffer[j] ?? 0;
        pairs += weights === null ? (a === b ? 1 : 0) : (weights[a * v + b] ?? 0);
      }
    }
    agreementSum += (2 * pairs) / (m * (m - 1));
  }
  if (nUnitsRated > 0) for (let k = 0; k < v; k++) classification[k] = (classification[k] ?? 0) / nUnitsRated;
  return {
    observedAgreement: nUnitsRatedTwice > 0 ? agreementSum / nUnitsRatedTwice : null,
    classification,
    nUnitsRatedTwice,
    nUnitsRated,
  };
}

/** The common result shape of chance-corrected agreement coefficients. */
export interface AgreementResult {
  readonly measure: string;
  readonly weights: 'unweighted' | 'linear' | 'quadratic';
  /** The coefficient, or null when it is undefined (see `reason`). */
  readonly value: number | null;
  readonly reason: string | null;
  /** p_a (weighted when weights are used). */
  readonly observedAgreement: number | null;
  /** p_e. */
  readonly expectedAgreement: number | null;
  readonly nUnits: number;
  readonly nCoders: number;
  /** Units that entered p_a (two values, or both coders for two-coder measures). */
  readonly nPairableUnits: number;
  /** Unweighted percent agreement, reported beside the coefficient. */
  readonly percentAgreement: number | null;
}

export const REASON_NO_PAIRS = 'no unit has values from two or more coders, so agreement is undefined';
export const REASON_CHANCE_ONE = 'expected agreement is 1 (only one category used), so the coefficient is undefined';

/** (p_a - p_e) / (1 - p_e) with the null conventions. */
export function chanceCorrected(observed: number | null, expected: number | null): { value: number | null; reason: string | null } {
  if (observed === null || expected === null) return { value: null, reason: REASON_NO_PAIRS };
  if (expected >= 1) return { value: null, reason: REASON_CHANCE_ONE };
  return { value: (observed - expected) / (1 - expected), reason: null };
}
