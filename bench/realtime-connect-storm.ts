/**
 * A connect storm: D documents x C clients are connected and have edited; the server process
 * is killed (SIGKILL by default) and started again on the same port and data, and every client
 * reconnects at once (y-websocket's backoff, at most 2.5 s apart). Reports the time from the
 * kill and from the new process's ready line until every client is synced again, the new
 * process's CPU and peak RSS during the storm, and whether every document converged with
 * every edit made before the kill (the server stores an edit before relaying it, and clients
 * send what the server lacks on reconnect). Prints ONE JSON line and stops the server.
 *
 *   pnpm exec tsx bench/realtime-connect-storm.ts [--docs 200] [--clients 5] [--edits 3]
 *     [--signal SIGKILL|SIGTERM] [--server-cpus 0] [--database-url postgres://…  (EMPTY database)]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setUpBenchProject } from './lib/bench-project.ts';
import { benchServerEnv, buildServerBundle, freePort, spawnServer, stopServer, type ServerProcess } from './lib/concord-process.ts';
import { CLK_TCK, connectClient, DeliveryLog, editOnce, groupConverged, loadavg, nextSync, now, procSample, quantile, round, sleep } from './lib/yjs-clients.ts';

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '200' },
    clients: { type: 'string', default: '5' },
    edits: { type: 'string', default: '3' },
    signal: { type: 'string', default: 'SIGKILL' },
    'server-cpus': { type: 'string' },
    'database-url': { type: 'string' },
  },
});
const DOCS = Number(flags.docs);
const CLIENTS = Number(flags.clients);
const EDITS = Number(flags.edits);
const SIGNAL = flags.signal === 'SIGTERM' ? 'SIGTERM' : 'SIGKILL';
if (!(DOCS >= 1 && CLIENTS >= 2 && EDITS >= 1)) throw new Error('--docs >= 1, --clients >= 2, --edits >= 1');

const started: { servers: ServerProcess[]; dataDir: string | null } = { servers: [], dataDir: null };
const watchdog = setTimeout(() => {
  for (const s of started.servers) s.child.kill('SIGKILL');
  process.stderr.write('connect storm: watchdog after 600 s\n');
  process.exit(1);
}, 600_000);
watchdog.unref();

async function main() {
  buildServerBundle();
  const dataDir = (started.dataDir = await mkdtemp(path.join(tmpdir(), 'concord-storm-')));
  const env = benchServerEnv({
    PORT: String(await freePort()),
    CONCORD_DATA_DIR: dataDir,
    ...(flags['database-url'] ? { DATABASE_URL: flags['database-url'] } : {}),
  });
  const first = await spawnServer({ cpus: flags['server-cpus'], env });
  started.servers.push(first);
  const wsUrl = `${first.baseUrl.replace(/^http/, 'ws')}/yjs`;
  const { cookie, docNames } = await setUpBenchProject(first.baseUrl, DOCS);
  const log = new DeliveryLog();
  const docs = docNames.map((docName) => Array.from({ length: CLIENTS }, (_, index) => connectClient({ wsUrl, docName, cookie, index, log })));
  const clients = docs.flat();
  await Promise.all(clients.map((c) => c.synced));
  for (let round = 0; round < EDITS; round++) {
    for (const c of clients) editOnce(c);
    await sleep(200);
  }
  // Every edit relayed to every other client means every edit was stored before the kill.
  const complete = () => docs.every((group) => group.every((r) => group.every((s) => s === r || r.seen.get(s.index) === s.sent)));
  const tDrain = now();
  while (!complete() && now() - tDrain < 60_000) await sleep(100);
  const acknowledgedBeforeKill = complete();

  // The storm: kill, restart on the same port and data, every client reconnects.
  const tKill = now();
  const resynced = clients.map((c) => {
    const from = tKill;
    // Wait for the disconnect first, then for the next sync.
    return new Promise<number>((resolve) => {
      const onStatus = ({ status }: { status: string }) => {
        if (status !== 'disconnected') return;
        c.provider.off('status', onStatus);
        void nextSync(c.provider, from).then(resolve);
      };
      c.provider.on('status', onStatus);
    });
  });
  first.child.kill(SIGNAL);
  await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
  const tSpawn = now();
  const second = await spawnServer({ cpus: flags['server-cpus'], env });
  started.servers.push(second);
  const tReady = now();
  const rss: number[] = [];
  const sampler = setInterval(() => {
    void procSample(second.pid).then((s) => s && rss.push(s.rssMb));
  }, 100);
  const cpu0 = await procSample(second.pid);
  const times = await Promise.race([
    Promise.all(resynced),
    sleep(120_000).then(() => {
      throw new Error('not every client synced again within 120 s');
    }),
  ]);
  const tAll = now();
  const cpu1 = await procSample(second.pid);
  clearInterval(sampler);

  let converged = 0;
  const tConverge = now();
  while (now() - tConverge < 30_000) {
    converged = docs.filter(groupConverged).length;
    if (converged === DOCS) break;
    await sleep(250);
  }
  // Nothing lost: every client still holds every sender's last edit from before the kill.
  const kept = docs.every((group) => group.every((r) => group.every((s) => s === r || (r.doc.getMap<{ seq: number }>('bench').get(String(s.index))?.seq ?? 0) === s.sent)));
  for (const c of clients) c.provider.destroy();

  const sorted = [...times].sort((a, b) => a - b);
  const result = {
    bench: 'realtime-connect-storm',
    docs: DOCS,
    clientsPerDoc: CLIENTS,
    connections: clients.length,
    signal: SIGNAL,
    database: flags['database-url'] ? 'postgres' : 'pglite',
    restartToReadyMs: Math.round(tReady - tSpawn),
    allSyncedAfterKillMs: Math.round(tAll - tKill),
    allSyncedAfterReadyMs: Math.round(tAll - tReady),
    resyncAfterKillMs: { p50: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), max: round(sorted.at(-1) ?? null) },
    server: {
      cpuS: cpu0 && cpu1 ? round((cpu1.cpuTicks - cpu0.cpuTicks) / CLK_TCK, 2) : null,
      rssPeakMb: round(rss.length ? Math.max(...rss) : null),
    },
    acknowledgedBeforeKill,
    convergence: { ok: converged === DOCS && kept, converged, docs: DOCS, everyEditKept: kept },
    loadavg: await loadavg(),
  };
  console.log(JSON.stringify(result));
  process.exitCode = result.convergence.ok && acknowledgedBeforeKill ? 0 : 1;
}

try {
  await main();
} catch (err) {
  process.stderr.write(`connect storm failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await Promise.all(started.servers.map((s) => stopServer(s.child)));
  if (started.dataDir) await rm(started.dataDir, { recursive: true, force: true });
  clearTimeout(watchdog);
}
process.exit();
