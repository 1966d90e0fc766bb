/**
 * Brennan-Prediger (free-marginal) kappa, also Bennett et al.'s S and
 * Randolph's kappa_free (Brennan, R. L., & Prediger, D. J. (1981). Educational
 * and Psychological Measurement, 41, 687-699; Gwet 2014, ch. 2):
 *
 *   kappa_BP = (p_a - p_e) / (1 - p_e),   p_e = T_w / q^2
 *
 * q is the number of categories in the codebook (declared but unused
 * categories count); p_a as in Gwet (2014) for any number of coders.
 *
 * Complexity: O(units x coders^2 + V^2).
 */
import { requireCoders } from './krippendorff-alpha.ts';
import type { WeightedInput } from './fleiss-kappa.ts';
import { type AgreementResult, chanceCorrected, multiRaterAgreement } from './multi-rater.ts';
import { agreementWeights, weightTotal } from './weights.ts';

export function brennanPrediger(input: WeightedInput): AgreementResult {
  const { data } = input;
  const scheme = input.weights ?? 'unweighted';
  requireCoders(data.nCoders, 'brennanPrediger');
  const q = data.categories.length;
  const w = agreementWeights(data, scheme);
  const agreement = multiRaterAgreement(data, scheme === 'unweighted' ? null : w);
  const pe = agreement.observedAgreement === null || q === 0 ? null : weightTotal(w) / (q * q);
  const percent = scheme === 'unweighted' ? agreement.observedAgreement : multiRaterAgreement(data, null).observedAgreement;
  return {
    measure: 'brennanPrediger',
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
