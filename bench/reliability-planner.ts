/**
 * The reliability planner in process: time and work of typical plans and of a plan that runs
 * into the server's budget. Prints ONE JSON line.
 * Run from the repository root: pnpm exec tsx bench/reliability-planner.ts [--budget N]
 */
import { performance } from 'node:perf_hooks';
import { planReliability, type CodingModel, type PlanReliabilityInput } from '../packages/reliability/src/index.ts';

const budgetArg = process.argv.indexOf('--budget');
const BUDGET = budgetArg >= 0 ? Number(process.argv[budgetArg + 1]) : 3e8;
const FIVE = ['1', '2', '3', '4', '5'];
const model = (alpha: number, level: 'nominal' | 'ordinal'): CodingModel => ({ field: { kind: 'single', categories: FIVE, level }, alpha, probabilities: [0.1, 0.2, 0.4, 0.2, 0.1] });

function run(name: string, input: PlanReliabilityInput) {
  const t0 = performance.now();
  const r = planReliability(input);
  const ms = performance.now() - t0;
  return { name, ms: Math.round(ms), work: r.work, nsPerDraw: r.work ? Math.round((ms * 1e6) / r.work * 10) / 10 : null, evaluations: r.evaluations.length, plan: r.plan, budgetExhausted: r.budgetExhausted };
}

// The server's defaults: target .800 with probability .95, 2-4 coders, 10-500 items, 100 studies x 500 replicates.
const defaults = { target: 0.8, probability: 0.95, coders: { min: 2, max: 4 }, items: { min: 10, max: 500 }, simulations: 100, replicates: 500, budget: BUDGET };
const cases = [
  run('nominal, alpha .90, defaults', { model: model(0.9, 'nominal'), ...defaults }),
  run('ordinal, alpha .90, defaults', { model: model(0.9, 'ordinal'), ...defaults }),
  // Expected alpha just above the target: the plan needs the most items, the budget binds.
  run('nominal, alpha .84, up to 2,000 items and 8 coders', { model: model(0.84, 'nominal'), ...defaults, coders: { min: 2, max: 8 }, items: { min: 10, max: 2000 } }),
  run('ordinal, alpha .84, up to 2,000 items and 8 coders', { model: model(0.84, 'ordinal'), ...defaults, coders: { min: 2, max: 8 }, items: { min: 10, max: 2000 } }),
];
console.log(JSON.stringify({ bench: 'reliability-planner', node: process.version, budget: BUDGET, cases }));
