/**
 * Live documents under load: builds and starts the real server as `pnpm start` runs it
 * (`apps/server/dist/main.mjs`; `--tsx` runs the sources instead) on a
 * temporary PGlite directory and a free loopback port, creates an owner, a project and D
 * items through the API, opens D `item:` documents x C stock y-websocket clients (cookie
 * auth, one process), lets every client make small edits at a rate for a bounded time, then
 * drains and checks convergence. Prints ONE JSON line and kills the server.
 *
 *   pnpm exec tsx bench/realtime.ts [--docs 50] [--clients 4] [--rate 2] [--duration 15]
 *     [--warmup 0] [--drain 10] [--server-cpus 0] [--max-seconds 120] [--database-url postgres://…]
 *     [--processes 2 --redis-url redis://127.0.0.1:6379 [--spread clients|docs]] [--tsx] [--node-args '…'] [--perf [--perf-freq 499]]
 *
 * --warmup S: edits for S seconds before the measured phase (each process's JIT compiles its
 * hot paths in the first tens of seconds of edits, later at lower rates: bench/README.md,
 * "Two processes: where the second process's CPU goes"); every figure is of the phase after it.
 * --database-url: an EMPTY PostgreSQL database on loopback instead of PGlite (it is not
 * dropped afterwards; the run needs the first-owner setup of an empty instance).
 * --processes 2: scale-out; that many server processes on the same database (needs
 * --database-url) and Redis, the clients of every document spread over them round-robin,
 * so most deliveries cross Redis: every edit is applied on both processes (`--spread docs`
 * puts each document's clients on one process instead, documents round-robin, as a load
 * balancer hashing the document name would: then nothing is applied twice). `servers` then
 * lists each process's RSS and CPU.
 *
 * Latency = per (edit, receiving client): from the sender's transaction to the receiver's
 * integration (send timestamp embedded in the edit; same process, same clock). Every edit
 * is persisted by the server before it is relayed, so this includes the database commit.
 * Server RSS from /proc/<pid>/status (sampled every 250 ms), CPU from /proc/<pid>/stat
 * over the edit phase (% of one core). `server.memory`: where its RSS is (bench/lib/memory-probe.ts),
 * after the clients connected and at the end of the edit phase. `server.live`: the server's own
 * view of the edit phase from its /metrics (relay and commit latency, updates per batch, GC
 * time, event loop delay: bench/lib/metrics-probe.ts `liveFigures`), to tell a delivery's p99
 * spent in the server from the clients' own. `--perf`: `server.onCpu`, the first server's CPU over
 * the edit phase split from on-CPU samples (`perf record -e cpu-clock` of all its threads:
 * bench/lib/perf-split.ts; `top` and `inclusive` name the functions, `--perf-freq` samples more often),
 * unlike `--cpu-prof`'s wall-clock samples of the main thread.
 * `--warmup S`: the clients edit S seconds before the measured phase, whose CPU, latencies,
 * `server.live`, `server.onCpu` and edits per second then leave the server's warm-up out
 * (TurboFan compiling is a quarter of its CPU in the first 20-30 s of editing); `edits.sent`
 * counts every edit (deliveries and convergence are checked for all), `edits.sentMeasured`
 * those of the measured phase.
 * `--alloc`: `server.allocation`, what the first server allocates over the measured phase, dead
 * or alive (V8's sampling heap profiler through the inspector, keeping the samples of collected
 * objects: bench/lib/inspector.ts): MB, bytes per edit sent and the functions that allocate most
 * (self). The server then runs with `--inspect` on a loopback port and the profiler costs CPU:
 * compare its CPU figures only with other `--alloc` runs. `--alloc-interval` (bytes, 32768):
 * the mean distance between samples.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setUpBenchProject } from './lib/bench-project.ts';
import { benchServerEnv, buildServerBundle, freePort, spawnServer, stopServer, type ServerProcess } from './lib/concord-process.ts';
import { inspectorArgs, openInspector, type AllocationProfile, type Inspector } from './lib/inspector.ts';
import { memoryBreakdown, type MemoryBreakdown } from './lib/memory-probe.ts';
import { perfSplit, recordPerf } from './lib/perf-split.ts';
import { runQueueProbe } from './lib/run-queue.ts';
import { BENCH_METRICS_TOKEN, liveFigures, metricsText } from './lib/metrics-probe.ts';
import { CLK_TCK, connectClient, DeliveryLog, editOnce, groupConverged, loadavg, now, procSample, quantile, round, sleep, type BenchClient } from './lib/yjs-clients.ts';

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '50' },
    clients: { type: 'string', default: '4' },
    rate: { type: 'string', default: '2' },
    duration: { type: 'string', default: '15' },
    /** Seconds of editing before the measured phase (TurboFan compiles a quarter of the CPU in the first 20-30 s: bench/README.md). */
    warmup: { type: 'string', default: '0' },
    drain: { type: 'string', default: '10' },
    'server-cpus': { type: 'string' },
    'database-url': { type: 'string' },
    'max-seconds': { type: 'string', default: '120' },
    processes: { type: 'string', default: '1' },
    spread: { type: 'string', default: 'clients' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    tsx: { type: 'boolean', default: false },
    /** Write a V8 CPU profile of each server process into this directory (on its SIGTERM exit). */
    'cpu-prof': { type: 'string' },
    /** More node options for each server, after the launcher's (`--max-semi-space-size=16`: Node 20's default). */
    'node-args': { type: 'string', default: '' },
    /** On-CPU samples of the first server over the edit phase (`perf record -e cpu-clock`, bench/lib/perf-split.ts): `server.onCpu`. */
    perf: { type: 'boolean', default: false },
    /** Samples per second and thread for --perf (more resolve single functions; perf's own cost grows with them). */
    'perf-freq': { type: 'string', default: '499' },
    /** What the first server allocates over the measured phase (the inspector's sampling heap profiler): `server.allocation`. */
    alloc: { type: 'boolean', default: false },
    'alloc-interval': { type: 'string', default: '32768' },
  },
});
const num = (name: keyof typeof flags, min: number, max: number): number => {
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}]`);
  return n;
};
const DOCS = num('docs', 1, 1000);
const CLIENTS = num('clients', 2, 50);
const RATE = num('rate', 0.1, 50);
const DURATION_S = num('duration', 1, 600);
const WARMUP_S = num('warmup', 0, 600);
const DRAIN_S = num('drain', 1, 120);
/** The watchdog: a run ends after this long, plus its warm-up. */
const MAX_SECONDS = num('max-seconds', 10, 1800) + WARMUP_S;
const PROCESSES = num('processes', 1, 8);
if (PROCESSES > 1 && !flags['database-url']) throw new Error('--processes above 1 needs --database-url (PGlite is one process only)');
if (flags.spread !== 'clients' && flags.spread !== 'docs') throw new Error('--spread must be clients or docs');
/** Which process a client connects to. */
const processOf = (doc: number, client: number) => (flags.spread === 'docs' ? doc : client) % PROCESSES;

// ---------------------------------------------------------------- server process

const servers: ChildProcess[] = [];
let dataDir: string | null = null;
/** The first server's inspector (--alloc). */
let inspector: Inspector | null = null;

async function startServer(): Promise<ServerProcess> {
  dataDir ??= await mkdtemp(path.join(tmpdir(), 'concord-realtime-'));
  const port = await freePort();
  const inspect = flags.alloc && servers.length === 0 ? await inspectorArgs() : null;
  const server = await spawnServer({
    tsx: flags.tsx,
    cpus: flags['server-cpus'],
    nodeArgs: [
      ...(inspect?.nodeArgs ?? []),
      ...(flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['cpu-prof'])}`] : []),
      // JavaScript frames by name in perf's samples (node writes /tmp/perf-PID.map; removed after the run).
      ...(flags.perf ? ['--perf-basic-prof'] : []),
      ...flags['node-args']!.split(' ').filter(Boolean),
    ],
    env: benchServerEnv({
      PORT: String(port),
      CONCORD_DATA_DIR: dataDir,
      CONCORD_METRICS_TOKEN: BENCH_METRICS_TOKEN,
      ...(flags['database-url'] ? { DATABASE_URL: flags['database-url'] } : {}),
      ...(PROCESSES > 1 ? { REDIS_URL: flags['redis-url']!, CONCORD_REDIS_PREFIX: `concord-bench:${process.pid}` } : {}),
    }),
  });
  servers.push(server.child);
  if (inspect) inspector = await openInspector(inspect.port);
  return server;
}

async function stopServers(): Promise<void> {
  inspector?.close();
  inspector = null;
  // A profile is written on exit, after the shutdown (1,000 connections' rooms unload first).
  const pids = servers.map((s) => s.pid);
  await Promise.all(servers.splice(0).map((s) => stopServer(s, flags['cpu-prof'] ? 60_000 : 5_000)));
  if (flags.perf) await Promise.all(pids.map((pid) => rm(`/tmp/perf-${pid}.map`, { force: true })));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
}

// The watchdog: whatever happens, the run ends and the server dies.
const watchdog = setTimeout(() => {
  for (const child of servers) child.kill('SIGKILL');
  process.stderr.write(`realtime bench: watchdog after ${MAX_SECONDS} s\n`);
  process.exit(1);
}, MAX_SECONDS * 1000);
watchdog.unref();

const log = new DeliveryLog();

// ---------------------------------------------------------------- run

async function main() {
  if (!flags.tsx) buildServerBundle();
  const started = now();
  const starts: ServerProcess[] = [];
  for (let i = 0; i < PROCESSES; i++) starts.push(await startServer());
  const { baseUrl } = starts[0]!;
  const pids = starts.map((s) => s.pid);
  const memoryOf = () => Promise.all(starts.map((s) => memoryBreakdown(s.pid, s.baseUrl)));
  let memoryIdle: (MemoryBreakdown | null)[] = [];
  let memoryLoaded: (MemoryBreakdown | null)[] = [];
  const rss: number[][] = pids.map(() => []);
  const sampler = setInterval(() => {
    for (const [i, pid] of pids.entries()) {
      void procSample(pid).then((s) => {
        if (s) rss[i]!.push(s.rssMb);
      });
    }
  }, 250);
  const sampleAll = () => Promise.all(pids.map(procSample));
  try {
    const { cookie, userId, docNames } = await setUpBenchProject(baseUrl, DOCS);
    const idle = await sampleAll();
    memoryIdle = await memoryOf();
    const wsUrls = starts.map((s) => `${s.baseUrl.replace(/^http/, 'ws')}/yjs`);

    // Connect, a bounded number at a time.
    const tConnect = now();
    const docs: BenchClient[][] = [];
    for (let d = 0; d < DOCS; d++) {
      docs.push(Array.from({ length: CLIENTS }, (_, c) => connectClient({ wsUrl: wsUrls[processOf(d, c)]!, docName: docNames[d]!, cookie, authorId: userId, index: c, log })));
    }
    const clients = docs.flat();
    const syncTimes = await Promise.race([
      Promise.all(clients.map((c) => c.synced)),
      sleep(60_000).then(() => {
        throw new Error('not every client synced within 60 s');
      }),
    ]);
    const connectS = (now() - tConnect) / 1000;

    // Edit phase: every client at RATE edits/s, starts staggered over one period; the first
    // WARMUP_S seconds of it are not measured (no latency samples, no CPU).
    const period = 1000 / RATE;
    const scrapesOf = () => Promise.all(starts.map((s) => metricsText(s.baseUrl)));
    const stops: (() => void)[] = [];
    const sentSoFar = () => clients.reduce((n, c) => n + c.sent, 0);
    const startEditing = () =>
      clients.map((c) =>
        setTimeout(() => {
          editOnce(c);
          const interval = setInterval(() => editOnce(c), period);
          stops.push(() => clearInterval(interval));
        }, Math.random() * period),
      );
    // With --warmup the clients edit before the measured phase (no latency samples, CPU or edits counted).
    log.measuring = WARMUP_S === 0;
    const timers = WARMUP_S > 0 ? startEditing() : [];
    if (WARMUP_S > 0) await sleep(WARMUP_S * 1000);
    const scrape0 = await scrapesOf();
    // The servers' CPU and the edits sent are read together at both ends of the measured phase
    // (the scrapes and the memory probe outside it).
    const runQueue = runQueueProbe(pids, flags['database-url'] ?? null);
    const rq0 = await runQueue.sample();
    if (inspector) await inspector.startAllocationSampling(num('alloc-interval', 1, 2 ** 24));
    const cpu0 = await sampleAll();
    const sentBefore = sentSoFar();
    log.measuring = true;
    const tEdit = now();
    // The first server's on-CPU samples over the edit phase (every thread: V8's GC and compiler helpers too).
    const perfData = flags.perf ? path.join(dataDir!, 'perf.data') : null;
    const recording = perfData ? recordPerf(pids[0]!, DURATION_S, perfData, num('perf-freq', 1, 10_000)) : null;
    if (WARMUP_S === 0) timers.push(...startEditing());
    // For profilers: the measured phase on CLOCK_MONOTONIC (`perf record -k CLOCK_MONOTONIC`).
    const monotonic = () => Number(process.hrtime.bigint() / 1000n) / 1e6;
    const measuredFrom = monotonic();
    await sleep(DURATION_S * 1000);
    const cpu1 = await sampleAll();
    /** Edits of the measured phase (CPU per edit); every edit, warm-up included, must arrive. */
    const sent = sentSoFar() - sentBefore;
    const allocation: AllocationProfile | null = inspector ? await inspector.stopAllocationSampling() : null;
    const editS = (now() - tEdit) / 1000;
    const runQueueWait = runQueue.figures(rq0, await runQueue.sample(), editS);
    await runQueue.close();
    const measuredTo = monotonic();
    // Before the memory probe, which scrapes /metrics too (and so resets the event loop's delay).
    const scrape1 = await scrapesOf();
    memoryLoaded = await memoryOf();
    timers.forEach(clearTimeout);
    stops.forEach((stop) => stop());
    const onCpu = recording && perfData ? await recording.then(() => perfSplit(perfData)) : null;
    /** Every edit, warm-up included (each must arrive); `sent` above is the measured phase's. */
    const sentTotal = sentSoFar();
    const sentMeasured = sent;

    // Drain: until every client has every other client's last edit, or the drain timeout.
    const complete = () => docs.every((group) => group.every((r) => group.every((s) => s === r || (r.seen.get(s.index) ?? 0) === s.sent)));
    const tDrain = now();
    while (!complete() && now() - tDrain < DRAIN_S * 1000) await sleep(50);
    const drainMs = now() - tDrain;
    log.measuring = false;
    const cpu2 = await sampleAll();

    // Convergence: same state vector and same content on every client of a doc.
    const converged = docs.filter(groupConverged).length;
    const expected = sentTotal * (CLIENTS - 1);
    const sorted = [...log.latencies].sort((a, b) => a - b);
    const syncSorted = [...syncTimes].sort((a, b) => a - b);
    type Sample = Awaited<ReturnType<typeof procSample>>;
    const ticks = (a: Sample, b: Sample) => (a && b ? b.cpuTicks - a.cpuTicks : 0);
    const sysTicks = (a: Sample, b: Sample) => (a && b ? b.sysTicks - a.sysTicks : 0);
    const perServer = pids.map((pid, i) => ({
      pid,
      rssIdleMb: round(idle[i]?.rssMb ?? null),
      rssPeakMb: round(rss[i]!.length ? Math.max(...rss[i]!) : null),
      cpuEditPct: round((ticks(cpu0[i]!, cpu1[i]!) / CLK_TCK / editS) * 100),
      /** Of which in the kernel (socket writes to PostgreSQL, Redis and clients are most of it). */
      cpuEditSysPct: round((sysTicks(cpu0[i]!, cpu1[i]!) / CLK_TCK / editS) * 100),
      cpuDrainS: round(ticks(cpu1[i]!, cpu2[i]!) / CLK_TCK, 2),
      memory: { idle: memoryIdle[i] ?? null, endOfEdits: memoryLoaded[i] ?? null },
      live: scrape0[i] && scrape1[i] ? liveFigures(scrape0[i]!, scrape1[i]!) : null,
      ...(i === 0 && onCpu ? { onCpu } : {}),
      ...(i === 0 && allocation
        ? { allocation: { mb: round(allocation.totalBytes / 2 ** 20), bytesPerEdit: Math.round(allocation.totalBytes / Math.max(1, sent)), top: allocation.top } }
        : {}),
    }));
    const closes = clients.flatMap((c) => c.closes);

    for (const c of clients) c.provider.destroy();
    clearInterval(sampler);
    const result = {
      bench: 'realtime',
      docs: DOCS,
      clientsPerDoc: CLIENTS,
      connections: clients.length,
      rate: RATE,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      measuredMonotonicS: [round(measuredFrom, 3), round(measuredTo, 3)],
      serverCpus: flags['server-cpus'] ?? null,
      database: flags['database-url'] ? 'postgres' : 'pglite',
      processes: PROCESSES,
      ...(PROCESSES > 1 ? { spread: flags.spread } : {}),
      connect: { allSyncedS: round(connectS, 2), syncedP50Ms: round(quantile(syncSorted, 0.5)), syncedP95Ms: round(quantile(syncSorted, 0.95)) },
      latencyMs: {
        samples: sorted.length,
        p50: round(quantile(sorted, 0.5), 2),
        p95: round(quantile(sorted, 0.95), 2),
        p99: round(quantile(sorted, 0.99), 2),
        max: round(sorted.length ? sorted[sorted.length - 1]! : null, 2),
      },
      edits: {
        sent: sentTotal,
        ...(WARMUP_S > 0 ? { sentMeasured } : {}),
        editsPerSec: round(sentMeasured / editS),
        /** Every server process' CPU over the edit phase per edit sent (comparable across loads better than %). */
        serverCpuMsPerEdit: round((pids.reduce((n, _, i) => n + ticks(cpu0[i]!, cpu1[i]!), 0) / CLK_TCK / Math.max(1, sentMeasured)) * 1000, 3),
        expectedDeliveries: expected,
        delivered: log.delivered,
        deliveredPerSec: round(log.delivered / (WARMUP_S + editS + drainMs / 1000)),
        undelivered: expected - log.delivered - log.coalesced,
        coalesced: log.coalesced,
      },
      /** Waiting for a CPU over the measured phase (bench/lib/run-queue.ts): the servers, this client process, PostgreSQL's backends per commit. */
      runQueueWait,
      drainMs: Math.round(drainMs),
      convergence: { ok: converged === DOCS && log.delivered + log.coalesced === expected, converged, docs: DOCS },
      server: perServer[0],
      ...(PROCESSES > 1 ? { servers: perServer } : {}),
      closes: closes.length,
      loadavg: await loadavg(),
      wallS: round((now() - started) / 1000),
    };
    console.log(JSON.stringify(result));
    process.exitCode = result.convergence.ok ? 0 : 1;
  } finally {
    clearInterval(sampler);
    await stopServers();
  }
}

try {
  await main();
} catch (err) {
  process.stderr.write(`realtime bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  await stopServers();
  process.exitCode = 1;
}
clearTimeout(watchdog);
process.exit();
