/**
 * Scott's pi for two coders (Scott, W. A. (1955). Reliability of content
 * analysis: The case of nominal scale coding. Public Opinion Quarterly, 19,
 * 321-325):
 *
 *   pi = (p_o - p_e) / (1 - p_e),   p_e = sum_k ((p_k. + p_.k) / 2)^2
 *
 * over units coded by both coders. With n such units and no missing data,
 * Krippendorff's nominal alpha = 1 - (1 - pi) (2n - 1) / (2n).
 *
 * Complexity: O(units + V^2).
 */
import { contingencyTable, requireTwoCoders } from './contingency-table.ts';
import { type AgreementResult, chanceCorrected, REASON_NO_PAIRS } from './multi-rater.ts';
import type { ReliabilityData } from './reliability-data.ts';

export function scottPi(input: { readonly data: ReliabilityData }): AgreementResult {
  const { data } = input;
  requireTwoCoders(data.nCoders, 'scottPi');
  const { counts, size: v, n } = contingencyTable(data);
  let po = 0;
  let pe = 0;
  for (let k = 0; k < v; k++) {
    po += (counts[k * v + k] ?? 0) / n;
    let margin = 0;
    for (let l = 0; l < v; l++) margin += (counts[k * v + l] ?? 0) + (counts[l * v + k] ?? 0);
    const share = margin / (2 * n);
    pe += share * share;
  }
  const defined = n > 0;
  return {
    measure: 'scottPi',
    weights: 'unweighted',
    ...(defined ? chanceCorrected(po, pe) : { value: null, reason: REASON_NO_PAIRS }),
    observedAgreement: defined ? po : null,
    expectedAgreement: defined ? pe : null,
    nUnits: data.nUnits,
    nCoders: data.nCoders,
    nPairableUnits: n,
    percentAgreement: defined ? po : null,
  };
}
