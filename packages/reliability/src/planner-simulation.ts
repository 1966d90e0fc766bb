/**
 * Simulated reliability data for the planner: codings of a field drawn so that, in
 * expectation, they show a given alpha and a given distribution of values.
 *
 * Model (a mixture, one latent value per unit): each unit has a true value t drawn from
 * the value distribution p; each coder independently reports t with probability
 * q = sqrt(alpha) and otherwise an independent draw from p. Every value is then
 * marginally distributed as p, and two values of the same unit are identical with
 * probability q^2 and otherwise two independent draws from p. Hence
 * E[D_o] = (1 - q^2) D_e for every distance that depends only on the two values and the
 * margins (nominal, ordinal, interval, ratio, MASI over sets), and alpha = q^2 at every
 * level: one model serves all fields. It reproduces the field's margins and alpha, not
 * which values coders confuse (off-diagonal coincidences); a pilot with a dominant
 * confusion between two neighbouring values is summarized by its alpha and margins only.
 * Alpha below 0 (systematic disagreement) cannot be expressed and is refused.
 */
import { type AlphaCore, computeAlpha } from './alpha-core.ts';
import { pairableCounts } from './coincidence-matrix.ts';
import type { AlphaLevel } from './distance.ts';
import { ReliabilityError } from './errors.ts';
import { alphaPlan, requireCoders } from './krippendorff-alpha.ts';
import type { RandomSource } from './random.ts';
import { createReliabilityData, type ReliabilityData, type SetReliabilityData } from './reliability-data.ts';
import { type SetDistanceName, setDistancePlan } from './set-alpha.ts';

/** What the field's values are and how alpha measures them. */
export type PlannerField =
  | {
      readonly kind: 'single';
      /** Category labels in codebook order. */
      readonly categories: readonly string[];
      /** Scale values (interval and ratio levels); defaults to the numeric labels. */
      readonly scale?: ArrayLike<number>;
      readonly level: AlphaLevel;
    }
  | {
      readonly kind: 'sets';
      readonly categories: readonly string[];
      /** The distinct sets (ascending category indices); the distribution is over these. */
      readonly sets: readonly Int32Array[];
      readonly setDistance: SetDistanceName;
    };

export interface CodingModel {
  readonly field: PlannerField;
  /** The expected alpha, in [0, 1]. */
  readonly alpha: number;
  /** Probability of each value (category, or set for set fields); normalized on use. */
  readonly probabilities: readonly number[];
}

/** Number of values the distribution ranges over. */
export function valueCount(field: PlannerField): number {
  return field.kind === 'single' ? field.categories.length : field.sets.length;
}

/** Checks a model and returns its cumulative distribution (last entry 1). */
export function checkModel(model: CodingModel): Float64Array {
  const { alpha, probabilities } = model;
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires an expected alpha between 0 and 1, got ${alpha}`);
  }
  const v = valueCount(model.field);
  if (probabilities.length !== v) {
    throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires one probability per value (${v}), got ${probabilities.length}`);
  }
  let total = 0;
  let used = 0;
  for (const p of probabilities) {
    if (!(Number.isFinite(p) && p >= 0)) throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires non-negative probabilities, got ${p}`);
    total += p;
    if (p > 0) used++;
  }
  // With one value in use D_e is zero and alpha is undefined in every simulated study.
  if (used < 2) throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires a distribution over at least two values, got ${used}`);
  const cumulative = new Float64Array(v);
  let sum = 0;
  for (let i = 0; i < v; i++) {
    sum += (probabilities[i] ?? 0) / total;
    cumulative[i] = sum;
  }
  cumulative[v - 1] = 1;
  return cumulative;
}

/** Inverse-CDF draw by binary search: O(log V). */
function drawValue(random: RandomSource, cumulative: Float64Array): number {
  const x = random();
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < (cumulative[mid] ?? 1)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * One simulated study: nUnits units each coded by all nCoders coders, under the model.
 * `cumulative` is checkModel's result (passed in so a planner checks the model once).
 */
export function simulateCodings(
  model: CodingModel,
  nUnits: number,
  nCoders: number,
  random: RandomSource,
  cumulative: Float64Array = checkModel(model),
): ReliabilityData | SetReliabilityData {
  requireCoders(nCoders, 'simulateCodings');
  const q = Math.sqrt(model.alpha);
  const values = new Int32Array(nUnits * nCoders);
  for (let u = 0, base = 0; u < nUnits; u++, base += nCoders) {
    const truth = drawValue(random, cumulative);
    for (let c = 0; c < nCoders; c++) values[base + c] = random() < q ? truth : drawValue(random, cumulative);
  }
  const { field } = model;
  const coders = Array.from({ length: nCoders }, (_, i) => `coder ${i + 1}`);
  if (field.kind === 'sets') return { kind: 'sets', nUnits, nCoders, values, sets: field.sets, categories: field.categories, coders };
  return createReliabilityData({ values, nUnits, nCoders, categories: field.categories, scale: field.scale, coders });
}

export interface PilotModel extends CodingModel {
  /** The pilot's own alpha (may be below 0; the model's alpha is then 0). */
  readonly pilotAlpha: number;
  readonly nPairable: number;
  readonly nPairableUnits: number;
}

/**
 * The model a pilot implies: its alpha at the field's level and its distribution of
 * pairable values (the margins of its coincidence matrix), over the same values.
 */
export function modelFromPilot(data: ReliabilityData | SetReliabilityData, options: { level?: AlphaLevel; setDistance?: SetDistanceName }): PilotModel {
  requireCoders(data.nCoders, 'modelFromPilot');
  let core: AlphaCore;
  let field: PlannerField;
  let nValues: number;
  if (data.kind === 'sets') {
    const setDistance = options.setDistance ?? 'masi';
    nValues = data.sets.length;
    core = computeAlpha(data, nValues, setDistancePlan(data, setDistance));
    field = { kind: 'sets', categories: data.categories, sets: data.sets, setDistance };
  } else {
    const level = options.level ?? 'nominal';
    nValues = data.categories.length;
    core = computeAlpha(data, nValues, alphaPlan(data, level));
    field = { kind: 'single', categories: data.categories, scale: data.scale, level };
  }
  if (core.value === null) {
    throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires a pilot whose alpha is defined, ${core.reason ?? 'it is not'}`);
  }
  const margins = pairableCounts(data, nValues);
  return {
    field,
    alpha: Math.min(1, Math.max(0, core.value)),
    probabilities: Array.from(margins.counts, (n) => n / margins.nPairable),
    pilotAlpha: core.value,
    nPairable: margins.nPairable,
    nPairableUnits: margins.nPairableUnits,
  };
}
