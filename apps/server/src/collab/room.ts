/**
 * One live document in memory: its Y.Doc, its presence, its connections, and the write
 * pipeline. Updates from clients (and from the server's own REST write path) are applied
 * at once, persisted in batches and relayed to the other connections only after their batch
 * commits. A batch starts as soon as the message that changed the document is handled (a
 * microtask later: the frames of one socket read still batch); what arrives while it is being
 * stored is the next batch. Item documents share one commit per turn of the event loop
 * through the ItemLog; coding documents get one transaction each.
 *
 * With several processes (fanout.ts), a committed batch is then published on the document's
 * channel; the other processes apply it with the `remote` origin, which is never persisted
 * again (the sender stored it), and relay it to their own connections. Presence goes the
 * same way, filtered before it leaves and again when it arrives (room-presence.ts).
 */
import * as Y from 'yjs';
import { CODING_DOC, type CodingValue, type DocName, type Phase } from '@concord/shared';
import type { Db } from '@concord/db';
import type { CollabLimits } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ServiceContext } from '../services/context.ts';
import { persistDocBatch, seedCodingDoc } from '../services/collab/persist.ts';
import { codingRowValues } from '../services/collab/projection.ts';
import { compactDoc, loadDocUpdates } from '../services/collab/store.ts';
import { itemPhase } from '../services/collab/access.ts';
import type { Connection } from './connection.ts';
import type { DocChannel, DocMessage, Fanout } from './fanout.ts';
import type { ItemLog } from './item-log.ts';
import { encodeUpdate } from './protocol.ts';
import { ItemDocGuard } from './item-integrity.ts';
import { RoomPresence } from './room-presence.ts';

/** Compact the log into the snapshot after this many persisted updates (and when the room unloads). */
export const COMPACT_EVERY_UPDATES = 500;

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
  | { kind: 'client'; connection: Connection }
  | { kind: 'server'; userId: string; done: Deferred };

const REMOTE: Origin = { kind: 'remote' };

const isOrigin = (value: unknown): value is Origin => typeof value === 'object' && value !== null && 'kind' in value;

interface Pending {
  update: Uint8Array;
  origin: Exclude<Origin, { kind: 'load' } | { kind: 'remote' }>;
}

export interface RoomEnv {
  db: Db;
  logger: Logger;
  limits: CollabLimits;
  /** Where item documents' batches are committed (together with other rooms' batches). */
  itemLog: ItemLog;
  /** Called once when the room can no longer be trusted (a batch failed): the registry forgets it. */
  onBroken(room: Room): void;
  /** The other processes serving documents (a no-op with one process). */
  fanout: Fanout;
  metrics: Metrics;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly presence: RoomPresence;
  readonly connections = new Set<Connection>();
  readonly itemId: string;
  /** Approximate encoded size: the stored size at load plus every update since. */
  private approxBytes = 0;
  private tailCount = 0;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** When the first update of the pending batch arrived (performance.now()), for the relay latency. */
  private pendingSince = 0;
  private broken: unknown = null;
  private readonly warned = new Set<string>();
  private readonly ctx: ServiceContext;
  private channel: DocChannel | null = null;
  /** Item documents: authorship is checked before a client's update is applied (item-integrity.ts). */
  private readonly guard: ItemDocGuard | null;

  private constructor(
    readonly name: string,
    readonly target: DocName,
    private readonly env: RoomEnv,
    phase: Phase,
  ) {
    this.itemId = target.itemId;
    this.ctx = { db: env.db, actor: null, logger: env.logger };
    this.presence = new RoomPresence(
      this.doc,
      { connections: this.connections, publish: (update) => this.channel?.publish({ type: 'awareness', update }) },
      { phase, renewMs: env.limits.presenceRenewMs },
    );
    this.guard = target.kind === 'item' ? new ItemDocGuard(this.doc) : null;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Clients' updates went through the guard's shadow already; everything else follows.
      if (this.guard && !(isOrigin(origin) && origin.kind === 'client')) this.guard.follow(update);
      if (!isOrigin(origin) || origin.kind === 'load') return;
      this.approxBytes += update.byteLength;
      if (origin.kind === 'remote') {
        // Already stored by the process it came from (or read from the store): relay only.
        const message = encodeUpdate(update);
        for (const c of this.connections) c.send(message);
        return;
      }
      if (this.pending.push({ update, origin }) === 1) this.pendingSince = performance.now();
      this.scheduleFlush();
    });
  }

  /**
   * Loads snapshot + log. A coding document without history starts from the coder's existing
   * rows. The document's channel is subscribed first: what other processes publish during the
   * load is kept and applied after it (Yjs updates are idempotent).
   */
  static async load(name: string, target: DocName, env: RoomEnv): Promise<Room> {
    const room = new Room(name, target, env, await itemPhase({ db: env.db, actor: null, logger: env.logger }, target.itemId));
    let early: DocMessage[] | null = [];
    room.channel = await env.fanout.openDoc(name, (message) => (early ? early.push(message) : room.receive(message)));
    try {
      const stored = await loadDocUpdates(room.ctx, name);
      room.applyLoaded(stored.updates);
      room.approxBytes = stored.bytes;
      room.tailCount = stored.tailCount;
      if (target.kind === 'coding' && stored.updates.length === 0) {
        const values = await codingRowValues(room.ctx, target.itemId, target.coderId);
        if (Object.keys(values).length) {
          const { seeded, stored: late } = await seedCodingDoc(room.ctx, {
            name,
            itemId: target.itemId,
            seed() {
              const scratch = new Y.Doc();
              const map = scratch.getMap(CODING_DOC.values);
              Y.transact(scratch, () => Object.entries(values).forEach(([k, v]) => map.set(k, v)));
              const seed = Y.encodeStateAsUpdate(scratch);
              scratch.destroy();
              return seed;
            },
          });
          // Another process may have seeded (or written) it meanwhile: then its state is loaded.
          const updates = seeded ? [seeded] : late;
          room.applyLoaded(updates);
          room.approxBytes = updates.reduce((n, u) => n + u.byteLength, 0);
          room.tailCount = updates.length;
        }
      }
    } catch (err) {
      room.destroy();
      throw err;
    }
    for (const message of early) room.receive(message);
    early = null;
    room.channel.publish({ type: 'hello' });
    return room;
  }

  private applyLoaded(updates: Uint8Array[]): void {
    Y.transact(this.doc, () => updates.forEach((u) => Y.applyUpdate(this.doc, u)), { kind: 'load' } satisfies Origin);
  }

  /** A message from another process on this document's channel. */
  private receive(message: DocMessage): void {
    if (this.broken) return;
    try {
      if (message.type === 'update') Y.applyUpdate(this.doc, message.update, REMOTE);
      // Filtered by its sender; filtered again here, so no value can arrive through presence.
      else if (message.type === 'awareness') this.presence.receiveRemote(message.update);
      else {
        // A process opened the document: tell it who is here.
        const local = this.presence.localUpdate();
        if (local) this.channel?.publish({ type: 'awareness', update: local });
      }
    } catch (err) {
      this.env.logger.error({ err, doc: this.name }, 'fan-out message could not be applied');
    }
  }

  /**
   * After a Redis reconnect: updates published meanwhile were lost, so the stored state is
   * applied again (only what this process lacks changes anything and is relayed), and the
   * other processes are asked for their presence.
   */
  async resync(): Promise<void> {
    if (this.broken) return;
    const stored = await loadDocUpdates(this.ctx, this.name);
    if (this.broken) return;
    Y.transact(this.doc, () => stored.updates.forEach((u) => Y.applyUpdate(this.doc, u)), REMOTE);
    this.channel?.publish({ type: 'hello' });
  }

  get isBroken(): boolean {
    return this.broken !== null;
  }

  /** Removes the presence of every connection here (shutdown: the other processes drop it too). */
  dropLocalPresence(): void {
    this.presence.dropLocal();
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    connection.start();
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.presence.leave(connection);
  }

  /** An update from a connection: refused (and the connection closed) when it may not write or the document is full. */
  applyClientUpdate(connection: Connection, update: Uint8Array): void {
    if (this.broken) return;
    if (connection.access.mode === 'read') {
      if (connection.isNoOp(update)) return;
      const readOnly = connection.access.readOnly ?? { code: 'FORBIDDEN', reason: 'read-only connection' };
      connection.close(readOnly.code, `read-only: ${readOnly.reason}`);
      return;
    }
    if (this.approxBytes + update.byteLength > this.env.limits.maxDocBytes) {
      connection.close('PAYLOAD_TOO_LARGE', `the document would pass ${this.env.limits.maxDocBytes} bytes`);
      return;
    }
    const refusal = this.guard?.check(update, { userId: connection.actor.userId, mayModerate: connection.access.moderates });
    if (refusal) {
      // Nothing of it is applied, stored or relayed.
      connection.close('FORBIDDEN', refusal);
      return;
    }
    Y.applyUpdate(this.doc, update, { kind: 'client', connection } satisfies Origin);
  }

  /** The REST write path: sets or clears a coder's values; resolves once persisted and relayed. */
  writeCodingValues(userId: string, values: Record<string, CodingValue | null>): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<void>((resolve, reject) => {
      const origin: Origin = { kind: 'server', userId, done: { resolve, reject } };
      const map = this.doc.getMap(CODING_DOC.values);
      const before = this.pending.length;
      Y.transact(
        this.doc,
        () => {
          for (const [key, value] of Object.entries(values)) {
            if (value === null) map.delete(key);
            else if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
          }
        },
        origin,
      );
      if (this.pending.length === before) resolve();
    });
  }

  /** Resolves when every change so far is persisted (rejects if a batch failed). */
  async flushed(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.broken) throw this.broken;
  }

  /** Merges the log into the snapshot (when there is a log). */
  async compact(): Promise<void> {
    if (this.tailCount === 0 || this.broken) return;
    try {
      const { bytes } = await compactDoc(this.ctx, { docName: this.name, itemId: this.itemId });
      this.tailCount = 0;
      this.approxBytes = bytes;
    } catch (err) {
      // The log is intact; the next compaction retries.
      this.env.logger.warn({ err, doc: this.name }, 'live document compaction failed');
    }
  }

  destroy(): void {
    this.channel?.close();
    this.presence.destroy();
    this.guard?.destroy();
    this.doc.destroy();
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    // Not setImmediate: waiting a whole turn of the event loop (every socket read of it) before
    // storing added that turn to each relay's latency under load.
    this.flushing = Promise.resolve()
      .then(() => this.flushLoop())
      .finally(() => {
        this.flushing = null;
        if (this.pending.length && !this.broken) this.scheduleFlush();
      });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length && !this.broken) {
      const [receivedAt, commitStartedAt] = [this.pendingSince, performance.now()];
      const batch = this.pending.splice(0);
      // The values after exactly this batch: every applied change is in it.
      const values = this.target.kind === 'coding' ? this.doc.getMap(CODING_DOC.values).toJSON() : {};
      try {
        const updates = batch.map((p) => p.update);
        const { invalid } =
          this.target.kind === 'item'
            ? await this.env.itemLog.append({ name: this.name, itemId: this.itemId, updates }).then(() => ({ invalid: [] }))
            : await persistDocBatch(this.ctx, { name: this.name, doc: this.target, updates, codingValues: () => values, fromStore: this.env.fanout.shared });
        for (const i of invalid) {
          const key = `${i.fieldKey}=${JSON.stringify(values[i.fieldKey])}`;
          if (this.warned.has(key)) continue;
          this.warned.add(key);
          // Not the problem's text: it quotes the coded value.
          this.env.logger.warn({ doc: this.name, fieldKey: i.fieldKey }, 'coding document value not projected');
        }
      } catch (err) {
        this.fail(err, batch);
        return;
      }
      this.env.metrics.liveCommit(batch.length, commitStartedAt);
      this.tailCount += batch.length;
      // Stored: now the other processes may have it (they never store it again). Merging
      // costs a few percent of the CPU under load, so only when there is someone to tell.
      if (this.env.fanout.shared) {
        this.channel?.publish({ type: 'update', update: batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((p) => p.update)) });
      }
      for (const p of batch) {
        const message = encodeUpdate(p.update);
        for (const c of this.connections) if (p.origin.kind !== 'client' || p.origin.connection !== c) c.send(message);
        if (p.origin.kind === 'server') p.origin.done.resolve();
      }
      this.env.metrics.liveRelay(receivedAt);
      if (this.tailCount >= COMPACT_EVERY_UPDATES) await this.compact();
    }
  }

  /**
   * A batch could not be stored: the in-memory document is ahead of the database, so it is
   * dropped. Connections are closed (clients still hold their changes and resend them on
   * reconnect, unless the document is frozen) and waiting writers get the error.
   */
  private fail(err: unknown, batch: Pending[]): void {
    this.broken = err;
    const code = err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'FORBIDDEN') ? err.code : 'INTERNAL';
    if (code === 'INTERNAL') this.env.logger.error({ err, doc: this.name }, 'live document batch could not be stored');
    for (const p of [...batch, ...this.pending.splice(0)]) if (p.origin.kind === 'server') p.origin.done.reject(err);
    const reason = err instanceof AppError && code !== 'INTERNAL' ? err.message : 'the change could not be stored; reconnect';
    for (const c of this.connections) c.close(code, reason);
    this.env.onBroken(this);
  }
}
