/**
 * Bootstrap confidence intervals for alpha.
 *
 * Percentile interval from resampling units with replacement: each replicate
 * draws as many units as there are pairable units (units with two or more
 * values; the others never enter alpha) and recomputes D_o and D_e exactly,
 * including the expected disagreement, which depends on the resampled margins.
 * Replicates where alpha is undefined (D_e = 0) are skipped and counted.
 * Quantiles use linear interpolation between order statistics (R type 7).
 * Also reported: the share of replicates below .800 and .667, Krippendorff's
 * conventional thresholds (Krippendorff 2004, Content Analysis, 2nd ed., 241).
 *
 * Why units and not pairable values: Hayes and Krippendorff's KALPHA macro
 * (Hayes & Krippendorff 2007, Communication Methods and Measures 1, 77-89)
 * resamples pairable values (coincidences) while holding D_e fixed. Values
 * within a unit are not independent: coders judge the same unit, and units
 * are the sampling units of a reliability study. Resampling units keeps each
 * unit's values together, lets D_e vary as it would in a new sample of units,
 * and is the ordinary nonparametric bootstrap for clustered data.
 *
 * Complexity per replicate: O(pairable units x coders^2) plus the D_e cost;
 * no allocation per replicate beyond reused typed arrays.
 */
import {
  computeAlpha,
  type DistancePlan,
  expectedDisagreementSum,
  ordinalPlan,
  unitDisagreement,
} from './alpha-core.ts';
import type { AlphaLevel, CategoryDistance, SetDistance } from './distance.ts';
import { ReliabilityError } from './errors.ts';
import { alphaPlan, requireCoders } from './krippendorff-alpha.ts';
import { createRandom, type RandomSource, randomInt } from './random.ts';
import { MISSING, type ReliabilityData, selectUnits, type SetReliabilityData } from './reliability-data.ts';
import { type SetDistanceName, setDistancePlan } from './set-alpha.ts';

export const DEFAULT_REPLICATES = 5000;
export const DEFAULT_SEED = 1;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_THRESHOLDS: readonly number[] = [0.8, 0.667];

export interface BootstrapOptions {
  /** Number of replicates (default 5,000). */
  readonly replicates?: number;
  /** Seed of the default generator (default 1); ignored when `random` is given. */
  readonly seed?: number;
  /** An injectable uniform [0, 1) generator. */
  readonly random?: RandomSource;
  /** Confidence level of the interval (default .95). */
  readonly confidence?: number;
  /** Thresholds for P(alpha < t) (default .800 and .667). */
  readonly thresholds?: readonly number[];
}

export interface BootstrapResult {
  readonly estimate: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly confidence: number;
  readonly replicates: number;
  /** Replicates where the statistic was undefined, left out of the interval. */
  readonly skipped: number;
  readonly seed: number | null;
  readonly probabilityBelow: readonly { readonly threshold: number; readonly probability: number | null }[];
}

/** Linear interpolation between order statistics (R's type 7) of a sorted array. */
export function quantileSorted(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] ?? 0;
  return a + (h - lo) * ((sorted[hi] ?? 0) - a);
}

function checkOptions(options: BootstrapOptions): { replicates: number; confidence: number; random: RandomSource; seed: number | null } {
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new ReliabilityError('INVALID_ARGUMENT', `bootstrap requires a positive integer number of replicates, got ${replicates}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new ReliabilityError('INVALID_ARGUMENT', `bootstrap requires a confidence level between 0 and 1, got ${confidence}`);
  }
  const seed = options.random ? null : (options.seed ?? DEFAULT_SEED);
  return { replicates, confidence, random: options.random ?? createRandom(seed ?? DEFAULT_SEED), seed };
}

function summarize(
  estimate: number | null,
  samples: Float64Array,
  used: number,
  options: BootstrapOptions,
  checked: { replicates: number; confidence: number; seed: number | null },
): BootstrapResult {
  const valid = samples.subarray(0, used).sort();
  const tail = (1 - checked.confidence) / 2;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  return {
    estimate,
    low: quantileSorted(valid, tail),
    high: quantileSorted(valid, 1 - tail),
    confidence: checked.confidence,
    replicates: checked.replicates,
    skipped: checked.replicates - used,
    seed: checked.seed,
    probabilityBelow: thresholds.map((threshold) => {
      if (used === 0) return { threshold, probability: null };
      let below = 0;
      for (const x of valid) if (x < threshold) below++;
      return { threshold, probability: below / used };
    }),
  };
}

export interface BootstrapAlphaInput extends BootstrapOptions {
  readonly data: ReliabilityData | SetReliabilityData;
  /** For single-valued data (default nominal). */
  readonly level?: AlphaLevel;
  /** Custom category distance, for single-valued data. */
  readonly distance?: CategoryDistance;
  /** Set distance for set-valued data (default masi). */
  readonly setDistance?: SetDistanceName | SetDistance;
}

/** Percentile bootstrap of Krippendorff's alpha, resampling units. */
export function bootstrapAlpha(input: BootstrapAlphaInput): BootstrapResult {
  const { data } = input;
  requireCoders(data.nCoders, 'bootstrapAlpha');
  const checked = checkOptions(input);
  let plan: DistancePlan;
  let nValues: number;
  if (data.kind === 'sets') {
    plan = setDistancePlan(data, input.setDistance ?? 'masi');
    nValues = data.sets.length;
  } else {
    plan = alphaPlan(data, input.level ?? 'nominal', input.distance);
    nValues = data.categories.length;
  }
  const estimate = computeAlpha(data, nValues, plan).value;

  // Pack the pairable units at a fixed width; missing values point at a
  // spare count slot (index nValues) so the hot loop has no branches.
  const { nUnits, nCoders, values } = data;
  const width = nCoders;
  let nPairableUnits = 0;
  const unitM = new Int32Array(nUnits);
  for (let u = 0, base = 0; u < nUnits; u++, base += width) {
    let m = 0;
    for (let c = 0; c < width; c++) if ((values[base + c] ?? MISSING) >= 0) m++;
    if (m >= 2) unitM[nPairableUnits++] = m;
  }
  const padded = new Int32Array(nPairableUnits * width);
  const buffer = new Int32Array(width);
  const unitObserved = new Float64Array(nPairableUnits);
  const ordinal = plan.kind === 'ordinal';
  for (let u = 0, p = 0, base = 0; u < nUnits; u++, base += width) {
    let m = 0;
    for (let c = 0; c < width; c++) {
      const x = values[base + c] ?? MISSING;
      padded[p * width + c] = x >= 0 ? x : nValues;
      if (x >= 0) buffer[m++] = x;
    }
    if (m < 2) continue;
    if (!ordinal) unitObserved[p] = unitDisagreement(buffer, m, plan, nValues);
    p++;
  }
  const samples = new Float64Array(checked.replicates);
  if (nPairableUnits === 0) return summarize(estimate, samples, 0, input, checked);

  const tally = new Int32Array(nValues + 1);
  const counts = new Float64Array(nValues);
  const draws = new Int32Array(nPairableUnits);
  const drawnObserved = new Float64Array(1);
  const random = checked.random;
  let used = 0;
  for (let r = 0; r < checked.replicates; r++) {
    const n = drawReplicate(random, width, padded, unitM, unitObserved, draws, tally, drawnObserved);
    for (let k = 0; k < nValues; k++) counts[k] = tally[k] ?? 0;
    let observed = drawnObserved[0] ?? 0;
    let replicatePlan = plan;
    if (ordinal) {
      replicatePlan = ordinalPlan(counts);
      observed = 0;
      for (let i = 0; i < nPairableUnits; i++) {
        const base = (draws[i] ?? 0) * width;
        let m = 0;
        for (let c = 0; c < width; c++) {
          const x = padded[base + c] ?? nValues;
          if (x < nValues) buffer[m++] = x;
        }
        observed += unitDisagreement(buffer, m, replicatePlan, nValues);
      }
    }
    const expected = expectedDisagreementSum(counts, replicatePlan) / (n * (n - 1));
    if (!(expected > 0)) continue;
    samples[used++] = 1 - observed / n / expected;
  }
  return summarize(estimate, samples, used, input, checked);
}

/**
 * One replicate: draws units with replacement into `draws` and tallies their
 * values (`tally[nValues]` collects missing ones). Returns the number of
 * pairable values; `observed[0]` receives the summed unit disagreement.
 * Kept small and branch-light so V8 optimizes it on its own; widths up to
 * four are unrolled (the common case of two to four coders).
 */
function drawReplicate(
  random: RandomSource,
  width: number,
  padded: Int32Array,
  unitM: Int32Array,
  unitObserved: Float64Array,
  draws: Int32Array,
  tally: Int32Array,
  observed: Float64Array,
): number {
  tally.fill(0);
  const units = draws.length;
  let n = 0;
  let disagreement = 0;
  for (let i = 0; i < units; i++) {
    const p = randomInt(random, units);
    draws[i] = p;
    n += unitM[p] ?? 0;
    disagreement += unitObserved[p] ?? 0;
    const base = p * width;
    const x0 = padded[base] ?? 0;
    const x1 = padded[base + 1] ?? 0;
    tally[x0] = (tally[x0] ?? 0) + 1;
    tally[x1] = (tally[x1] ?? 0) + 1;
    if (width > 2) {
      const x2 = padded[base + 2] ?? 0;
      tally[x2] = (tally[x2] ?? 0) + 1;
      if (width > 3) {
        const x3 = padded[base + 3] ?? 0;
        tally[x3] = (tally[x3] ?? 0) + 1;
        for (let c = 4; c < width; c++) {
          const x = padded[base + c] ?? 0;
          tally[x] = (tally[x] ?? 0) + 1;
        }
      }
    }
  }
  observed[0] = disagreement;
  return n;
}

export interface BootstrapStatisticInput<T extends ReliabilityData | SetReliabilityData> extends BootstrapOptions {
  readonly data: T;
  /** The statistic to resample; null means undefined for that replicate. */
  readonly statistic: (data: T) => number | null;
}

/**
 * Generic percentile bootstrap over all units (for kappa-type measures and
 * anything without a fast path). O(replicates x cost of the statistic).
 */
export function bootstrapStatistic<T extends ReliabilityData | SetReliabilityData>(input: BootstrapStatisticInput<T>): BootstrapResult {
  const { data, statistic } = input;
  const checked = checkOptions(input);
  const samples = new Float64Array(checked.replicates);
  const indices = new Int32Array(data.nUnits);
  let used = 0;
  for (let r = 0; r < checked.replicates; r++) {
    for (let i = 0; i < data.nUnits; i++) indices[i] = randomInt(checked.random, data.nUnits);
    const value = data.nUnits === 0 ? null : statistic(selectUnits(data, indices));
    if (value !== null && Number.isFinite(value)) samples[used++] = value;
  }
  return summarize(statistic(data), samples, used, input, checked);
}

export interface BootstrapResampleInput extends BootstrapOptions {
  /** Number of resampling units (items, continua); each replicate draws this many with replacement. */
  readonly nUnits: number;
  /** The statistics on the full data. */
  readonly estimates: readonly (number | null)[];
  /** The same statistics on the drawn units (indices, repeats allowed); null where undefined. */
  readonly statistics: (draws: Int32Array) => readonly (number | null)[];
}

/**
 * Percentile bootstrap over any resampling units, for statistics that are not computed on a
 * units x coders matrix (the unitizing alphas resample continua). Several statistics share
 * each replicate's draws. Same interval, thresholds and generator as bootstrapAlpha.
 */
export function bootstrapResample(input: BootstrapResampleInput): BootstrapResult[] {
  const checked = checkOptions(input);
  const k = input.estimates.length;
  const samples = Array.from({ length: k }, () => new Float64Array(checked.replicates));
  const used = new Int32Array(k);
  const draws = new Int32Array(input.nUnits);
  if (input.nUnits > 0) {
    for (let r = 0; r < checked.replicates; r++) {
      for (let i = 0; i < input.nUnits; i++) draws[i] = randomInt(checked.random, input.nUnits);
      const values = input.statistics(draws);
      for (let s = 0; s < k; s++) {
        const value = values[s];
        if (value === null || value === undefined || !Number.isFinite(value)) continue;
        const at = used[s] ?? 0;
        samples[s]![at] = value;
        used[s] = at + 1;
      }
    }
  }
  return input.estimates.map((estimate, s) => summarize(estimate, samples[s]!, used[s] ?? 0, input, checked));
}
