/**
 * Benchmarks of @concord/reliability in process. Prints ONE JSON line.
 * Run from the repository root: pnpm exec tsx bench/reliability.ts [--seed N]
 *
 * Cases (targets from the reliability issue, 2-core machine):
 *   alpha nominal, 1,000,000 units x 5 coders, 10 categories, 10% missing: < 200 ms, peak RSS < 300 MB
 *   alpha interval, 200,000 x 5, 21 values: < 100 ms
 *   alpha interval, 20,000 x 5, 101 distinct values: < 100 ms
 *   bootstrap alpha, 5,000 replicates on 10,000 x 3: < 2 s
 * Each case is timed several times after one warm-up run; the median is reported.
 */
import { performance } from 'node:perf_hooks';
import {
  bootstrapAlpha,
  createRandom,
  createReliabilityData,
  krippendorffAlpha,
  type RandomSource,
  type ReliabilityData,
} from '../packages/reliability/src/index.ts';

const seedArg = process.argv.indexOf('--seed');
const SEED = seedArg >= 0 ? Number(process.argv[seedArg + 1]) : 20240601;

/** Units with a latent category; each coder reports it with probability `accuracy`, else a random category. */
function generate(random: RandomSource, nUnits: number, nCoders: number, categories: readonly string[], missing: number, accuracy: number): ReliabilityData {
  const v = categories.length;
  const values = new Int32Array(nUnits * nCoders);
  for (let u = 0; u < nUnits; u++) {
    const truth = Math.floor(random() * v);
    for (let c = 0; c < nCoders; c++) {
      const r = random();
      values[u * nCoders + c] = r < missing ? -1 : random() < accuracy ? truth : Math.floor(random() * v);
    }
  }
  return createReliabilityData({ values, nUnits, nCoders, categories });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(runs: number, f: () => unknown): { ms: number; result: unknown } {
  let result = f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = f();
    times.push(performance.now() - t0);
  }
  return { ms: Math.round(median(times) * 10) / 10, result };
}

const mib = (bytes: number) => Math.round(bytes / 1048576);
const peakRssMib = () => Math.round(process.resourceUsage().maxRSS / 1024);
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

const random = createRandom(SEED);
const out: Record<string, unknown> = { bench: 'reliability', seed: SEED, node: process.version };

const nominal = generate(random, 1_000_000, 5, range(10, (i) => `c${i}`), 0.1, 0.7);
const nominalRun = time(5, () => krippendorffAlpha({ data: nominal, level: 'nominal' }).value);
out.alpha_nominal_1m_x5 = { ms: nominalRun.ms, alpha: nominalRun.result, peak_rss_mib: peakRssMib(), heap_used_mib: mib(process.memoryUsage().heapUsed) };

const interval21 = generate(random, 200_000, 5, range(21, (i) => String(i)), 0.1, 0.6);
const interval21Run = time(7, () => krippendorffAlpha({ data: interval21, level: 'interval' }).value);
out.alpha_interval_200k_x5_21 = { ms: interval21Run.ms, alpha: interval21Run.result };

const interval101 = generate(random, 20_000, 5, range(101, (i) => String(i / 10)), 0.1, 0.6);
const interval101Run = time(7, () => krippendorffAlpha({ data: interval101, level: 'interval' }).value);
out.alpha_interval_20k_x5_101 = { ms: interval101Run.ms, alpha: interval101Run.result };
const ordinal101Run = time(7, () => krippendorffAlpha({ data: interval101, level: 'ordinal' }).value);
out.alpha_ordinal_20k_x5_101 = { ms: ordinal101Run.ms, alpha: ordinal101Run.result };

const boot = generate(random, 10_000, 3, range(10, (i) => `c${i}`), 0.1, 0.7);
const bootRun = time(1, () => bootstrapAlpha({ data: boot, level: 'nominal', replicates: 5000, seed: SEED }));
out.bootstrap_5000_10k_x3 = { ms: bootRun.ms, ci: bootRun.result };

out.peak_rss_mib = peakRssMib();
process.stdout.write(`${JSON.stringify(out)}\n`);
