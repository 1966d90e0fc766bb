/**
 * A vitest reporter that measures the CPU time of each test file: every process of the run's tree
 * (the vitest process, its workers, the server processes, Chromium, CLI runs), read from /proc at
 * the file's start and end. Meaningful only when files run one at a time (the server's single
 * worker does; the e2e package runs two at a time unless given `--maxWorkers=1`). Wall time on
 * the shared 2-core host is mostly waiting for the CPU; CPU time is the comparable figure.
 * PostgreSQL's backends are not our children: not counted.
 *
 *   pnpm exec vitest run --reporter=default --reporter=../../bench/test-cpu-reporter.ts
 *
 * prints one JSON line at the end: `{"bench":"test-cpu","totalCpuS",…,"files":{path: cpuS}}`,
 * the files sorted by CPU, most first (and a `test-cpu <file> <s>` line on stderr as each ends).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  ppid: number;
  /** utime + stime + cutime + cstime: the process's own CPU and that of its reaped children. */
  ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i - 3]);
    return { ppid: n(4), ticks: n(14) + n(15) + n(16) + n(17) };
  } catch {
    return null; // gone between readdir and read
  }
}

/** CPU seconds of `root` and every live descendant (exited ones are in their parent's cutime). */
export function treeCpuSeconds(root = process.pid): number {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, stat] of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  let ticks = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

export default class TestCpuReporter implements Reporter {
  private readonly started = new Map<string, number>();
  private readonly files: Record<string, number> = {};
  private readonly runStart = treeCpuSeconds();
  private readonly wallStart = Date.now();

  onTestModuleStart(module: TestModule) {
    this.started.set(module.moduleId, treeCpuSeconds());
  }

  onTestModuleEnd(module: TestModule) {
    const start = this.started.get(module.moduleId);
    if (start === undefined) return;
    const file = path.relative(process.cwd(), module.moduleId);
    this.files[file] = Math.round((treeCpuSeconds() - start) * 100) / 100;
    // As each file ends too, so a run cut short still says something.
    process.stderr.write(`test-cpu ${file} ${this.files[file]} s (load ${loadavg()[0]!.toFixed(1)})\n`);
  }

  onTestRunEnd() {
    const files = Object.fromEntries(Object.entries(this.files).sort(([, a], [, b]) => b - a));
    const inFiles = Object.values(files).reduce((a, b) => a + b, 0);
    const totalCpuS = Math.round((treeCpuSeconds() - this.runStart) * 10) / 10;
    const line = {
      bench: 'test-cpu',
      cwd: process.cwd(),
      totalCpuS,
      inFilesCpuS: Math.round(inFiles * 10) / 10,
      wallS: Math.round((Date.now() - this.wallStart) / 1000),
      load: loadavg().map((l) => Math.round(l * 10) / 10),
      files,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
