/**
 * Where a server process spends its CPU, from on-CPU samples: `perf record -e cpu-clock`
 * (a software event, so it works on this VM without hardware counters) of every thread of the
 * process, with JavaScript frames named through node's `--perf-basic-prof` map
 * (/tmp/perf-PID.map). Unlike `--cpu-prof`, whose samples are wall-clock time of the main
 * thread (a thread descheduled inside a syscall keeps being charged to it: on a loaded host
 * postgres.js's socket write looked like 15 % of the server, because the write wakes a
 * PostgreSQL backend that takes the core), these samples are CPU time only, and include V8's
 * helper threads (concurrent marking, parallel scavenges, TurboFan's background compiles).
 *
 * `perfSplit` reads one recording and returns shares of the samples (percent) by where the
 * sampled frame was: GC and compilation on helper threads, GC on the main thread, the kernel
 * by syscall (socket writes split by the JavaScript that wrote: Concord's relay, postgres.js,
 * ws's own sends), and JavaScript by package (Concord's bundle, yjs, lib0, postgres.js, ws,
 * node's internals).
 */
import { spawn } from 'node:child_process';

export interface OnCpuSplit {
  samples: number;
  /** Percent of samples in each category (rounded to 0.1). */
  shares: Record<string, number>;
  /** The innermost frames with the most samples (self time): "category | symbol" → percent. */
  top: Record<string, number>;
  /** JavaScript functions by the samples they are anywhere on the stack of (inclusive time): "symbol" → percent. */
  inclusive: Record<string, number>;
}

/** Records `seconds` of on-CPU samples of every thread of `pid` into `out` (perf.data). */
export function recordPerf(pid: number, seconds: number, out: string, frequency = 499): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('perf', ['record', '-e', 'cpu-clock', '-F', String(frequency), '-g', '-p', String(pid), '-o', out, '--', 'sleep', String(seconds)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`perf record exited ${code}: ${err}`))));
  });
}

/** `perf script`'s text of a recording. */
function perfScript(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('perf', ['script', '-i', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`perf script exited ${code}`))));
  });
}

const GC = /Scaveng|MarkCompact|ConcurrentMarking|IncrementalMarking|MarkingVisitor|Sweeper|Evacuat|PointersUpdating|ArrayBufferSweeper|Heap::|GCTracer|MinorMarkSweep/;
const COMPILE = /compiler::|Compil|Maglev|Turbofan/;
/** The syscall a kernel sample is in (ws's corked sends are `writev`: `do_writev`, its `__x64_sys_writev` frame inlined away). */
const SYSCALL = /^(ksys_\w+|__x64_sys_\w+|do_epoll_wait|do_writev|do_readv)/;

/** The package a JavaScript frame (`JS:*name url:line:col`) belongs to. */
function packageOf(frame: string): string {
  if (frame.includes('/dist/main.mjs')) return 'concord';
  for (const name of ['yjs', 'lib0', 'postgres', 'ws', 'ioredis', 'drizzle-orm', 'y-protocols']) {
    if (frame.includes(`/${name}@`)) return name;
  }
  if (frame.includes(' node:')) return 'node';
  return 'other';
}

/** Splits one `perf script` sample (its frames, innermost first) into a category. */
export function categoryOf(frames: { symbol: string; dso: string }[]): string {
  const symbols = frames.map((f) => f.symbol);
  const outermost = symbols.slice(-6).join(' ');
  if (outermost.includes('PlatformWorkerThread')) {
    const all = symbols.join(' ');
    return GC.test(all) ? 'workers:gc' : COMPILE.test(all) ? 'workers:compile' : 'workers:other';
  }
  const top = symbols[0] ?? '';
  const firstJs = symbols.find((s) => s.startsWith('JS:'));
  if (frames[0]?.dso.includes('kallsyms')) {
    const call = symbols.find((s) => SYSCALL.test(s))?.replace(/\+0x.*$/, '') ?? 'other';
    const name = call.replace(/^(ksys_|__x64_sys_|do_)/, '');
    if (name === 'write' || name === 'writev') {
      // Who wrote: the first frame of Concord, postgres.js or ws (node's stream frames are below them).
      const writer = symbols.find((s) => s.startsWith('JS:') && ['concord', 'postgres', 'ws', 'ioredis'].includes(packageOf(s)));
      return `kernel:write:${writer ? packageOf(writer) : 'other'}`;
    }
    return `kernel:${name}`;
  }
  if (!top.startsWith('JS:') && GC.test(symbols.slice(0, 12).join(' '))) return 'main:gc';
  if (COMPILE.test(top)) return 'main:compile';
  return firstJs ? `js:${packageOf(firstJs)}` : 'main:native';
}

/** A frame's symbol without V8's tier marker and the package store's path. */
const shortName = (symbol: string) =>
  symbol
    .replace(/^JS:[*~^]?/, '')
    .replace(/ [^ ]*node_modules\/\.pnpm\/([^/]+)\/.*\/([^/]+)$/, ' $1/$2')
    .replace(/ file:\/\/\/[^ ]*\/dist\/main\.mjs:(\d+):\d+$/, ' main.mjs:$1');

/** How many functions `top` lists. */
const TOP_FUNCTIONS = 40;

/** Reads a recording into shares by category. */
export async function perfSplit(file: string): Promise<OnCpuSplit> {
  const text = await perfScript(file);
  const counts = new Map<string, number>();
  const selfCounts = new Map<string, number>();
  const inclusiveCounts = new Map<string, number>();
  let samples = 0;
  for (const block of text.split(/\n\s*\n/)) {
    const frames: { symbol: string; dso: string }[] = [];
    for (const line of block.split('\n').slice(1)) {
      const m = /^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)$/.exec(line);
      if (m) frames.push({ symbol: m[1]!.replace(/\+0x[0-9a-f]+$/, ''), dso: m[2]! });
    }
    if (!frames.length) continue;
    samples++;
    const category = categoryOf(frames);
    counts.set(category, (counts.get(category) ?? 0) + 1);
    // Self time by function: the innermost frame, JavaScript names without their code address's prefix.
    const self = `${category} | ${shortName(frames[0]!.symbol)}`;
    selfCounts.set(self, (selfCounts.get(self) ?? 0) + 1);
    for (const name of new Set(frames.filter((f) => f.symbol.startsWith('JS:')).map((f) => shortName(f.symbol)))) {
      inclusiveCounts.set(name, (inclusiveCounts.get(name) ?? 0) + 1);
    }
  }
  const percent = (entries: Iterable<[string, number]>, n: number) =>
    Object.fromEntries([...entries].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, c]) => [k, Math.round((1000 * c) / Math.max(1, samples)) / 10]));
  return { samples, shares: percent(counts, Infinity), top: percent(selfCounts, TOP_FUNCTIONS), inclusive: percent(inclusiveCounts, 2 * TOP_FUNCTIONS) };
}
