/**
 * Concord's live documents side by side with the reference server, through the shared load
 * harness (`../shared/yjs-bench`; copy it somewhere writable and `npm ci` there first):
 *
 *   pnpm exec tsx bench/realtime-side-by-side.ts --harness /tmp/yjs-bench [--levels 200x5]
 *     [--duration 30] [--reps 1] [--database-url postgres://postgres@127.0.0.1:5432/test]
 *     [--quiet-max 120] [--concord-env CONCORD_LIVE_COMMITS_IN_FLIGHT=1] [--durability]
 *     [--servers ywss,concord] [--edit-kind text] [--node-args=--single-threaded-gc]
 *
 * --edit-kind goes to the harness for both servers. The default, `text` (the tracking map
 * key and a 3-character text insert per edit), because the harness's `mixed` edits put
 * entries without an `authorId` into a map named `annotations`, which Concord's item-document
 * integrity check (apps/server/src/collab/item-integrity.ts) refuses with 4403, as it should.
 *
 * For every level and repetition the harness's matrix runner starts @y/websocket-server 0.1.1
 * in memory (`ywss`) and then Concord's production bundle on PostgreSQL with authentication
 * (`concord`), each a fresh process pinned to CPU 0 with the harness on CPU 1, 2 edits/s per
 * client. Concord runs on a fresh copy of one prepared database (owner, project, one item per
 * document, a signed-in session): the harness's sequence numbers restart at 1 in every run, so
 * a document must not be reused. The connecting clients send the session cookie and use the
 * items' document names. Prints ONE JSON line: both servers' figures per level.
 *
 * --node-args: node options for Concord's process after the launcher's own (apps/server/bin/serve;
 * a later option wins), with `=` because the value starts with dashes; they are in the JSON line.
 *
 * --durability also runs the harness's SIGKILL scenario against Concord (4 documents x 3
 * writers + 1 observer, 300 edits per writer at 10/s, SIGKILL at half, restart on the same
 * database, `--expect durable`). Its script takes no document names as shipped; the copy must
 * pass `docNamesFile: args['doc-names-file']` to buildTargets (one line), and the bench
 * refuses to run it otherwise.
 *
 * --database-url names a database to connect to for administration; the bench creates and drops
 * its own `concord_sbs_<pid>_*` databases next to it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { setUpBenchProject } from './lib/bench-project.ts';
import { benchServerEnv, buildServerBundle, freePort, REPO_ROOT, SERVER_LAUNCHER, spawnServer, stopServer } from './lib/concord-process.ts';

const { values: flags } = parseArgs({
  options: {
    harness: { type: 'string' },
    levels: { type: 'string', default: '200x5' },
    duration: { type: 'string', default: '30' },
    reps: { type: 'string', default: '1' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'quiet-max': { type: 'string', default: '120' },
    /** Extra environment for Concord's process (repeatable), e.g. to compare settings. */
    'concord-env': { type: 'string', multiple: true, default: [] },
    durability: { type: 'boolean', default: false },
    /** Which servers to run, in order (`concord` alone for an A/B of its settings). */
    servers: { type: 'string', default: 'ywss,concord' },
    'edit-kind': { type: 'string', default: 'text' },
    /** Node options for Concord's process after the launcher's own (later ones win), for an A/B of the launcher's settings. */
    'node-args': { type: 'string', default: '' },
  },
});
const concordEnv = flags['concord-env'].map((kv) => {
  if (!/^[A-Z_][A-Z0-9_]*=[^\s'"$`]*$/.test(kv)) throw new Error(`--concord-env expects NAME=value without spaces or quotes, got ${kv}`);
  return kv;
});
const nodeArgs = flags['node-args'].split(' ').filter(Boolean);
for (const arg of nodeArgs) if (!/^--[a-z0-9-]+(=[\w.-]+)?$/.test(arg)) throw new Error(`--node-args expects node options like --flag or --flag=value, got ${arg}`);
/** The command line that starts Concord's production bundle through its launcher. */
const launch = (env: string) => `cd ${REPO_ROOT} && ${env} exec sh ${SERVER_LAUNCHER}${nodeArgs.map((a) => ` ${a}`).join('')}`;
if (!flags.harness) throw new Error('--harness DIR is required: a writable copy of ../shared/yjs-bench after `npm ci`');
const harness = path.resolve(flags.harness);
const editKind = flags['edit-kind'];
if (!['mixed', 'map', 'text'].includes(editKind)) throw new Error(`--edit-kind: mixed, map or text, got ${editKind}`);
const levels = flags.levels.split(',').map((name) => {
  const [docs, clients] = name.split('x').map(Number);
  if (!Number.isInteger(docs) || !Number.isInteger(clients)) throw new Error(`--levels: expected DOCSxCLIENTS, got ${name}`);
  return { name, docs: docs!, clients: clients! };
});
const reps = Number(flags.reps);
const servers = flags.servers.split(',').map((name) => {
  if (name !== 'ywss' && name !== 'concord') throw new Error(`--servers: ywss or concord, got ${name}`);
  return name;
});
const adminUrl = new URL(flags['database-url']);
const dbUrl = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
// Named after this process: two engineers' runs on one PostgreSQL must not drop each other's databases.
const TEMPLATE = `concord_sbs_${process.pid}_template`;
const RUN = `concord_sbs_${process.pid}_run`;

const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
const recreate = async (name: string, template?: string) => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
};

/** Owner, project and items in the template database, through the API of a real server. */
async function prepareTemplate(docs: number): Promise<{ cookie: string; docNames: string[] }> {
  await recreate(TEMPLATE);
  const server = await spawnServer({ env: benchServerEnv({ PORT: String(await freePort()), DATABASE_URL: dbUrl(TEMPLATE) }) });
  try {
    return await setUpBenchProject(server.baseUrl, docs);
  } finally {
    await stopServer(server.child);
  }
}

interface HarnessRecord {
  label: string;
  ok: boolean;
  latencyMs: { delivery: { p50: number; p99: number; max: number }; fanout: { p50: number; p99: number } };
  throughput: { deliveredPerSec: number; expectedDeliveries: number; deliveries: number; sentPerSec: number };
  convergence: { docs: number; converged: number; undeliveredEdits: number };
  server: { peakRssMb: number; phases: { idle: { startRssMb: number }; edit: { cpuPct: number } } };
  harness: { workers: { cpuPctDuringEdits: number }[] };
  anchor: { server: string; level: string; otherCores: number | null };
}

/** Runs repetition `rep` (0-based) of one cell; the runner counts the records already in `out` as done. */
async function runCell(server: 'ywss' | 'concord', level: string, rep: number, docNamesFile: string, cookie: string, out: string): Promise<void> {
  if (server === 'concord') await recreate(RUN, TEMPLATE);
  const env = [`DATABASE_URL=${dbUrl(RUN)}`, 'CONCORD_DEMO=0', 'LOG_LEVEL=warn', 'CONCORD_WEB_BUILD_DIR=none', ...concordEnv].join(' ');
  const command = launch(env);
  const args = [
    'scripts/run-anchors.mjs',
    ...['--servers', server, '--levels', level, '--reps', String(rep + 1), '--duration', flags.duration, '--out', out],
    ...['--quiet-max', flags['quiet-max'], '--nice', '-10', '--attempt-factor', '1'],
    ...['--custom', `concord=${command}`, '--custom-path', '/yjs/{room}', '--ready', 'port'],
    ...['--load-arg', `--doc-names-file ${docNamesFile} --header Cookie=${cookie} --edit-kind ${editKind}`],
  ];
  execFileSync(process.execPath, args, { cwd: harness, stdio: ['ignore', 'inherit', 'inherit'] });
}

interface DurabilityRecord {
  ok: boolean;
  edits: { beforeKill: number; ackedBeforeKill: number };
  serverSide: { checkedAcked: number; lostAcked: number };
  final: { lostAny: number; diverged: number };
  timingsMs: { restartToReady: number };
}

/** The SIGKILL scenario on a fresh copy of the prepared database; the summary of its JSON line. */
async function runDurability(docNamesFile: string, cookie: string, out: string) {
  const script = await readFile(path.join(harness, 'bench/yjs-durability.mjs'), 'utf8');
  if (!script.includes("docNamesFile: args['doc-names-file']")) {
    throw new Error("--durability: the harness's yjs-durability.mjs takes no --doc-names-file; see this file's header");
  }
  await recreate(RUN, TEMPLATE);
  const port = await freePort();
  const env = [`PORT=${port}`, 'HOST=127.0.0.1', `DATABASE_URL=${dbUrl(RUN)}`, 'CONCORD_DEMO=0', 'LOG_LEVEL=warn', 'CONCORD_WEB_BUILD_DIR=none', ...concordEnv].join(' ');
  const args = [
    'bench/yjs-durability.mjs',
    ...['--url', `ws://127.0.0.1:${port}/yjs/{room}`, '--start-cmd', launch(env)],
    ...['--docs', '4', '--clients-per-doc', '3', '--edits', '300', '--rate', '10', '--kill-after', '0.5', '--expect', 'durable'],
    ...['--doc-names-file', docNamesFile, '--header', `Cookie=${cookie}`, '--out', out, '--quiet'],
  ];
  try {
    execFileSync(process.execPath, args, { cwd: harness, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    // Exit 1 = expectation not met: the record says how.
  }
  const record = JSON.parse((await readFile(out, 'utf8')).trim().split('\n').at(-1)!) as DurabilityRecord;
  return {
    ok: record.ok,
    editsBeforeKill: record.edits.beforeKill,
    acknowledgedBeforeKill: record.edits.ackedBeforeKill,
    acknowledgedLost: record.serverSide.lostAcked,
    lostAfterWritersReconnected: record.final.lostAny,
    diverged: record.final.diverged,
    restartToReadyMs: record.timingsMs.restartToReady,
  };
}

const summarize = (r: HarnessRecord) => ({
  ok: r.ok,
  deliveryP50Ms: r.latencyMs.delivery.p50,
  deliveryP99Ms: r.latencyMs.delivery.p99,
  deliveryMaxMs: r.latencyMs.delivery.max,
  fanoutP99Ms: r.latencyMs.fanout.p99,
  deliveredPerSec: r.throughput.deliveredPerSec,
  undelivered: r.convergence.undeliveredEdits,
  converged: `${r.convergence.converged}/${r.convergence.docs}`,
  serverCpuPct: r.server.phases.edit.cpuPct,
  serverRssIdleMb: r.server.phases.idle.startRssMb,
  serverRssPeakMb: r.server.peakRssMb,
  harnessCpuPct: r.harness.workers[0]?.cpuPctDuringEdits ?? null,
  otherCores: r.anchor.otherCores,
});

async function main() {
  buildServerBundle();
  const work = await mkdtemp(path.join(tmpdir(), 'concord-sbs-'));
  try {
    const { cookie, docNames } = await prepareTemplate(Math.max(...levels.map((l) => l.docs)));
    const docNamesFile = path.join(work, 'doc-names.txt');
    await writeFile(docNamesFile, docNames.join('\n'));
    const out = path.join(work, 'runs.jsonl');
    for (const level of levels) {
      for (let rep = 0; rep < reps; rep++) {
        for (const server of servers) await runCell(server, level.name, rep, docNamesFile, cookie, out);
      }
    }
    const records = (await readFile(out, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as HarnessRecord);
    const durability = flags.durability ? await runDurability(docNamesFile, cookie, path.join(work, 'durability.jsonl')) : null;
    const result = {
      bench: 'realtime-side-by-side',
      concordEnv,
      nodeArgs,
      editKind,
      durationS: Number(flags.duration),
      rate: 2,
      levels: levels.map((level) => ({
        level: level.name,
        connections: level.docs * level.clients,
        ywss: records.filter((r) => r.anchor.level === level.name && r.anchor.server === 'ywss').map(summarize),
        concord: records.filter((r) => r.anchor.level === level.name && r.anchor.server === 'concord').map(summarize),
      })),
      durability,
    };
    console.log(JSON.stringify(result));
  } finally {
    await rm(work, { recursive: true, force: true });
    await admin.unsafe(`drop database if exists ${RUN} with (force)`);
    await admin.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
    await admin.end();
  }
}

await main();
