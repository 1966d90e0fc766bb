/**
 * Percent agreement (pairwise) and Holsti's coefficient of reliability.
 *
 * Percent agreement (Gwet 2014, ch. 2): within each unit with at least two
 * values, the share of agreeing pairs of coders; averaged over those units.
 * It is not unanimity: a unit coded a, a, b contributes 1/3.
 *
 * Holsti's CR (Holsti 1969, Content Analysis for the Social Sciences and
 * Humanities, p. 140): CR = 2M / (N_1 + N_2), M the units on which the two
 * coders agree and N_1, N_2 the coding decisions each made (so a unit coded by
 * only one coder counts against agreement). With more than two coders, the
 * mean CR over all pairs of coders.
 *
 * Complexity: O(units x coders^2).
 */
import { REASON_NO_PAIRS } from './multi-rater.ts';
import { MISSING, type ReliabilityData, type SetReliabilityData } from './reliability-data.ts';
import { requireCoders } from './krippendorff-alpha.ts';

export interface PercentAgreementResult {
  readonly measure: 'percentAgreement' | 'holsti';
  readonly value: number | null;
  readonly reason: string | null;
  readonly nUnits: number;
  readonly nCoders: number;
  readonly nPairableUnits: number;
}

export function percentAgreement(input: { readonly data: ReliabilityData | SetReliabilityData }): PercentAgreementResult {
  const { nUnits, nCoders, values } = input.data;
  requireCoders(nCoders, 'percentAgreement');
  let sum = 0;
  let units = 0;
  for (let u = 0, base = 0; u < nUnits; u++, base += nCoders) {
    let m = 0;
    let agreeing = 0;
    for (let i = 0; i < nCoders; i++) {
      const a = values[base + i] ?? MISSING;
      if (a < 0) continue;
      m++;
      for (let j = i + 1; j < nCoders; j++) if (values[base + j] === a) agreeing++;
    }
    if (m < 2) continue;
    units++;
    sum += (2 * agreeing) / (m * (m - 1));
  }
  return {
    measure: 'percentAgreement',
    value: units > 0 ? sum / units : null,
    reason: units > 0 ? null : REASON_NO_PAIRS,
    nUnits,
    nCoders,
    nPairableUnits: units,
  };
}

export function holsti(input: { readonly data: ReliabilityData | SetReliabilityData }): PercentAgreementResult {
  const { nUnits, nCoders, values } = input.data;
  requireCoders(nCoders, 'holsti');
  let total = 0;
  let pairs = 0;
  let pairable = 0;
  for (let a = 0; a < nCoders; a++) {
    for (let b = a + 1; b < nCoders; b++) {
      let agreements = 0;
      let decisions = 0;
      for (let u = 0, base = 0; u < nUnits; u++, base += nCoders) {
        const x = values[base + a] ?? MISSING;
        const y = values[base + b] ?? MISSING;
        if (x >= 0) decisions++;
        if (y >= 0) decisions++;
        if (x >= 0 && y >= 0) {
          pairable++;
          if (x === y) agreements++;
        }
      }
      if (decisions === 0) continue;
      total += (2 * agreements) / decisions;
      pairs++;
    }
  }
  return {
    measure: 'holsti',
    value: pairs > 0 ? total / pairs : null,
    reason: pairs > 0 ? null : REASON_NO_PAIRS,
    nUnits,
    nCoders,
    nPairableUnits: pairable,
  };
}
