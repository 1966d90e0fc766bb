/**
 * Benchmark of the whole `concord reliability` process on a 1,000,000 units x
 * 5 coders CSV (10 categories, 10% missing), run as users run it: the `concord` bin
 * (`apps/server/bin/concord.mjs`, the bundled CLI; built once before timing). Process start,
 * reading, parsing and alpha. Target: under 400 ms. Prints ONE JSON line. `median_cpu_ms` is
 * the child's user + system CPU time (GNU time, 10 ms resolution): what the process costs,
 * which other load on a shared machine delays but does not inflate, unlike `median_ms`.
 * Run from the repository root: pnpm exec tsx bench/reliability-cli.ts [--seed N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRandom } from '../packages/reliability/src/index.ts';

const seedArg = process.argv.indexOf('--seed');
const SEED = seedArg >= 0 ? Number(process.argv[seedArg + 1]) : 20240601;
const UNITS = 1_000_000;
const CODERS = 5;
const CATEGORIES = Array.from({ length: 10 }, (_, i) => `c${i}`);
const RUNS = 3;
const HAS_TIME = existsSync('/usr/bin/time');

const random = createRandom(SEED);
const lines: string[] = [`unit,${Array.from({ length: CODERS }, (_, c) => `coder${c + 1}`).join(',')}`];
for (let u = 0; u < UNITS; u++) {
  const truth = Math.floor(random() * CATEGORIES.length);
  const cells = [`u${u + 1}`];
  for (let c = 0; c < CODERS; c++) {
    if (random() < 0.1) cells.push('');
    else cells.push(CATEGORIES[random() < 0.7 ? truth : Math.floor(random() * CATEGORIES.length)] ?? '');
  }
  lines.push(cells.join(','));
}
const dir = mkdtempSync(join(tmpdir(), 'concord-reliability-bench-'));
const file = join(dir, 'codes.csv');
writeFileSync(file, `${lines.join('\n')}\n`);
lines.length = 0;

const BIN = 'apps/server/bin/concord.mjs';
// The first run builds the bundle if a source is newer: not part of what is timed.
spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' });

const times: number[] = [];
const cpuTimes: number[] = [];
let report: unknown = null;
let peakRssMib: number | null = null;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const command = [process.execPath, BIN, 'reliability', file, '--json'];
  // GNU time reports the child's peak RSS (KiB) and CPU seconds on stderr; without it, only the wall time is measured.
  const run = HAS_TIME
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...command], { encoding: 'utf8', maxBuffer: 1 << 20 })
    : spawnSync(command[0] ?? process.execPath, command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 20 });
  times.push(performance.now() - t0);
  if (run.status !== 0) {
    process.stdout.write(`${JSON.stringify({ bench: 'reliability-cli', error: run.stderr || run.error?.message })}\n`);
    process.exit(1);
  }
  report = JSON.parse(run.stdout);
  const [kib, user, system] = HAS_TIME ? (run.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number) : [];
  if (kib !== undefined && Number.isFinite(kib)) peakRssMib = Math.round(kib / 1024);
  if (user !== undefined && system !== undefined && Number.isFinite(user + system)) cpuTimes.push((user + system) * 1000);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    bench: 'reliability-cli',
    seed: SEED,
    units: UNITS,
    coders: CODERS,
    csv_mib: Math.round(statSync(file).size / 1048576),
    runs: RUNS,
    median_ms: Math.round(times[Math.floor(RUNS / 2)] ?? NaN),
    min_ms: Math.round(times[0] ?? NaN),
    median_cpu_ms: cpuTimes.length ? Math.round(cpuTimes[Math.floor(cpuTimes.length / 2)]!) : null,
    min_cpu_ms: cpuTimes.length ? Math.round(cpuTimes[0]!) : null,
    peak_rss_mib: peakRssMib,
    value: (report as { value?: unknown } | null)?.value ?? null,
  })}\n`,
);
rmSync(dir, { recursive: true, force: true });
