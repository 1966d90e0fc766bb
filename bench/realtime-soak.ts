/**
 * Live documents over time: D documents x C clients edit at a rate for a long run while a
 * share of the documents is closed and reopened by all its clients on a schedule (the server
 * unloads a document when its last client leaves and loads it again on the next connection).
 * Reports the server's RSS after warm-up and at the end (growth, the target is under 10 %),
 * delivery latency, convergence, and after every client left, the documents and connections
 * the server still holds (from `/metrics`; the target is none: no leaked rooms).
 * Prints ONE JSON line and stops the server.
 *
 *   pnpm exec tsx bench/realtime-soak.ts [--docs 200] [--clients 5] [--rate 2] [--duration 600]
 *     [--warmup 60] [--churn-every 10] [--churn-share 0.1] [--server-cpus 0]
 *     [--database-url postgres://…  (an EMPTY database)] [--edits bounded|full] [--node-args '…']
 *
 * `--edits bounded` (the default) keeps every document the same size over the run (see
 * `EditKind`): RSS growth then measures what the server leaks, not what the documents hold.
 * RSS after warm-up is the median over the minute after `--warmup` seconds, RSS at the end the
 * median over the last minute (both shorter on short runs: a fifth of the run each).
 * `--node-args` go to node after the launcher's own (`--max-semi-space-size=16` is Node 20's
 * default, for an A/B of the launcher's settings; `MALLOC_ARENA_MAX` passes through the environment).
 * `memory` is the server's breakdown (bench/lib/memory-probe.ts) after warm-up and at the end.
 *
 * `afterGc` (on by default; `--no-after-gc` leaves the inspector off): what the server retains,
 * without the garbage and the room V8 keeps between collections that the medians above include.
 * The server runs with `--inspect=127.0.0.1:<free port>` (bench/lib/inspector.ts; no change to
 * the server) and the bench forces a full collection (`HeapProfiler.collectGarbage`: compacting,
 * young generation shrunk, free pages released), then reads RSS (/proc) and V8's used heap
 * (`Runtime.getHeapUsage`) a second later: once at the end of the after-warm-up window (the
 * median of that window is taken before it, so it is not disturbed) and once at the end of the
 * run (after the last window). `rssGrowthPct` and `heapGrowthPct` compare the two; a leak grows
 * `heapGrowthPct`, V8's schedule does not.
 */
import * as Y from 'yjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setUpBenchProject } from './lib/bench-project.ts';
import { benchServerEnv, buildServerBundle, freePort, spawnServer, stopServer, type ServerProcess } from './lib/concord-process.ts';
import { inspectorArgs, openInspector, type Inspector } from './lib/inspector.ts';
import { memoryBreakdown, type MemoryBreakdown } from './lib/memory-probe.ts';
import { BENCH_METRICS_TOKEN, liveCounts } from './lib/metrics-probe.ts';
import { CLK_TCK, connectClient, DeliveryLog, editOnce, groupConverged, loadavg, median, now, procSample, quantile, round, sleep, type BenchClient, type EditKind } from './lib/yjs-clients.ts';

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '200' },
    clients: { type: 'string', default: '5' },
    rate: { type: 'string', default: '2' },
    duration: { type: 'string', default: '600' },
    warmup: { type: 'string', default: '60' },
    'churn-every': { type: 'string', default: '10' },
    'churn-share': { type: 'string', default: '0.1' },
    'server-cpus': { type: 'string' },
    'database-url': { type: 'string' },
    edits: { type: 'string', default: 'bounded' },
    'node-args': { type: 'string', default: '' },
    'after-gc': { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const num = (name: keyof typeof flags, min: number, max: number): number => {
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}]`);
  return n;
};
const DOCS = num('docs', 1, 2000);
const CLIENTS = num('clients', 2, 50);
const RATE = num('rate', 0.1, 50);
const DURATION_S = num('duration', 5, 7200);
const WARMUP_S = Math.min(num('warmup', 0, 3600), DURATION_S / 2);
const CHURN_EVERY_S = num('churn-every', 1, 3600);
const CHURN_SHARE = num('churn-share', 0, 1);
if (flags.edits !== 'bounded' && flags.edits !== 'full') throw new Error('--edits must be bounded or full');
const EDITS: EditKind = flags.edits;
/** The window of each RSS median: a minute, or a fifth of a short run. */
const WINDOW_S = Math.min(60, DURATION_S / 5);

/** What the run started, for the cleanup whatever happens. */
const started: { server: ServerProcess | null; dataDir: string | null } = { server: null, dataDir: null };
const watchdog = setTimeout(() => {
  started.server?.child.kill('SIGKILL');
  process.stderr.write('realtime soak: watchdog\n');
  process.exit(1);
}, (DURATION_S + 300) * 1000);
watchdog.unref();

async function main() {
  buildServerBundle();
  const dataDir = (started.dataDir = await mkdtemp(path.join(tmpdir(), 'concord-soak-')));
  const inspect = flags['after-gc'] ? await inspectorArgs() : null;
  const server = (started.server = await spawnServer({
    cpus: flags['server-cpus'],
    nodeArgs: [...(inspect?.nodeArgs ?? []), ...flags['node-args']!.split(' ').filter(Boolean)],
    env: benchServerEnv({
      PORT: String(await freePort()),
      CONCORD_DATA_DIR: dataDir,
      CONCORD_METRICS_TOKEN: BENCH_METRICS_TOKEN,
      ...(flags['database-url'] ? { DATABASE_URL: flags['database-url'] } : {}),
    }),
  }));
  const { baseUrl, pid } = server;
  const inspector: Inspector | null = inspect ? await openInspector(inspect.port) : null;
  /** RSS and V8's used heap a second after a forced full collection (null without the inspector). */
  const afterFullGc = async () => {
    if (!inspector) return null;
    await inspector.collectGarbage();
    await sleep(1000);
    const [s, heap] = await Promise.all([procSample(pid), inspector.send<{ usedSize: number }>('Runtime.getHeapUsage')]);
    return { rssMb: round(s?.rssMb ?? null), heapUsedMb: round(heap.usedSize / 2 ** 20) };
  };
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/yjs`;
  const { cookie, userId, docNames } = await setUpBenchProject(baseUrl, DOCS);
  const log = new DeliveryLog();
  log.measuring = false;

  // One timer per client; a reopened document's clients continue their senders' sequences.
  const timers = new Map<BenchClient, ReturnType<typeof setInterval>>();
  const period = 1000 / RATE;
  const startEditing = (c: BenchClient) => {
    const first = setTimeout(() => {
      editOnce(c, EDITS);
      timers.set(c, setInterval(() => editOnce(c, EDITS), period));
    }, Math.random() * period);
    timers.set(c, first);
  };
  const stopEditing = (c: BenchClient) => {
    clearTimeout(timers.get(c));
    clearInterval(timers.get(c));
    timers.delete(c);
  };
  const open = (d: number, previous?: BenchClient[]) =>
    Array.from({ length: CLIENTS }, (_, i) => {
      const c = connectClient({ wsUrl, docName: docNames[d]!, cookie, authorId: userId, index: i, log });
      c.sent = previous?.[i]?.sent ?? 0;
      return c;
    });

  const docs = docNames.map((_, d) => open(d));
  await Promise.all(docs.flat().map((c) => c.synced));
  const idle = await procSample(pid);
  for (const c of docs.flat()) startEditing(c);

  const samples: { t: number; rssMb: number }[] = [];
  const heapSamples: { t: number; heapMb: number }[] = [];
  const t0 = now();
  const cpuStart = await procSample(pid);
  const sampler = setInterval(() => {
    void procSample(pid).then((s) => {
      if (s) samples.push({ t: (now() - t0) / 1000, rssMb: s.rssMb });
    });
    void liveCounts(baseUrl)
      .then((c) => {
        if (c?.heapUsedMb != null) heapSamples.push({ t: (now() - t0) / 1000, heapMb: c.heapUsedMb });
      })
      .catch(() => undefined);
  }, 1000);
  setTimeout(() => (log.measuring = true), WARMUP_S * 1000);
  let memoryWarm: MemoryBreakdown | null = null;
  const warmProbe = setTimeout(() => void memoryBreakdown(pid, baseUrl).then((m) => (memoryWarm = m)), (WARMUP_S + WINDOW_S / 2) * 1000);
  // After the after-warm-up window (its median is not disturbed by the collection).
  let gcWarm: Promise<Awaited<ReturnType<typeof afterFullGc>>> = Promise.resolve(null);
  const warmGc = setTimeout(() => (gcWarm = afterFullGc()), (WARMUP_S + WINDOW_S) * 1000);

  // Churn: every CHURN_EVERY_S, the next share of documents is closed by all its clients
  // (the server unloads it) and reopened with fresh documents (the server loads it again).
  let reopened = 0;
  let cursor = 0;
  const perRound = Math.round(DOCS * CHURN_SHARE);
  const churn = setInterval(() => {
    for (let k = 0; k < perRound; k++) {
      const d = cursor++ % DOCS;
      const old = docs[d]!;
      for (const c of old) {
        stopEditing(c);
        c.provider.destroy();
      }
      // After the server saw every close (it then unloads), the clients come back.
      setTimeout(() => {
        docs[d] = open(d, old);
        for (const c of docs[d]) startEditing(c);
        reopened++;
      }, 500);
    }
  }, CHURN_EVERY_S * 1000);

  await sleep(DURATION_S * 1000);
  clearTimeout(warmProbe);
  clearTimeout(warmGc);
  const memoryEnd = await memoryBreakdown(pid, baseUrl);
  const cpuEnd = await procSample(pid);
  clearInterval(sampler);
  // While the clients still edit, as after warm-up (after the CPU sample: the collection is not the run's).
  const gcEnd = await afterFullGc();
  const gcAfterWarmup = await gcWarm;
  clearInterval(churn);
  for (const c of [...timers.keys()]) stopEditing(c);
  log.measuring = false;

  // Drain, then convergence of every document's current clients.
  await sleep(1000);
  await Promise.all(docs.flat().map((c) => c.synced));
  const tDrain = now();
  let converged = 0;
  while (now() - tDrain < 30_000) {
    converged = docs.filter(groupConverged).length;
    if (converged === DOCS) break;
    await sleep(250);
  }

  // What a group that did not converge looks like (printed to stderr, not part of the JSON line):
  // each client's connection state, closes seen, and the clocks it lacks against the group's union.
  const unconverged = docs.map((group, d) => ({ group, d })).filter(({ group }) => !groupConverged(group));
  for (const { group, d } of unconverged.slice(0, 5)) {
    const svs = group.map((c) => Y.decodeStateVector(Y.encodeStateVector(c.doc)));
    const union = new Map<number, number>();
    for (const sv of svs) for (const [id, clock] of sv) union.set(id, Math.max(union.get(id) ?? 0, clock));
    const lacks = svs.map((sv) => [...union].filter(([id, clock]) => (sv.get(id) ?? 0) < clock).map(([id, clock]) => `${id}:${sv.get(id) ?? 0}<${clock}`));
    process.stderr.write(
      `unconverged doc ${d}: ${JSON.stringify(group.map((c, i) => ({ connected: c.provider.wsconnected, synced: c.provider.synced, closes: c.closes, lacks: lacks[i] })))}\n`,
    );
  }
  if (unconverged.length) process.stderr.write(`server output tail:\n${server.output().slice(-3000)}\n`);

  // Everyone leaves; the server should hold no document and no connection afterwards.
  for (const c of docs.flat()) c.provider.destroy();
  let left = await liveCounts(baseUrl);
  const tLeave = now();
  while (left && (left.documentsOpen > 0 || left.yjsConnections > 0) && now() - tLeave < 30_000) {
    await sleep(250);
    left = await liveCounts(baseUrl);
  }

  const rssIn = (from: number, to: number) => median(samples.filter((s) => s.t >= from && s.t < to).map((s) => s.rssMb));
  const rssWarm = rssIn(WARMUP_S, WARMUP_S + WINDOW_S);
  const rssEnd = rssIn(DURATION_S - WINDOW_S, DURATION_S + 1);
  const heapIn = (from: number, to: number) => median(heapSamples.filter((s) => s.t >= from && s.t < to).map((s) => s.heapMb));
  const heapWarm = heapIn(WARMUP_S, WARMUP_S + WINDOW_S);
  const heapEnd = heapIn(DURATION_S - WINDOW_S, DURATION_S + 1);
  const sorted = [...log.latencies].sort((a, b) => a - b);
  const pct = (a: number | null | undefined, b: number | null | undefined) => (a && b ? round(((b - a) / a) * 100) : null);
  const runS = (now() - t0) / 1000;
  const result = {
    bench: 'realtime-soak',
    docs: DOCS,
    clientsPerDoc: CLIENTS,
    connections: DOCS * CLIENTS,
    rate: RATE,
    edits: EDITS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    database: flags['database-url'] ? 'postgres' : 'pglite',
    churn: { everyS: CHURN_EVERY_S, docsPerRound: perRound, reopened },
    rssMb: {
      idle: round(idle?.rssMb ?? null),
      afterWarmup: round(rssWarm),
      end: round(rssEnd),
      peak: round(samples.length ? Math.max(...samples.map((s) => s.rssMb)) : null),
      growthPct: rssWarm && rssEnd ? round(((rssEnd - rssWarm) / rssWarm) * 100) : null,
    },
    memory: { afterWarmup: memoryWarm, end: memoryEnd },
    heapUsedMb: { afterWarmup: round(heapWarm), end: round(heapEnd), growthPct: heapWarm && heapEnd ? round(((heapEnd - heapWarm) / heapWarm) * 100) : null },
    afterGc: inspector
      ? { afterWarmup: gcAfterWarmup, end: gcEnd, rssGrowthPct: pct(gcAfterWarmup?.rssMb, gcEnd?.rssMb), heapGrowthPct: pct(gcAfterWarmup?.heapUsedMb, gcEnd?.heapUsedMb) }
      : null,
    cpuPct: cpuStart && cpuEnd ? round(((cpuEnd.cpuTicks - cpuStart.cpuTicks) / CLK_TCK / runS) * 100) : null,
    latencyMs: { samples: sorted.length, p50: round(quantile(sorted, 0.5), 2), p99: round(quantile(sorted, 0.99), 2) },
    delivered: log.delivered,
    convergence: { ok: converged === DOCS, converged, docs: DOCS },
    afterLeave: left ? { documentsOpen: left.documentsOpen, yjsConnections: left.yjsConnections, leaked: left.documentsOpen + left.yjsConnections > 0 } : null,
    loadavg: await loadavg(),
  };
  inspector?.close();
  console.log(JSON.stringify(result));
  process.exitCode = result.convergence.ok && !result.afterLeave?.leaked ? 0 : 1;
}

try {
  await main();
} catch (err) {
  process.stderr.write(`realtime soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
} finally {
  if (started.server) await stopServer(started.server.child);
  if (started.dataDir) await rm(started.dataDir, { recursive: true, force: true });
  clearTimeout(watchdog);
}
process.exit();
