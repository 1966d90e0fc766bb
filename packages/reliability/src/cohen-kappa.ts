/**
 * Cohen's kappa for two coders, unweighted (Cohen, J. (1960). A coefficient of
 * agreement for nominal scales. Educational and Psychological Measurement,
 * 20, 37-46) and weighted (Cohen, J. (1968). Weighted kappa. Psychological
 * Bulletin, 70, 213-220):
 *
 *   kappa = (p_o - p_e) / (1 - p_e)
 *   p_o = sum_kl w_kl p_kl,   p_e = sum_kl w_kl p_k. p_.l
 *
 * over the units coded by both coders, weights from the codebook scale (see
 * weights.ts). Asymptotic standard error (Fleiss, Cohen & Everitt 1969,
 * Psychological Bulletin 72, 323-327):
 *
 *   var = [sum_kl p_kl (w_kl - (wbar_k. + wbar_.l)(1 - kappa))^2
 *          - (kappa - p_e (1 - kappa))^2] / (N (1 - p_e)^2)
 *   wbar_k. = sum_l p_.l w_kl,   wbar_.l = sum_k p_k. w_kl
 *
 * Prevalence and bias indices (Byrt, Bishop & Carlin 1993, J. Clin.
 * Epidemiol. 46, 423-429): for two categories PI = |p_11 - p_22| and
 * BI = |p_12 - p_21|; for more, PI is null and BI = 1/2 sum_k |p_k. - p_.k|
 * (which reduces to |p_12 - p_21| for two).
 *
 * Complexity: O(units + V^2).
 */
import { contingencyTable, requireTwoCoders } from './contingency-table.ts';
import { type AgreementResult, chanceCorrected, REASON_NO_PAIRS } from './multi-rater.ts';
import type { WeightedInput } from './fleiss-kappa.ts';
import { agreementWeights } from './weights.ts';

export interface CohenKappaResult extends AgreementResult {
  /** Asymptotic standard error of kappa (Fleiss, Cohen & Everitt 1969). */
  readonly standardError: number | null;
  /** Standard error under the hypothesis kappa = 0. */
  readonly standardErrorNull: number | null;
  readonly prevalenceIndex: number | null;
  readonly biasIndex: number | null;
}

export function cohenKappa(input: WeightedInput): CohenKappaResult {
  const { data } = input;
  const scheme = input.weights ?? 'unweighted';
  requireTwoCoders(data.nCoders, 'cohenKappa');
  const { counts, size: v, n } = contingencyTable(data);
  const common = {
    measure: scheme === 'unweighted' ? 'cohenKappa' : 'weightedKappa',
    weights: scheme,
    nUnits: data.nUnits,
    nCoders: data.nCoders,
    nPairableUnits: n,
  };
  if (n === 0) {
    return {
      ...common,
      value: null,
      reason: REASON_NO_PAIRS,
      observedAgreement: null,
      expectedAgreement: null,
      percentAgreement: null,
      standardError: null,
      standardErrorNull: null,
      prevalenceIndex: null,
      biasIndex: null,
    };
  }
  const w = agreementWeights(data, scheme);
  const p = counts.map((x) => x / n);
  const rows = new Float64Array(v);
  const cols = new Float64Array(v);
  for (let k = 0; k < v; k++) for (let l = 0; l < v; l++) {
    rows[k] = (rows[k] ?? 0) + (p[k * v + l] ?? 0);
    cols[l] = (cols[l] ?? 0) + (p[k * v + l] ?? 0);
  }
  let po = 0;
  let pe = 0;
  let percent = 0;
  for (let k = 0; k < v; k++) {
    percent += p[k * v + k] ?? 0;
    for (let l = 0; l < v; l++) {
      po += (w[k * v + l] ?? 0) * (p[k * v + l] ?? 0);
      pe += (w[k * v + l] ?? 0) * (rows[k] ?? 0) * (cols[l] ?? 0);
    }
  }
  const { value, reason } = chanceCorrected(po, pe);
  let standardError: number | null = null;
  let standardErrorNull: number | null = null;
  if (value !== null) {
    const rowMean = new Float64Array(v);
    const colMean = new Float64Array(v);
    for (let k = 0; k < v; k++) for (let l = 0; l < v; l++) {
      rowMean[k] = (rowMean[k] ?? 0) + (cols[l] ?? 0) * (w[k * v + l] ?? 0);
      colMean[l] = (colMean[l] ?? 0) + (rows[k] ?? 0) * (w[k * v + l] ?? 0);
    }
    let a = 0;
    let a0 = 0;
    for (let k = 0; k < v; k++) for (let l = 0; l < v; l++) {
      const wbar = (rowMean[k] ?? 0) + (colMean[l] ?? 0);
      const d = (w[k * v + l] ?? 0) - wbar * (1 - value);
      a += (p[k * v + l] ?? 0) * d * d;
      const d0 = (w[k * v + l] ?? 0) - wbar;
      a0 += (rows[k] ?? 0) * (cols[l] ?? 0) * d0 * d0;
    }
    const denominator = n * (1 - pe) * (1 - pe);
    const b = value - pe * (1 - value);
    standardError = Math.sqrt(Math.max(0, (a - b * b) / denominator));
    standardErrorNull = Math.sqrt(Math.max(0, (a0 - pe * pe) / denominator));
  }
  let bias = 0;
  for (let k = 0; k < v; k++) bias += Math.abs((rows[k] ?? 0) - (cols[k] ?? 0));
  return {
    ...common,
    value,
    reason,
    observedAgreement: po,
    expectedAgreement: pe,
    percentAgreement: percent,
    standardError,
    standardErrorNull,
    prevalenceIndex: v === 2 ? Math.abs((p[0] ?? 0) - (p[3] ?? 0)) : null,
    biasIndex: bias / 2,
  };
}
