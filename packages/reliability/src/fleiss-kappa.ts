/**
 * Fleiss' kappa for any number of coders, unweighted or weighted, with
 * missing data as in Gwet (2014, ch. 2-3):
 *
 *   kappa = (p_a - p_e) / (1 - p_e),   p_e = sum_k sum_l w_kl pi_k pi_l
 *
 * p_a is averaged over units with at least two values, pi_k over units with at
 * least one (see multi-rater.ts). Without missing data and weights this is
 * Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
 * Psychological Bulletin, 76(5), 378-382.
 *
 * Complexity: O(units x coders^2 + V^2).
 */
import { requireCoders } from './krippendorff-alpha.ts';
import { type AgreementResult, chanceCorrected, multiRaterAgreement } from './multi-rater.ts';
import type { ReliabilityData } from './reliability-data.ts';
import { agreementWeights, type WeightScheme } from './weights.ts';

export interface WeightedInput {
  readonly data: ReliabilityData;
  readonly weights?: WeightScheme;
}

export function fleissKappa(input: WeightedInput): AgreementResult {
  const { data } = input;
  const scheme = input.weights ?? 'unweighted';
  requireCoders(data.nCoders, 'fleissKappa');
  const v = data.categories.length;
  const w = agreementWeights(data, scheme);
  const agreement = multiRaterAgreement(data, scheme === 'unweighted' ? null : w);
  const pi = agreement.classification;
  let expected = 0;
  for (let k = 0; k < v; k++) for (let l = 0; l < v; l++) expected += (w[k * v + l] ?? 0) * (pi[k] ?? 0) * (pi[l] ?? 0);
  const pe = agreement.observedAgreement === null ? null : expected;
  const percent = scheme === 'unweighted' ? agreement.observedAgreement : multiRaterAgreement(data, null).observedAgreement;
  return {
    measure: 'fleissKappa',
    weights: scheme,
    ...chanceCorrected(agreement.observedAgreement, pe),
    observedAgreement: agreement.observedAgreement,
    expectedAgreement: pe,
    nUnits: data.nUnits,
    nCoders: data.nCoders,
    nPairableUnits: agreement.nUnitsRatedTwice,
    percentAgreement: percent,
  };
}
