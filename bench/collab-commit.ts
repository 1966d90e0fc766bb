/**
 * The CPU the server process spends committing live item documents' batches, without
 * WebSockets or Yjs: the group commit (`collab/item-log.ts`) and the log append
 * (`persistItemDocBatches`) against a real PostgreSQL, fed as rooms feed them.
 *
 *   pnpm exec tsx bench/collab-commit.ts --database-url postgres://…/EMPTY_DB
 *     [--rooms 200] [--rate 2000] [--seconds 10] [--in-flight 4] [--overlap-after 2] [--gather-ms 0] [--bytes 117]
 *
 * `--rate` updates per second arrive, spread evenly over the rooms (1,000 connections at 2
 * edits/s: 2,000); each room keeps at most one batch in the log and collects what arrives
 * meanwhile into its next batch, as `RoomWriter` does. The database must be empty (it is
 * migrated here, and the log's foreign key to items is dropped: no items exist).
 * Prints ONE JSON line: this process's CPU per update and per commit (process.cpuUsage, which
 * load delays but does not inflate), commits made, rows per commit, and batch latency
 * (wall clock: meaningful on a quiet host only).
 */
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createDb, migrate } from '@concord/db';
import { createItemLog } from '../apps/server/src/collab/item-log.ts';
import { createLogger } from '../apps/server/src/logger.ts';
import { persistItemDocBatches } from '../apps/server/src/services/collab/persist.ts';

const { values: flags } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    rooms: { type: 'string', default: '200' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    'in-flight': { type: 'string', default: '4' },
    /** CONCORD_LIVE_COMMIT_OVERLAP_AFTER's default unless given (0: each turn's group at once). */
    'overlap-after': { type: 'string' },
    /** CONCORD_LIVE_COMMIT_GATHER_MS (0: off, the default). */
    'gather-ms': { type: 'string', default: '0' },
    bytes: { type: 'string', default: '117' },
  },
});
if (!flags['database-url']) throw new Error('--database-url postgres://… (an empty database) is required');
const ROOMS = Number(flags.rooms);
const RATE = Number(flags.rate);
const SECONDS = Number(flags.seconds);

const database = await createDb({ kind: 'postgres', url: flags['database-url'] });
await migrate(database);
const admin = postgres(flags['database-url'], { max: 1, onnotice: () => {} });
await admin.unsafe('alter table doc_updates drop constraint if exists doc_updates_item_id_items_id_fk');
await admin.end();
const ctx = { db: database.db, actor: null, logger: createLogger({ logLevel: 'warn' }) };

let commits = 0;
let rowsCommitted = 0;
const log = createItemLog(
  (batches) => {
    commits++;
    rowsCommitted += batches.reduce((n, b) => n + b.updates.length, 0);
    return persistItemDocBatches({ ctx, batches });
  },
  { inFlight: Number(flags['in-flight']), gatherMs: Number(flags['gather-ms']), ...(flags['overlap-after'] !== undefined ? { overlapAfter: Number(flags['overlap-after']) } : {}) },
);

interface BenchRoom {
  name: string;
  pending: Uint8Array[];
  pendingSince: number;
  busy: boolean;
}
const rooms: BenchRoom[] = Array.from({ length: ROOMS }, (_, i) => ({ name: `item:bench${i}`, pending: [], pendingSince: 0, busy: false }));
const latencies: number[] = [];
const update = new Uint8Array(Number(flags.bytes)).map((_, i) => i & 0xff);

/** Like RoomWriter: one batch in the log at a time, the rest waits for the next. */
async function flush(room: BenchRoom): Promise<void> {
  room.busy = true;
  while (room.pending.length) {
    const [updates, since] = [room.pending.splice(0), room.pendingSince];
    await log.append({ name: room.name, itemId: room.name, updates });
    latencies.push(performance.now() - since);
  }
  room.busy = false;
}

function arrive(room: BenchRoom): void {
  if (room.pending.push(update) === 1) room.pendingSince = performance.now();
  if (!room.busy) void Promise.resolve().then(() => flush(room));
}

const started = performance.now();
const cpu0 = process.cpuUsage();
let sent = 0;
await new Promise<void>((resolve) => {
  // Every millisecond, the updates due by now, round-robin over the rooms.
  const timer = setInterval(() => {
    const due = Math.min(Math.floor(((performance.now() - started) / 1000) * RATE), RATE * SECONDS);
    for (; sent < due; sent++) arrive(rooms[sent % ROOMS]!);
    if (sent >= RATE * SECONDS) {
      clearInterval(timer);
      resolve();
    }
  }, 1);
});
while (rooms.some((r) => r.busy || r.pending.length)) await new Promise((resolve) => setTimeout(resolve, 5));
const cpu = process.cpuUsage(cpu0);
const wallS = (performance.now() - started) / 1000;
await database.close();

const cpuMs = (cpu.user + cpu.system) / 1000;
latencies.sort((a, b) => a - b);
const q = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2));
console.log(
  JSON.stringify({
    bench: 'collab-commit',
    rooms: ROOMS,
    rate: RATE,
    inFlight: Number(flags['in-flight']),
    overlapAfter: flags['overlap-after'] ?? 'default',
    gatherMs: Number(flags['gather-ms']),
    updates: sent,
    rows: rowsCommitted,
    commits,
    rowsPerCommit: Number((rowsCommitted / commits).toFixed(2)),
    cpuUsPerUpdate: Number(((cpuMs * 1000) / sent).toFixed(1)),
    cpuUsPerCommit: Number(((cpuMs * 1000) / commits).toFixed(1)),
    cpuPct: Number(((cpuMs / 1000 / wallS) * 100).toFixed(1)),
    batchLatencyMs: { p50: q(0.5), p99: q(0.99) },
    loadavg: (await import('node:os')).loadavg()[0],
  }),
);
