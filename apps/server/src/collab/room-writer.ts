/**
 * The write side of a room: changes wait in a batch, the batch is stored through the
 * persistence extension, and only then handed back to the room to publish and relay.
 * Ordering and durability: INTERNALS.md (The commit pipeline).
 */
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { CommitTiming } from './item-log.ts';
import type { DocPersistence, StoreBatch } from './persistence.ts';
import type { Peer } from './peer.ts';

/** Compact the log into the snapshot after this many persisted updates (and when the room unloads). */
export const COMPACT_EVERY_UPDATES = 500;

/**
 * Compactions one process runs at once. Each holds a pool connection for its transaction; when
 * every room reached COMPACT_EVERY_UPDATES together (50 documents edited at the same rate), their
 * compactions took the whole pool and every commit waited behind them: deliveries stalled for up
 * to a second (bench/README.md, "After the seventh session's merge").
 */
export const COMPACTIONS_AT_ONCE = 2;
let compactionsRunning = 0;
const compactionQueue: Array<() => void> = [];

async function compactionSlot(): Promise<() => void> {
  if (compactionsRunning >= COMPACTIONS_AT_ONCE) await new Promise<void>((resolve) => compactionQueue.push(resolve));
  else compactionsRunning++;
  return () => {
    const next = compactionQueue.shift();
    // The slot passes to the next compaction waiting, or is given back.
    if (next) next();
    else compactionsRunning--;
  };
}

interface Deferred {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Where a change to the Y.Doc came from. Only `client` and `server` changes are persisted;
 * `load` (snapshot and log replay) and `remote` (another process's persisted batch, or the
 * stored state re-read after a Redis reconnect) never are, so nothing is stored twice.
 */
export type Origin =
  | { kind: 'load' }
  | { kind: 'remote' }
  | { kind: 'client'; connection: Peer }
  | { kind: 'server'; userId: string; done: Deferred };

export type LocalOrigin = Extract<Origin, { kind: 'client' | 'server' }>;

export interface Pending {
  update: Uint8Array;
  origin: LocalOrigin;
}

export interface WriterHost {
  readonly name: string;
  readonly itemId: string;
  /** The batch to store, without its updates (filled in by the writer). */
  batch(): Omit<StoreBatch, 'updates'>;
  /** The batch is durable: publish it to the other processes and relay it. */
  committed(batch: readonly Pending[]): void;
  /** A batch could not be stored: the in-memory document is ahead of the database. */
  failed(err: unknown): void;
}

export class RoomWriter {
  /** Approximate encoded size: the stored size at load plus every update since. */
  approxBytes = 0;
  private tailCount = 0;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** The batch handed to the store and not yet committed: later updates may join it (`enqueue`). */
  private storing: { batch: StoreBatch; pending: Pending[] } | null = null;
  /** When the first update of the pending batch arrived (performance.now()), for the relay latency. */
  private pendingSince = 0;
  private brokenBy: unknown = null;
  /** The compaction running, if any (one per room at a time). */
  private compacting: Promise<void> | null = null;
  private readonly warned = new Set<string>();

  constructor(
    private readonly host: WriterHost,
    private readonly env: { persistence: DocPersistence; metrics: Metrics; logger: Logger },
  ) {}

  /** The error of the batch that failed, or null. */
  get broken(): unknown {
    return this.brokenBy;
  }

  /** The stored state was loaded: its size and the log rows not yet compacted. */
  loaded(stored: { bytes: number; tailCount: number }): void {
    this.approxBytes = stored.bytes;
    this.tailCount = stored.tailCount;
  }

  /** A change that is stored already (another process's batch) still grows the document. */
  grew(bytes: number): void {
    this.approxBytes += bytes;
  }

  enqueue(update: Uint8Array, origin: LocalOrigin): void {
    this.approxBytes += update.byteLength;
    // Joins the batch being stored while that still waits for its commit (nothing pending
    // before it, so the order holds): committed and relayed with it, one commit sooner.
    if (this.storing && !this.pending.length && this.env.persistence.onJoinBatch(this.storing.batch, [update])) {
      this.storing.pending.push({ update, origin });
      return;
    }
    if (this.pending.push({ update, origin }) === 1) this.pendingSince = performance.now();
    this.scheduleFlush();
  }

  /** Resolves when every change so far is persisted (rejects if a batch failed). */
  async flushed(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.brokenBy) throw this.brokenBy;
  }

  /** Merges the log into the snapshot (when there is a log); waits for a compaction already running. */
  async compact(): Promise<void> {
    while (this.compacting) await this.compacting;
    if (this.tailCount === 0 || this.brokenBy) return;
    this.compacting = this.mergeLog().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private async mergeLog(): Promise<void> {
    const release = await compactionSlot();
    const [rows, bytesBefore] = [this.tailCount, this.approxBytes];
    try {
      const { bytes } = await this.env.persistence.onCompactDocument(this.host.name, this.host.itemId);
      // Batches stored while it ran may stay in the log (it deletes exactly the rows it merged).
      this.tailCount = Math.max(0, this.tailCount - rows);
      this.approxBytes = bytes + (this.approxBytes - bytesBefore);
    } catch (err) {
      // The log is intact; the next compaction retries.
      this.env.logger.warn({ err, doc: this.host.name }, 'live document compaction failed');
    } finally {
      release();
    }
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    // A microtask, not setImmediate: INTERNALS.md (Batching).
    this.flushing = Promise.resolve()
      .then(() => this.flushLoop())
      .finally(() => {
        this.flushing = null;
        if (this.pending.length && !this.brokenBy) this.scheduleFlush();
      });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length && !this.brokenBy) {
      const [receivedAt, handedAt] = [this.pendingSince, performance.now()];
      const batch = this.pending.splice(0);
      // Read now: the values after exactly this batch.
      const base = this.host.batch();
      const store: StoreBatch = { ...base, updates: batch.map((p) => p.update) };
      let timing: CommitTiming;
      this.storing = { batch: store, pending: batch };
      try {
        const stored = await this.env.persistence.onStoreDocument(store);
        if (stored.invalid.length) this.warnOnce(stored.invalid.map((i) => i.fieldKey), base.codingValues());
        timing = stored.timing;
      } catch (err) {
        this.fail(err, batch);
        return;
      } finally {
        this.storing = null;
      }
      const resumedAt = performance.now();
      this.tailCount += batch.length;
      this.host.committed(batch);
      for (const p of batch) if (p.origin.kind === 'server') p.origin.done.resolve();
      this.env.metrics.liveDelivered({ updates: batch.length, receivedAt, handedAt, ...timing, resumedAt });
      // Not awaited: the room's next batches commit while the log is merged (store.ts keeps
      // rows appended meanwhile), and unload waits for it through compact().
      if (this.tailCount >= COMPACT_EVERY_UPDATES && !this.compacting) void this.compact();
    }
  }

  private warnOnce(fieldKeys: string[], values: Record<string, unknown>): void {
    for (const fieldKey of fieldKeys) {
      const key = `${fieldKey}=${JSON.stringify(values[fieldKey])}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      // Not the problem's text: it quotes the coded value.
      this.env.logger.warn({ doc: this.host.name, fieldKey }, 'coding document value not projected');
    }
  }

  /** Waiting writers get the error; the room closes its connections (clients resend on reconnect). */
  private fail(err: unknown, batch: Pending[]): void {
    this.brokenBy = err;
    for (const p of [...batch, ...this.pending.splice(0)]) if (p.origin.kind === 'server') p.origin.done.reject(err);
    this.host.failed(err);
  }
}
