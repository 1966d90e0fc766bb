/**
 * Live documents under load: builds and starts the real server as `pnpm start` runs it
 * (`apps/server/dist/main.mjs`; `--tsx` runs the sources instead) on a
 * temporary PGlite directory and a free loopback port, creates an owner, a project and D
 * items through the API, opens D `item:` documents x C stock y-websocket clients (cookie
 * auth, one process), lets every client make small edits at a rate for a bounded time, then
 * drains and checks convergence. Prints ONE JSON line and kills the server.
 *
 *   pnpm exec tsx bench/realtime.ts [--docs 50] [--clients 4] [--rate 2] [--duration 15]
 *     [--drain 10] [--server-cpus 0] [--max-seconds 120] [--database-url postgres://…]
 *     [--processes 2 --redis-url redis://127.0.0.1:6379] [--tsx]
 *
 * --database-url: an EMPTY PostgreSQL database on loopback instead of PGlite (it is not
 * dropped afterwards; the run needs the first-owner setup of an empty instance).
 * --processes 2: scale-out; that many server processes on the same database (needs
 * --database-url) and Redis, the clients of every document spread over them round-robin,
 * so most deliveries cross Redis. `servers` then lists each process's RSS and CPU.
 *
 * Latency = per (edit, receiving client): from the sender's transaction to the receiver's
 * integration (send timestamp embedded in the edit; same process, same clock). Every edit
 * is persisted by the server before it is relayed, so this includes the database commit.
 * Server RSS from /proc/<pid>/status (sampled every 250 ms), CPU from /proc/<pid>/stat
 * over the edit phase (% of one core).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { setUpBenchProject } from './lib/bench-project.ts';
import { benchServerEnv, buildServerBundle, freePort, spawnServer, stopServer, type ServerProcess } from './lib/concord-process.ts';

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '50' },
    clients: { type: 'string', default: '4' },
    rate: { type: 'string', default: '2' },
    duration: { type: 'string', default: '15' },
    drain: { type: 'string', default: '10' },
    'server-cpus': { type: 'string' },
    'database-url': { type: 'string' },
    'max-seconds': { type: 'string', default: '120' },
    processes: { type: 'string', default: '1' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    tsx: { type: 'boolean', default: false },
    /** Write a V8 CPU profile of each server process into this directory (on its SIGTERM exit). */
    'cpu-prof': { type: 'string' },
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
const DRAIN_S = num('drain', 1, 120);
const MAX_SECONDS = num('max-seconds', 10, 1800);
const PROCESSES = num('processes', 1, 8);
if (PROCESSES > 1 && !flags['database-url']) throw new Error('--processes above 1 needs --database-url (PGlite is one process only)');
const CLK_TCK = 100;

// y-websocket adds a process 'exit' listener per provider.
process.setMaxListeners(0);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- server process

const servers: ChildProcess[] = [];
let dataDir: string | null = null;

async function startServer(): Promise<ServerProcess> {
  dataDir ??= await mkdtemp(path.join(tmpdir(), 'concord-realtime-'));
  const port = await freePort();
  const server = await spawnServer({
    tsx: flags.tsx,
    cpus: flags['server-cpus'],
    nodeArgs: flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['cpu-prof'])}`] : [],
    env: benchServerEnv({
      PORT: String(port),
      CONCORD_DATA_DIR: dataDir,
      ...(flags['database-url'] ? { DATABASE_URL: flags['database-url'] } : {}),
      ...(PROCESSES > 1 ? { REDIS_URL: flags['redis-url']!, CONCORD_REDIS_PREFIX: `concord-bench:${process.pid}` } : {}),
    }),
  });
  servers.push(server.child);
  return server;
}

async function stopServers(): Promise<void> {
  await Promise.all(servers.splice(0).map(stopServer));
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

// ---------------------------------------------------------------- /proc sampling

async function procSample(pid: number): Promise<{ rssMb: number; cpuTicks: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (fields 14 and 15 of /proc/<pid>/stat)
    return { rssMb: rssKb / 1024, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- clients

interface Edit {
  seq: number;
  t: number;
}

interface Client {
  index: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<number>;
  /** Last sequence number seen per sender index. */
  seen: Map<number, number>;
  sent: number;
  closes: number[];
}

const latencies: number[] = [];
let delivered = 0;
let skipped = 0;
let measuring = true;
/** The bench user's id: entries of the item document carry their author's (the server checks it). */
let authorId = '';

function connect(wsUrl: string, docName: string, cookie: string, index: number): Client {
  const doc = new Y.Doc();
  const Socket = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  };
  const t0 = now();
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    WebSocketPolyfill: Socket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const client: Client = { index, doc, provider, seen: new Map(), sent: 0, closes: [], synced: Promise.resolve(0) };
  client.synced = new Promise<number>((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve(now() - t0);
    };
    provider.on('sync', onSync);
  });
  provider.on('connection-close', (event) => {
    if (event) client.closes.push(event.code);
  });
  doc.getMap<Edit>('bench').observe((event) => {
    if (event.transaction.local) return;
    const at = now();
    const map = event.target as Y.Map<Edit>;
    for (const key of event.keysChanged) {
      const sender = Number(key);
      const edit = map.get(key);
      if (!edit || sender === index) continue;
      const last = client.seen.get(sender) ?? 0;
      if (edit.seq <= last) continue;
      client.seen.set(sender, edit.seq);
      delivered++;
      skipped += edit.seq - last - 1;
      if (measuring) latencies.push(at - edit.t);
    }
  });
  return client;
}

function edit(client: Client): void {
  const seq = ++client.sent;
  client.doc.transact(() => {
    client.doc.getMap<Edit>('bench').set(String(client.index), { seq, t: now() });
    client.doc.getMap('annotations').set(`a${client.index}-${seq % 16}`, { code: 'C1', start: seq, end: seq + 5, by: client.index, authorId });
    const memo = client.doc.getText('memo');
    memo.insert(Math.floor(Math.random() * (memo.length + 1)), 'abc');
  });
}

/** A map's content with its keys sorted (key order follows arrival, which differs per client). */
const sortedJson = (map: Y.Map<unknown>) => Object.fromEntries(Object.entries(map.toJSON()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null);
const round = (n: number | null, d = 1) => (n === null ? null : Number(n.toFixed(d)));

// ---------------------------------------------------------------- run

async function main() {
  if (!flags.tsx) buildServerBundle();
  const started = now();
  const starts = [];
  for (let i = 0; i < PROCESSES; i++) starts.push(await startServer());
  const { baseUrl } = starts[0]!;
  const pids = starts.map((s) => s.pid);
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
    authorId = userId;
    const idle = await sampleAll();
    const wsUrls = starts.map((s) => `${s.baseUrl.replace(/^http/, 'ws')}/yjs`);

    // Connect, a bounded number at a time.
    const tConnect = now();
    const docs: Client[][] = [];
    for (let d = 0; d < DOCS; d++) docs.push(Array.from({ length: CLIENTS }, (_, c) => connect(wsUrls[c % PROCESSES]!, docNames[d]!, cookie, c)));
    const clients = docs.flat();
    const syncTimes = await Promise.race([
      Promise.all(clients.map((c) => c.synced)),
      sleep(60_000).then(() => {
        throw new Error('not every client synced within 60 s');
      }),
    ]);
    const connectS = (now() - tConnect) / 1000;

    // Edit phase: every client at RATE edits/s, starts staggered over one period.
    const period = 1000 / RATE;
    const cpu0 = await sampleAll();
    const tEdit = now();
    const stops: (() => void)[] = [];
    const timers = clients.map((c) =>
      setTimeout(() => {
        edit(c);
        const interval = setInterval(() => edit(c), period);
        stops.push(() => clearInterval(interval));
      }, Math.random() * period),
    );
    await sleep(DURATION_S * 1000);
    timers.forEach(clearTimeout);
    stops.forEach((stop) => stop());
    const editS = (now() - tEdit) / 1000;
    const cpu1 = await sampleAll();
    const sent = clients.reduce((n, c) => n + c.sent, 0);

    // Drain: until every client has every other client's last edit, or the drain timeout.
    const complete = () => docs.every((group) => group.every((r) => group.every((s) => s === r || (r.seen.get(s.index) ?? 0) === s.sent)));
    const tDrain = now();
    while (!complete() && now() - tDrain < DRAIN_S * 1000) await sleep(50);
    const drainMs = now() - tDrain;
    measuring = false;
    const cpu2 = await sampleAll();

    // Convergence: same state vector and same content on every client of a doc.
    let converged = 0;
    for (const group of docs) {
      const sv = group.map((c) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(c.doc))].sort((a, b) => a[0] - b[0])));
      const content = group.map((c) => JSON.stringify([sortedJson(c.doc.getMap('bench')), sortedJson(c.doc.getMap('annotations')), c.doc.getText('memo').toString()]));
      if (sv.every((s) => s === sv[0]) && content.every((s) => s === content[0])) converged++;
    }
    const expected = sent * (CLIENTS - 1);
    const sorted = [...latencies].sort((a, b) => a - b);
    const syncSorted = [...syncTimes].sort((a, b) => a - b);
    const ticks = (a: Awaited<ReturnType<typeof procSample>>, b: Awaited<ReturnType<typeof procSample>>) => (a && b ? b.cpuTicks - a.cpuTicks : 0);
    const perServer = pids.map((pid, i) => ({
      pid,
      rssIdleMb: round(idle[i]?.rssMb ?? null),
      rssPeakMb: round(rss[i]!.length ? Math.max(...rss[i]!) : null),
      cpuEditPct: round((ticks(cpu0[i]!, cpu1[i]!) / CLK_TCK / editS) * 100),
      cpuDrainS: round(ticks(cpu1[i]!, cpu2[i]!) / CLK_TCK, 2),
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
      serverCpus: flags['server-cpus'] ?? null,
      database: flags['database-url'] ? 'postgres' : 'pglite',
      processes: PROCESSES,
      connect: { allSyncedS: round(connectS, 2), syncedP50Ms: round(quantile(syncSorted, 0.5)), syncedP95Ms: round(quantile(syncSorted, 0.95)) },
      latencyMs: {
        samples: sorted.length,
        p50: round(quantile(sorted, 0.5), 2),
        p95: round(quantile(sorted, 0.95), 2),
        p99: round(quantile(sorted, 0.99), 2),
        max: round(sorted.length ? sorted[sorted.length - 1]! : null, 2),
      },
      edits: { sent, editsPerSec: round(sent / editS), expectedDeliveries: expected, delivered, deliveredPerSec: round(delivered / (editS + drainMs / 1000)), undelivered: expected - delivered - skipped, coalesced: skipped },
      drainMs: Math.round(drainMs),
      convergence: { ok: converged === DOCS && delivered + skipped === expected, converged, docs: DOCS },
      server: perServer[0],
      ...(PROCESSES > 1 ? { servers: perServer } : {}),
      closes: closes.length,
      loadavg: (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).map(Number),
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
