/**
 * What relaying a live update to its receivers costs the server, in process CPU time: the
 * rooms of collab/room.ts with an in-memory store and real `Connection`s on real localhost
 * WebSockets, whose clients run in a child process (bench/lib/relay-clients.ts) that only
 * counts messages.
 *
 *   pnpm exec tsx bench/collab-relay.ts [--docs 50] [--clients 4] [--edits 25] [--reps 5]
 *
 * The updates are bench/realtime.ts's edits (as bench/collab-fanout.ts makes them), handed to
 * the rooms a few per turn of the event loop; a variant ends when the clients have received
 * every relayed message (each update goes to the document's other clients). Variants, on the
 * same rooms' code, interleaved:
 * - `noSockets`: the recording connections of collab/room-testing.ts (the apply path, no relay writes: the baseline);
 * - `wsSend`: each relayed message through ws.send, per receiver (how rooms relayed until
 *   2026-12-07: ws frames it for each receiver and writes header and payload corked);
 * - `framedOnce`: the batch framed once (collab/ws-frame.ts), one socket write per receiver.
 * Prints ONE JSON line: microseconds of the server's CPU per update (median over the
 * repetitions), and per variant the relay's part (minus `noSockets`).
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { DEFAULT_COLLAB_LIMITS } from '../apps/server/src/config.ts';
import { Connection } from '../apps/server/src/collab/connection.ts';
import type { Peer } from '../apps/server/src/collab/peer.ts';
import { itemWriterAccess, memoryRoom, RecordingPeer } from '../apps/server/src/collab/room-testing.ts';
import type { Room } from '../apps/server/src/collab/room.ts';
import type { Frames } from '../apps/server/src/collab/ws-frame.ts';
import { createLogger } from '../apps/server/src/logger.ts';
import { writeEdit } from './lib/bench-edit.ts';

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '50' },
    clients: { type: 'string', default: '4' },
    edits: { type: 'string', default: '25' },
    reps: { type: 'string', default: '5' },
    'per-turn': { type: 'string', default: '4' },
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

/** Every client's edits, round by round, each client in sync with the others before its edit. */
function generate(): Arrival[] {
  const arrivals: Arrival[] = [];
  const groups = Array.from({ length: DOCS }, () => Array.from({ length: CLIENTS }, () => new Y.Doc()));
  for (let seq = 1; seq <= EDITS; seq++) {
    for (let d = 0; d < DOCS; d++) {
      const group = groups[d]!;
      const updates = group.map((doc, c) => {
        const update = writeEdit(doc, { index: c, seq, t: seq, authorId: `usr_${c}` });
        arrivals.push({ doc: d, client: c, update });
        return update;
      });
      group.forEach((doc, c) => updates.forEach((u, from) => from !== c && Y.applyUpdate(doc, u)));
    }
  }
  return arrivals;
}

/** The connections' limits: no rate limit (the bench sends faster than any client may). */
const limits = { ...DEFAULT_COLLAB_LIMITS, maxMessagesPerSecond: 1e9 };

/** How rooms relayed before: every message through ws.send, for every receiver. */
class WsSendConnection extends Connection {
  override sendFrames(frames: Frames, from: number, to: number): void {
    for (let i = from; i < to; i++) this.send(frames.messages[i]!);
  }
}

type Variant = 'noSockets' | 'wsSend' | 'framedOnce';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const turn = () => new Promise((resolve) => setImmediate(resolve));

const child = fork(new URL('./lib/relay-clients.ts', import.meta.url));
/** How long the clients may take to open their sockets or receive what they wait for, before the bench fails. */
const CHILD_TIMEOUT_MS = 30_000;
const fromChild = (key: 'opened' | 'reached') =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', on);
      reject(new Error(`the clients did not report '${key}' within ${CHILD_TIMEOUT_MS / 1000} s (a message was not relayed?)`));
    }, CHILD_TIMEOUT_MS);
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        clearTimeout(timer);
        child.off('message', on);
        resolve();
      }
    };
    child.on('message', on);
  });

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = createServer();
let accept: ((ws: WebSocket, socket: Duplex, path: string) => void) | null = null;
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => accept!(ws, socket, req.url ?? '')));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
let messagesSoFar = 0;

/** CPU microseconds per arrival of one replay onto fresh rooms. */
async function run(arrivals: Arrival[], variant: Variant, prefix: string): Promise<number> {
  const rooms: Room[] = [];
  const peers: Peer[][] = [];
  const targets = Array.from({ length: DOCS }, (_, d) => ({ kind: 'item', itemId: `itm_${prefix}${String(d).padStart(4, '0')}` }) as const);
  for (const target of targets) {
    rooms.push(await memoryRoom(target));
    peers.push([]);
  }
  if (variant === 'noSockets') {
    rooms.forEach((room, d) => {
      for (let c = 0; c < CLIENTS; c++) {
        const peer = new RecordingPeer(`usr_${c}`, targets[d]!);
        peers[d]!.push(peer);
        room.join(peer);
      }
    });
  } else {
    const Kind = variant === 'wsSend' ? WsSendConnection : Connection;
    accept = (ws, socket, path) => {
      const [, d, c] = path.split('/').map(Number) as [number, number, number];
      const room = rooms[d]!;
      const userId = `usr_${c}`;
      const connection = new Kind(ws, socket, { userId, isAdmin: false }, itemWriterAccess(userId, targets[d]!), room, limits, logger);
      ws.on('message', () => {});
      peers[d]![c] = connection;
      room.join(connection);
    };
    const opened = fromChild('opened');
    child.send({ open: rooms.flatMap((_, d) => Array.from({ length: CLIENTS }, (_, c) => `${base}/${d}/${c}`)) });
    await opened;
    messagesSoFar += DOCS * CLIENTS; // sync step 1 at join (no presence: nobody announced any)
    const reached = fromChild('reached');
    child.send({ expect: messagesSoFar });
    await reached;
  }
  await sleep(200);
  const before = process.cpuUsage();
  for (let i = 0; i < arrivals.length; i++) {
    const a = arrivals[i]!;
    rooms[a.doc]!.applyClientUpdate(peers[a.doc]![a.client]!, a.update);
    if (i % PER_TURN === PER_TURN - 1) await turn();
  }
  await Promise.all(rooms.map((room) => room.flushed()));
  if (variant !== 'noSockets') {
    messagesSoFar += arrivals.length * (CLIENTS - 1);
    const reached = fromChild('reached');
    child.send({ expect: messagesSoFar });
    await reached;
  }
  const used = process.cpuUsage(before);
  for (const group of peers) for (const p of group) if (p instanceof Connection) p.ws.terminate();
  for (const room of rooms) room.destroy();
  return (used.user + used.system) / arrivals.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const arrivals = generate();
const variants: Variant[] = ['noSockets', 'wsSend', 'framedOnce'];
const runs: Record<Variant, number[]> = { noSockets: [], wsSend: [], framedOnce: [] };
let n = 0;
for (const v of variants) await run(arrivals, v, `w${n++}`); // warm-up
for (let rep = 0; rep < REPS; rep++) {
  // Interleaved, and in turns of order, so a burst of load on the machine hits all alike.
  const order = rep % 2 ? [...variants].reverse() : variants;
  for (const v of order) runs[v].push(await run(arrivals, v, `r${n++}`));
}
const m = Object.fromEntries(variants.map((v) => [v, median(runs[v])])) as Record<Variant, number>;
const round = (x: number) => Number(x.toFixed(1));
console.log(
  JSON.stringify({
    bench: 'collab-relay',
    docs: DOCS,
    clients: CLIENTS,
    edits: EDITS,
    updates: arrivals.length,
    perTurn: PER_TURN,
    reps: REPS,
    cpuUsPerUpdate: Object.fromEntries(variants.map((v) => [v, round(m[v])])),
    relayUsPerUpdate: { wsSend: round(m.wsSend - m.noSockets), framedOnce: round(m.framedOnce - m.noSockets) },
    runs: Object.fromEntries(variants.map((v) => [v, runs[v].map(round)])),
    loadavg: loadavg().map((x) => Number(x.toFixed(1))),
  }),
);
child.disconnect();
server.close();
process.exit(0);
