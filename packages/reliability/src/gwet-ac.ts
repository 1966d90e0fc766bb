/**
 * Gwet's AC1 (unweighted, nominal) and AC2 (weighted) for any number of
 * coders with missing data (Gwet, K. L. (2014). Handbook of Inter-Rater
 * Reliability, 4th ed., ch. 4; Gwet 2008, Br. J. Math. Stat. Psychol. 61):
 *
 *   AC = (p_a - p_e) / (1 - p_e),
 *   p_e = T_w / (q (q - 1)) sum_k pi_k (1 - pi_k)
 *
 * with q the number of categories in the codebook (declared categories count
 * even when unused) and T_w the sum of the weights (q for AC1).
 *
 * Complexity: O(units x coders^2 + V^2).
 */
import { requireCoders } from './krippendorff-alpha.ts';
import type { WeightedInput } from './fleiss-kappa.ts';
import { type AgreementResult, chanceCorrected, multiRaterAgreement } from './multi-rater.ts';
import { agreementWeights, weightTotal } from './weights.ts';

export function gwetAC(input: WeightedInput): AgreementResult {
  const { data } = input;
  const scheme = input.weights ?? 'unweighted';
  requireCoders(data.nCoders, 'gwetAC');
  const q = data.categories.length;
  const w = agreementWeights(data, scheme);
  const agreement = multiRaterAgreement(data, scheme === 'unweighted' ? null : w);
  let spread = 0;
  for (const p of agreement.classification) spread += p * (1 - p);
  const percent = scheme === 'unweighted' ? agreement.observedAgreement : multiRaterAgreement(data, null).observedAgreement;
  const common = {
    measure: scheme === 'unweighted' ? 'gwetAC1' : 'gwetAC2',
    weights: scheme,
    observedAgreement: agreement.observedAgreement,
    nUnits: data.nUnits,
    nCoders: data.nCoders,
    nPairableUnits: agreement.nUnitsRatedTwice,
    percentAgreement: percent,
  };
  if (q < 2) {
    return { ...common, value: null, reason: 'the codebook has fewer than two categories, so chance agreement is undefined', expectedAgreement: null };
  }
  const pe = agreement.observedAgreement === null ? null : (weightTotal(w) / (q * (q - 1))) * spread;
  return { ...common, ...chanceCorrected(agreement.observedAgreement, pe), expectedAgreement: pe };
}
