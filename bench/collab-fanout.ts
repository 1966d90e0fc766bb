/**
 * What a second process costs per live update, in process CPU time, without network clients
 * or database: the rooms of collab/room.ts on the in-memory store of collab/room-testing.ts,
 * their clients its recording connections, and the fan-out through a real Redis.
 *
 *   pnpm exec tsx bench/collab-fanout.ts [--docs 50] [--clients 4] [--edits 25] [--reps 5]
 *     [--redis-url redis://127.0.0.1:6379] [--only oneProcess|twoProcesses]
 *
 * The updates are bench/realtime.ts's edits (as bench/collab-apply.ts makes them), in rounds:
 * every client edits on what it had after the round before (as clients do that see the others'
 * edits before they type again), handed to the rooms a few per turn of the event loop (about
 * as they arrive from sockets); the next round starts when every room holds the last. Variants:
 * - `oneProcess`: every client of a document on one room, no Redis (`createLocalFanout`);
 * - `twoProcesses`: two rooms per document on two Redis fan-outs (two "processes" in this
 *   one), the clients split between them as bench/realtime.ts --processes 2 splits them
 *   (client c on process c % 2): every update is checked and applied where it arrived,
 *   published once, received by both subscribers (the sender drops its own), applied and
 *   relayed on the other.
 * A variant ends when every room holds every update and has stored its batches (a round that
 * does not complete within 30 s fails the bench, naming the rooms short of it). Prints ONE JSON
 * line: microseconds of CPU per update (median over the repetitions) and the ratio, which is
 * what Redis and the second apply add on top of one process (the database and the sockets,
 * the same work in both, are left out), and the process's wake-ups per update (voluntary
 * context switches: each socket read it waited for).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { createLocalFanout, createRedisFanout, type Fanout } from '../apps/server/src/collab/fanout.ts';
import { memoryRoom, RecordingPeer } from '../apps/server/src/collab/room-testing.ts';
import type { Room } from '../apps/server/src/collab/room.ts';
import { createLogger } from '../apps/server/src/logger.ts';
import { writeEdit } from './lib/bench-edit.ts';

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '50' },
    clients: { type: 'string', default: '4' },
    edits: { type: 'string', default: '25' },
    reps: { type: 'string', default: '5' },
    'per-turn': { type: 'string', default: '4' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    /** Runs one variant only (to profile it alone). */
    only: { type: 'string' },
  },
});
const DOCS = Number(flags.docs);
const CLIENTS = Number(flags.clients);
const EDITS = Number(flags.edits);
const REPS = Number(flags.reps);
const PER_TURN = Number(flags['per-turn']);
const logger = createLogger({ logLevel: 'warn' });

interface Arrival {
  doc: number;
  client: number;
  update: Uint8Array;
}

/**
 * Rounds of edits: in each, every client of every document makes one edit on what it had
 * after the round before, as clients do who see each other's edits through their server
 * before they type again (at 2 edits/s a relay is long done). `state`: each document's state
 * vector after the round.
 */
interface Round {
  arrivals: Arrival[];
  state: Map<number, number>[];
}

function generate(): Round[] {
  const rounds: Round[] = [];
  const groups = Array.from({ length: DOCS }, () => Array.from({ length: CLIENTS }, () => new Y.Doc()));
  for (let seq = 1; seq <= EDITS; seq++) {
    const arrivals: Arrival[] = [];
    for (let d = 0; d < DOCS; d++) {
      const group = groups[d]!;
      const updates = group.map((doc, c) => {
        const update = writeEdit(doc, { index: c, seq, t: seq, authorId: `usr_${c}` });
        arrivals.push({ doc: d, client: c, update });
        return update;
      });
      group.forEach((doc, c) => updates.forEach((u, from) => from !== c && Y.applyUpdate(doc, u)));
    }
    rounds.push({ arrivals, state: groups.map((group) => Y.decodeStateVector(Y.encodeStateVector(group[0]!))) });
  }
  return rounds;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Whether `doc` holds everything of `state` (a state vector). */
function holds(doc: Y.Doc, state: Map<number, number>): boolean {
  for (const [client, clock] of state) if (Y.getState(doc.store, client) < clock) return false;
  return true;
}

/**
 * Resolves when every room holds `state` of its document: checked after each transaction of a
 * room still short of it (no polling, so the wait costs next to nothing in either variant);
 * fails after ROUND_TIMEOUT_MS, naming what is missing, instead of waiting for ever.
 */
function allHold(rooms: Room[][], state: Map<number, number>[]): Promise<void> {
  const waits = rooms.flatMap((group, d) =>
    group.map((room) => {
      if (holds(room.doc, state[d]!)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const check = () => {
          if (!holds(room.doc, state[d]!)) return;
          room.doc.off('afterTransaction', check);
          resolve();
        };
        room.doc.on('afterTransaction', check);
      });
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const short = rooms.flatMap((group, d) => group.flatMap((room, p) => (holds(room.doc, state[d]!) ? [] : [`doc ${d} on process ${p}`])));
      reject(new Error(`not every room got every update within ${ROUND_TIMEOUT_MS / 1000} s: ${short.slice(0, 5).join(', ')}${short.length > 5 ? ', …' : ''}`));
    }, ROUND_TIMEOUT_MS);
  });
  return Promise.race([Promise.all(waits).then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

const ROUND_TIMEOUT_MS = 30_000;

/** Per arrival of one replay onto fresh rooms of `fanouts` (one room per document on each): CPU microseconds, and the times the process slept waiting (voluntary context switches: a wake-up each). */
async function run(rounds: Round[], fanouts: Fanout[], prefixRun: string): Promise<{ cpuUs: number; wakeups: number }> {
  const rooms: Room[][] = [];
  const peers: RecordingPeer[][] = [];
  for (let d = 0; d < DOCS; d++) {
    const target = { kind: 'item', itemId: `itm_${prefixRun}${String(d).padStart(4, '0')}` } as const;
    const docRooms = await Promise.all(fanouts.map((f) => memoryRoom(target, f)));
    const docPeers = Array.from({ length: CLIENTS }, (_, c) => new RecordingPeer(`usr_${c}`, target));
    docPeers.forEach((p, c) => docRooms[c % fanouts.length]!.join(p));
    rooms.push(docRooms);
    peers.push(docPeers);
  }
  await sleep(200); // hellos answered, subscriptions settled
  const before = process.cpuUsage();
  const switchesBefore = process.resourceUsage().voluntaryContextSwitches;
  for (const { arrivals, state } of rounds) {
    for (let i = 0; i < arrivals.length; i++) {
      const a = arrivals[i]!;
      rooms[a.doc]![a.client % fanouts.length]!.applyClientUpdate(peers[a.doc]![a.client]!, a.update);
      if (i % PER_TURN === PER_TURN - 1) await turn();
    }
    // The round is over when every room holds all of it (a room relays what it applies at once).
    await allHold(rooms, state);
  }
  await Promise.all(rooms.flat().map((room) => room.flushed()));
  const used = process.cpuUsage(before);
  const switches = process.resourceUsage().voluntaryContextSwitches - switchesBefore;
  if (CLIENTS > 1 && peers.some((group) => group.some((p) => p.writes.length === 0))) throw new Error('a client was sent nothing');
  for (const group of rooms) for (const room of group) room.destroy();
  const count = rounds.reduce((n, r) => n + r.arrivals.length, 0);
  return { cpuUs: (used.user + used.system) / count, wakeups: switches / count };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rounds = generate();
const arrivals = rounds.flatMap((r) => r.arrivals);
const prefix = `concord-bench-fanout:${process.pid}`;
const redis = await Promise.all([0, 1].map(() => createRedisFanout({ url: flags['redis-url']!, prefix, logger })));
const local = createLocalFanout();
const variants: Record<string, Fanout[]> = Object.fromEntries(
  Object.entries({ oneProcess: [local], twoProcesses: redis }).filter(([name]) => !flags.only || name === flags.only),
);
const runs: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const wakeups: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
let n = 0;
// Warm-up: each variant once, so the JIT has compiled both paths.
for (const fanouts of Object.values(variants)) await run(rounds, fanouts, `w${n++}`);
for (let rep = 0; rep < REPS; rep++) {
  // Interleaved, so a burst of load on the machine hits both alike.
  for (const [name, fanouts] of Object.entries(variants)) {
    const { cpuUs, wakeups: w } = await run(rounds, fanouts, `r${n++}`);
    runs[name]!.push(cpuUs);
    wakeups[name]!.push(w);
  }
}
await Promise.all(redis.map((f) => f.close()));
const one = runs.oneProcess?.length ? median(runs.oneProcess) : NaN;
const two = runs.twoProcesses?.length ? median(runs.twoProcesses) : NaN;
const bytes = arrivals.reduce((s, a) => s + a.update.byteLength, 0);
console.log(
  JSON.stringify({
    bench: 'collab-fanout',
    docs: DOCS,
    clients: CLIENTS,
    edits: EDITS,
    updates: arrivals.length,
    meanUpdateBytes: Math.round(bytes / arrivals.length),
    perTurn: PER_TURN,
    reps: REPS,
    cpuUsPerUpdate: { oneProcess: Number(one.toFixed(1)), twoProcesses: Number(two.toFixed(1)) },
    runs: Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, xs.map((x) => Number(x.toFixed(1)))])),
    twoOverOne: Number((two / one).toFixed(2)),
    /** Voluntary context switches per update (median): how often the process slept and was woken (socket reads, timers). */
    wakeupsPerUpdate: Object.fromEntries(Object.entries(wakeups).map(([k, xs]) => [k, Number(median(xs).toFixed(3))])),
    loadavg: loadavg().map((x) => Number(x.toFixed(1))),
  }),
);
process.exit(0);
