/**
 * Agreement weights for weighted kappa, weighted Fleiss kappa and AC2.
 *
 * Computed from the category values of the codebook scale (Cohen 1968;
 * Gwet 2014, ch. 3), never from the ranks of the observed categories:
 *   unweighted  w_kl = 1 if k = l else 0
 *   linear      w_kl = 1 - |x_k - x_l| / (max - min)
 *   quadratic   w_kl = 1 - (x_k - x_l)^2 / (max - min)^2
 * where max and min range over the whole codebook scale.
 */
import type { ReliabilityData } from './reliability-data.ts';

export type WeightScheme = 'unweighted' | 'linear' | 'quadratic';

/** Row-major V x V agreement weights. */
export function agreementWeights(data: Pick<ReliabilityData, 'scale'>, scheme: WeightScheme): Float64Array {
  const x = data.scale;
  const v = x.length;
  const weights = new Float64Array(v * v);
  let min = Infinity;
  let max = -Infinity;
  for (const value of x) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const range = max - min;
  for (let k = 0; k < v; k++) {
    for (let l = 0; l < v; l++) {
      let w: number;
      if (k === l) w = 1;
      else if (scheme === 'unweighted' || range === 0) w = 0;
      else {
        const d = Math.abs((x[k] ?? 0) - (x[l] ?? 0)) / range;
        w = scheme === 'linear' ? 1 - d : 1 - d * d;
      }
      weights[k * v + l] = w;
    }
  }
  return weights;
}

/** T_w: the sum of all weights. */
export function weightTotal(weights: Float64Array): number {
  let total = 0;
  for (const w of weights) total += w;
  return total;
}
