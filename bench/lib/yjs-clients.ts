/**
 * Stock y-websocket clients for the realtime benches: each writes small edits (its sequence
 * number and send time in a shared map, an annotation, a memo insert) and records, per
 * sender, the last sequence it integrated and the delivery latency (same process, same clock).
 * Also /proc sampling of a server process and the quantile helpers the benches report with.
 */
import { readFile } from 'node:fs/promises';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { writeEdit } from './bench-edit.ts';

// y-websocket adds a process 'exit' listener per provider.
process.setMaxListeners(0);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.timeOrigin + performance.now();

interface Edit {
  seq: number;
  t: number;
}

/** What every client of a bench run adds to: deliveries, latencies (while `measuring`). */
export class DeliveryLog {
  readonly latencies: number[] = [];
  delivered = 0;
  /** Edits overwritten before the receiver saw them (the map keeps only a sender's last). */
  coalesced = 0;
  measuring = true;
}

export interface BenchClient {
  index: number;
  /** The signed-in user's id: item-document entries carry their author's (the server checks it). */
  authorId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves with the ms from connect to the first sync. */
  synced: Promise<number>;
  /** Last sequence number seen per sender index. */
  seen: Map<number, number>;
  sent: number;
  closes: string[];
}

/** Resolves with the ms until `provider` is next synced. */
export function nextSync(provider: WebsocketProvider, from = now()): Promise<number> {
  return new Promise<number>((resolve) => {
    if (provider.synced && provider.wsconnected) return resolve(0);
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve(now() - from);
    };
    provider.on('sync', onSync);
  });
}

/** A client on `docName` (cookie auth); `doc` continues an earlier client's document when given. */
export function connectClient(options: { wsUrl: string; docName: string; cookie: string; authorId: string; index: number; log: DeliveryLog; doc?: Y.Doc }): BenchClient {
  const { wsUrl, docName, cookie, authorId, index, log } = options;
  const doc = options.doc ?? new Y.Doc();
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
  const client: BenchClient = { index, authorId, doc, provider, seen: new Map(), sent: 0, closes: [], synced: nextSync(provider, t0) };
  provider.on('connection-close', (event) => {
    if (event) client.closes.push(`${event.code}${event.reason ? ` ${event.reason}` : ''}`);
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
      log.delivered++;
      log.coalesced += edit.seq - last - 1;
      if (log.measuring) log.latencies.push(at - edit.t);
    }
  });
  return client;
}

/**
 * What an edit writes. `full`: the tracking key, an annotation slot and a memo insert, as a
 * coder's edits grow a document. `bounded`: the tracking key alone, one key per transaction, so
 * a client's successive overwrites have consecutive clocks and Yjs merges their tombstones
 * into one: the document stays the same size however long the run (for the soak, where a
 * growing document would hide a leak, or pass for one, and 1,000 client copies of a growing
 * document exhausted the bench's own heap after 9 minutes).
 */
export type EditKind = 'full' | 'bounded';

export function editOnce(client: BenchClient, kind: EditKind = 'full'): void {
  const seq = ++client.sent;
  if (kind === 'bounded') {
    client.doc.getMap<Edit>('bench').set(String(client.index), { seq, t: now() });
    return;
  }
  writeEdit(client.doc, { index: client.index, seq, t: now(), authorId: client.authorId });
}

/** A map's content with its keys sorted (key order follows arrival, which differs per client). */
const sortedJson = (map: Y.Map<unknown>) => Object.fromEntries(Object.entries(map.toJSON()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Whether every client of the group holds the same state vector and the same content. */
export function groupConverged(group: readonly BenchClient[]): boolean {
  const sv = group.map((c) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(c.doc))].sort((a, b) => a[0] - b[0])));
  const content = group.map((c) => JSON.stringify([sortedJson(c.doc.getMap('bench')), sortedJson(c.doc.getMap('annotations')), c.doc.getText('memo').toString()]));
  return sv.every((s) => s === sv[0]) && content.every((s) => s === content[0]);
}

export const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null);
export const round = (n: number | null, d = 1) => (n === null ? null : Number(n.toFixed(d)));
export const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

export const CLK_TCK = 100;

/** RSS (MB) and CPU ticks (user + system, and system alone) of a process, from /proc; null once it is gone. */
export async function procSample(pid: number): Promise<{ rssMb: number; cpuTicks: number; sysTicks: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (fields 14 and 15 of /proc/<pid>/stat)
    return { rssMb: rssKb / 1024, cpuTicks: Number(fields[11]) + Number(fields[12]), sysTicks: Number(fields[12]) };
  } catch {
    return null;
  }
}

export async function loadavg(): Promise<number[]> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).map(Number);
}
