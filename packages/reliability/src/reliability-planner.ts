/**
 * The reliability planner: how many items and coders a round needs for alpha's bootstrap
 * interval to be narrow enough, e.g. "the lower bound of the 95% interval at or above
 * .800 with probability .9".
 *
 * For each candidate (items N, coders k) it simulates `simulations` studies under the
 * model (planner-simulation.ts), computes for each the same percentile bootstrap the app
 * reports (bootstrapAlpha, resampling units) and counts the studies whose lower bound
 * reaches the target. For each k it searches the smallest N (on a grid of `itemStep`)
 * whose share of such studies is at least `probability`; that share grows with N when
 * the expected alpha is above the target: the search gallops up the grid, then bisects. The
 * plan is the candidate with the fewest codings (N x k), fewer coders on a tie.
 *
 * Reproducible: each candidate's studies are drawn from a generator seeded by the seed
 * and (N, k) alone, so a result does not depend on the order of the search.
 *
 * Bounded: the cost of a candidate is simulations x replicates x N x k value draws (times
 * ORDINAL_COST at the ordinal level); the search never starts a candidate that would take the total past `budget`, and says so
 * (`budgetExhausted`). A candidate stops as soon as it can no longer reach the
 * probability (the studies left could not make up the shortfall); one that passes has
 * always run all its studies, so its share is a full estimate.
 */
import { bootstrapAlpha, DEFAULT_CONFIDENCE } from './bootstrap.ts';
import { ReliabilityError } from './errors.ts';
import { checkModel, type CodingModel, simulateCodings } from './planner-simulation.ts';
import { createRandom } from './random.ts';

export const PLANNER_DEFAULTS = {
  simulations: 100,
  replicates: 500,
  itemStep: 5,
  seed: 1,
  /** Work units: value draws (simulations x replicates x items x coders), weighted by level, summed over candidates. */
  budget: 3e8,
} as const;

/**
 * An ordinal replicate recomputes the ordinal distances from its margins and every unit's
 * disagreement with them: about three times the cost of a nominal draw (measured,
 * bench/reliability-planner.ts: 160 against 55 ns a draw on the loaded 2-core host).
 */
export const ORDINAL_COST = 3;

export interface PlanReliabilityInput {
  readonly model: CodingModel;
  /** The lower bound to reach, e.g. .800. */
  readonly target: number;
  /** The probability with which it must be reached, e.g. .9. */
  readonly probability: number;
  readonly coders: { readonly min: number; readonly max: number };
  readonly items: { readonly min: number; readonly max: number };
  readonly simulations?: number;
  /** Bootstrap replicates per simulated study. */
  readonly replicates?: number;
  /** Confidence level of the interval (the app reports .95). */
  readonly confidence?: number;
  /** Resolution of the item search. */
  readonly itemStep?: number;
  readonly seed?: number;
  readonly budget?: number;
}

export interface PlanEvaluation {
  readonly items: number;
  readonly coders: number;
  /** Simulated studies run (fewer than asked when the candidate was decided early). */
  readonly simulations: number;
  /** Studies whose lower bound reached the target. */
  readonly reached: number;
  /** reached / simulations. */
  readonly share: number;
  readonly meets: boolean;
  /** Mean lower bound and mean alpha over the studies run (null when alpha was never defined). */
  readonly meanLow: number | null;
  readonly meanAlpha: number | null;
}

export interface PlanCandidate {
  readonly coders: number;
  /** The smallest number of items found, or null when none up to the maximum (or the budget) reached it. */
  readonly items: number | null;
  readonly evaluation: PlanEvaluation | null;
  readonly reason: string | null;
}

export interface ReliabilityPlan {
  readonly plan: { readonly items: number; readonly coders: number; readonly codings: number; readonly share: number } | null;
  readonly reason: string | null;
  readonly candidates: readonly PlanCandidate[];
  readonly evaluations: readonly PlanEvaluation[];
  readonly simulations: number;
  readonly replicates: number;
  readonly confidence: number;
  readonly seed: number;
  readonly work: number;
  readonly budget: number;
  readonly budgetExhausted: boolean;
}

/** A 32-bit seed from the plan's seed and the candidate (a mix of Murmur3's finalizer). */
export function candidateSeed(seed: number, items: number, coders: number): number {
  let h = (seed ^ Math.imul(items, 0x9e3779b1) ^ Math.imul(coders, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires ${name} to be an integer of at least ${min}, got ${value}`);
  }
}

/** What every candidate of one plan shares. */
export interface CandidateSettings {
  model: CodingModel;
  cumulative: Float64Array;
  target: number;
  probability: number;
  simulations: number;
  replicates: number;
  confidence: number;
  seed: number;
}

/** Simulates studies of N items and k coders and counts those whose lower bound reaches the target. */
export function evaluateCandidate(s: CandidateSettings, items: number, coders: number): PlanEvaluation {
  return runSync(evaluationSteps(s, items, coders));
}

/** Runs a stepwise computation to its end. */
function runSync<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** evaluateCandidate one simulated study at a time (yields after each), so a caller can pause between them. */
function* evaluationSteps(s: CandidateSettings, items: number, coders: number): Generator<void, PlanEvaluation> {
  const random = createRandom(candidateSeed(s.seed, items, coders));
  const needed = Math.ceil(s.probability * s.simulations - 1e-9);
  const { field } = s.model;
  let reached = 0;
  let run = 0;
  let lowSum = 0;
  let alphaSum = 0;
  let defined = 0;
  while (run < s.simulations) {
    const data = simulateCodings(s.model, items, coders, random, s.cumulative);
    const boot = bootstrapAlpha({
      data,
      ...(field.kind === 'sets' ? { setDistance: field.setDistance } : { level: field.level }),
      replicates: s.replicates,
      confidence: s.confidence,
      random,
      thresholds: [],
    });
    run++;
    yield;
    if (boot.low !== null && boot.estimate !== null) {
      defined++;
      lowSum += boot.low;
      alphaSum += boot.estimate;
      if (boot.low >= s.target) reached++;
    }
    // The rest cannot make up the shortfall: the candidate fails whatever they give.
    if (reached + (s.simulations - run) < needed) break;
  }
  return {
    items,
    coders,
    simulations: run,
    reached,
    share: reached / run,
    meets: run === s.simulations && reached >= needed,
    meanLow: defined ? lowSum / defined : null,
    meanAlpha: defined ? alphaSum / defined : null,
  };
}

/** Smallest plan (items, coders) whose interval's lower bound reaches the target with the probability. */
export function planReliability(input: PlanReliabilityInput): ReliabilityPlan {
  return runSync(planSteps(input));
}

/**
 * The same plan, pausing (`await pause()`) whenever a slice of `sliceMs` of computing has
 * passed, so that a server's event loop keeps serving others meanwhile. Same result as
 * planReliability: the pauses do not touch the generators.
 */
export async function planReliabilityAsync(input: PlanReliabilityInput, pause: () => Promise<void>, sliceMs = 20): Promise<ReliabilityPlan> {
  const steps = planSteps(input);
  let sliceStart = Date.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (Date.now() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = Date.now();
    }
  }
}

function* planSteps(input: PlanReliabilityInput): Generator<void, ReliabilityPlan> {
  const simulations = input.simulations ?? PLANNER_DEFAULTS.simulations;
  const replicates = input.replicates ?? PLANNER_DEFAULTS.replicates;
  const itemStep = input.itemStep ?? PLANNER_DEFAULTS.itemStep;
  const seed = input.seed ?? PLANNER_DEFAULTS.seed;
  const budget = input.budget ?? PLANNER_DEFAULTS.budget;
  const confidence = input.confidence ?? DEFAULT_CONFIDENCE;
  const { target, probability, coders, items } = input;
  requireInteger('simulations', simulations, 1);
  requireInteger('replicates', replicates, 1);
  requireInteger('itemStep', itemStep, 1);
  requireInteger('the minimum of coders', coders.min, 2);
  requireInteger('the maximum of coders', coders.max, coders.min);
  requireInteger('the minimum of items', items.min, 2);
  requireInteger('the maximum of items', items.max, items.min);
  if (!(target > -1 && target <= 1)) throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires a target between -1 and 1, got ${target}`);
  if (!(probability > 0 && probability < 1)) throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires a probability between 0 and 1, got ${probability}`);
  if (!(confidence > 0 && confidence < 1)) throw new ReliabilityError('INVALID_ARGUMENT', `planReliability requires a confidence between 0 and 1, got ${confidence}`);
  const settings: CandidateSettings = { model: input.model, cumulative: checkModel(input.model), target, probability, simulations, replicates, confidence, seed };

  const evaluations: PlanEvaluation[] = [];
  const memo = new Map<string, PlanEvaluation>();
  let work = 0;
  let budgetExhausted = false;
  const field = input.model.field;
  const weight = field.kind === 'single' && field.level === 'ordinal' ? ORDINAL_COST : 1;
  /** Null when the budget does not allow this candidate. */
  const evaluate = function* (n: number, k: number): Generator<void, PlanEvaluation | null> {
    const key = `${n}x${k}`;
    const known = memo.get(key);
    if (known) return known;
    const cost = simulations * replicates * n * k * weight;
    if (work + cost > budget) {
      budgetExhausted = true;
      return null;
    }
    const e = yield* evaluationSteps(settings, n, k);
    work += e.simulations * replicates * n * k * weight;
    memo.set(key, e);
    evaluations.push(e);
    return e;
  };

  // The item grid: min, then multiples of the step, then max.
  const grid: number[] = [items.min];
  for (let n = Math.ceil((items.min + 1) / itemStep) * itemStep; n < items.max; n += itemStep) grid.push(n);
  if (items.max > items.min) grid.push(items.max);

  const candidates: PlanCandidate[] = [];
  for (let k = coders.min; k <= coders.max; k++) {
    // Galloping up the grid (indices 0, 1, 2, 4, 8…, then the last): the first passing
    // candidate is at most about twice the answer, and failing ones mostly stop early, so
    // the cost follows the answer rather than the maximum.
    let failed = -1;
    let passed = -1;
    let best: PlanEvaluation | null = null;
    let last: PlanEvaluation | null = null;
    let stopped = false;
    for (let at = 0; ; at = Math.min(grid.length - 1, at === 0 ? 1 : at * 2)) {
      const e = yield* evaluate(grid[at] ?? items.max, k);
      if (!e) {
        stopped = true;
        break;
      }
      last = e;
      if (e.meets) {
        passed = at;
        best = e;
        break;
      }
      failed = at;
      if (at === grid.length - 1) break;
    }
    // Bisection between the last failing and the first passing grid point.
    while (!stopped && passed >= 0 && passed - failed > 1) {
      const mid = (failed + passed) >>> 1;
      const e = yield* evaluate(grid[mid] ?? items.max, k);
      if (!e) {
        stopped = true;
        break;
      }
      if (e.meets) {
        passed = mid;
        best = e;
      } else failed = mid;
    }
    if (best) {
      candidates.push({ coders: k, items: best.items, evaluation: best, reason: stopped ? 'the simulation budget ran out: fewer items may do' : null });
    } else if (stopped) {
      candidates.push({ coders: k, items: null, evaluation: last, reason: 'the simulation budget ran out before the target was reached' });
    } else {
      candidates.push({ coders: k, items: null, evaluation: last, reason: `not reached with ${items.max} items (share ${(last?.share ?? 0).toFixed(2)})` });
    }
  }

  let plan: ReliabilityPlan['plan'] = null;
  for (const c of candidates) {
    if (c.items === null || !c.evaluation) continue;
    const codings = c.items * c.coders;
    if (!plan || codings < plan.codings) plan = { items: c.items, coders: c.coders, codings, share: c.evaluation.share };
  }
  return {
    plan,
    reason: plan
      ? null
      : input.model.alpha <= target
        ? `the expected alpha (${input.model.alpha.toFixed(3)}) is not above the target (${target}): more items narrow the interval around it, never above it`
        : budgetExhausted
          ? 'the simulation budget was used up before a plan was found: narrow the ranges or lower the simulations'
          : `no plan up to ${items.max} items and ${coders.max} coders reaches the target with probability ${probability}`,
    candidates,
    evaluations,
    simulations,
    replicates,
    confidence,
    seed,
    work,
    budget,
    budgetExhausted,
  };
}
