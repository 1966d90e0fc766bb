/**
 * One live document in memory: its Y.Doc and connections, composed of small parts: loading
 * (room-loader.ts), presence (room-presence.ts), writing (room-writer.ts, through the
 * persistence extension, persistence.ts) and, for item documents, the authorship guard
 * (item-integrity.ts). How an update travels: INTERNALS.md.
 */
import * as Y from 'yjs';
import { CODING_DOC, type CodingValue, type DocName, type Phase } from '@concord/shared';
import type { CollabLimits } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DocChannel, DocMessage, Fanout } from './fanout.ts';
import { ItemDocGuard } from './item-integrity.ts';
import type { Peer, PeerRoom } from './peer.ts';
import type { DocPersistence, StoredDoc } from './persistence.ts';
import type { DecodedUpdate } from './protocol.ts';
import { RoomPresence } from './room-presence.ts';
import { RoomWriter, type Origin, type Pending } from './room-writer.ts';
import { WaitingUpdates } from './waiting-updates.ts';
import { Frames } from './ws-frame.ts';

const LOAD: Origin = { kind: 'load' };
const REMOTE: Origin = { kind: 'remote' };

/** Whether a transaction changed anything: the test Yjs itself makes before it emits 'update' (a loop: once per update, no array). */
function changedBy(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true;
  return false;
}

export interface RoomEnv {
  logger: Logger;
  limits: CollabLimits;
  persistence: DocPersistence;
  /** The item's phase as stored (presence is blind while it is independent). */
  itemPhase(itemId: string): Promise<Phase>;
  /** Called once when the room can no longer be trusted (a batch failed): the registry forgets it. */
  onBroken(room: Room): void;
  /** The other processes serving documents (a no-op with one process). */
  fanout: Fanout;
  metrics: Metrics;
}

export class Room implements PeerRoom {
  readonly doc = new Y.Doc();
  readonly presence: RoomPresence;
  readonly connections = new Set<Peer>();
  readonly itemId: string;
  private readonly writer: RoomWriter;
  private channel: DocChannel | null = null;
  /** Set by the last transaction when it changed the document (see `apply`). */
  private changed = false;
  /** Item documents: authorship is checked before a client's update is applied (item-integrity.ts). */
  private readonly guard: ItemDocGuard | null;
  /** Item documents: client updates that build on content not here yet (waiting-updates.ts). */
  private readonly waiting: WaitingUpdates<Peer> | null;

  constructor(
    readonly name: string,
    readonly target: DocName,
    private readonly env: RoomEnv,
    phase: Phase,
  ) {
    this.itemId = target.itemId;
    this.presence = new RoomPresence(
      this.doc,
      { connections: this.connections, publish: env.fanout.shared ? (update) => this.channel?.publish({ type: 'awareness', update }) : null },
      { phase, renewMs: env.limits.presenceRenewMs },
    );
    this.guard = target.kind === 'item' ? new ItemDocGuard(this.doc) : null;
    this.waiting = this.guard ? new WaitingUpdates(env.limits.maxMessageBytes) : null;
    this.writer = new RoomWriter(
      {
        name,
        itemId: this.itemId,
        batch: () => {
          const values = target.kind === 'coding' ? this.doc.getMap(CODING_DOC.values).toJSON() : {};
          return { name, doc: target, codingValues: () => values };
        },
        committed: (batch) => this.committed(batch),
        failed: (err) => this.failed(err),
      },
      env,
    );
    // No 'update' listener: with one, Yjs encodes every transaction again (INTERNALS.md, Raw updates).
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (changedBy(tr)) this.changed = true;
    });
  }

  /** Applies an update; whether it changed the document or waits for content it depends on. */
  private apply(update: Uint8Array, origin: Origin): boolean {
    this.changed = false;
    Y.applyUpdate(this.doc, update, origin);
    return this.changed || this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
  }

  /** Runs a change and returns what it changed, as Yjs encodes it (the server's writes, a resync), or null. */
  private capture(change: () => void): Uint8Array | null {
    const updates: Uint8Array[] = [];
    const collect = (update: Uint8Array) => updates.push(update);
    this.doc.on('update', collect);
    try {
      change();
    } finally {
      this.doc.off('update', collect);
    }
    return updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
  }

  /** Changes that are durable already (another process's batch, the store re-read): relayed only, framed once. */
  private relayStored(bytes: number, frames: Frames): void {
    this.writer.grew(bytes);
    for (const c of this.connections) c.sendFrames(frames, 0, frames.length);
  }

  /** The channel to the other processes (room-loader.ts opens it before the load). */
  attach(channel: DocChannel): void {
    this.channel = channel;
  }

  /** The stored state, as loaded (never stored again) or re-read after a Redis reconnect (relayed where it changes something). */
  applyStored(stored: StoredDoc, how: 'load' | 'resync'): void {
    const applyAll = () => Y.transact(this.doc, () => stored.updates.forEach((u) => Y.applyUpdate(this.doc, u)), how === 'load' ? LOAD : REMOTE);
    if (how === 'load') {
      applyAll();
      this.writer.loaded(stored);
      return;
    }
    const changed = this.capture(applyAll);
    if (changed) {
      this.relayStored(changed.byteLength, Frames.ofUpdates([changed]));
      this.retryWaiting();
    }
  }

  /** A message from another process on this document's channel. */
  receive(message: DocMessage): void {
    if (this.isBroken) return;
    try {
      if (message.type === 'update') {
        // Each update applied as it came; those that changed something relayed in the messages the sender relayed them in.
        const relayed: Uint8Array[] = [];
        let bytes = 0;
        for (const { update, frame } of message.updates) {
          if (!this.apply(update, REMOTE)) continue;
          relayed.push(frame);
          bytes += update.byteLength;
        }
        if (relayed.length) {
          this.relayStored(bytes, Frames.ofMessages(relayed));
          this.retryWaiting();
        }
      }
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

  /** Asks the other processes for their presence (after a load or a Redis reconnect). */
  hello(): void {
    this.channel?.publish({ type: 'hello' });
  }

  get isBroken(): boolean {
    return this.writer.broken !== null;
  }

  /** Removes the presence of every connection here (shutdown: the other processes drop it too). */
  dropLocalPresence(): void {
    this.presence.dropLocal();
  }

  join(connection: Peer & { start(): void }): void {
    this.connections.add(connection);
    connection.start();
  }

  leave(connection: Peer): void {
    if (!this.connections.delete(connection)) return;
    this.waiting?.drop(connection);
    this.presence.leave(connection);
  }

  /** An update from a connection: refused (and the connection closed) when it may not write or the document is full. */
  applyClientUpdate(connection: Peer, update: Uint8Array, decoded?: DecodedUpdate): void {
    if (this.isBroken) return;
    // A connection shown nothing of the document (DocAccess.content) is told nothing about it
    // either: whatever it sends is ignored, not checked against the content (its client keeps it
    // and sends it again once it may write).
    if (!connection.access.content) return;
    if (connection.access.mode === 'read') {
      // Read-only connections may send updates that change nothing (every client's first sync step 2).
      if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) return;
      const readOnly = connection.access.readOnly ?? { code: 'FORBIDDEN', reason: 'read-only connection' };
      connection.close(readOnly.code, `read-only: ${readOnly.reason}`);
      return;
    }
    // After what this connection sent earlier and is still waiting, in order.
    const change = this.waiting ? this.waiting.withHeld(connection, update) : update;
    if (this.writer.approxBytes + change.byteLength > this.env.limits.maxDocBytes) {
      connection.close('PAYLOAD_TOO_LARGE', `the document would pass ${this.env.limits.maxDocBytes} bytes`);
      return;
    }
    const writer = { userId: connection.actor.userId, mayModerate: connection.access.moderates };
    const check = this.guard?.check(change, writer, change === update ? decoded : undefined);
    if (check?.verdict === 'refuse') {
      // Nothing of it is applied, stored or relayed.
      connection.close('FORBIDDEN', check.reason);
      return;
    }
    if (check?.verdict === 'wait') {
      if (!this.waiting!.hold(connection, change)) {
        connection.close('FORBIDDEN', `the change builds on content the server does not have (more than ${this.env.limits.maxMessageBytes} bytes waiting)`);
      }
      return;
    }
    const origin: Origin = { kind: 'client', connection };
    // Stored and relayed as the client sent it (what it repeats of the document is harmless: Yjs updates are idempotent).
    if (this.apply(change, origin)) {
      this.writer.enqueue(change, origin);
      this.retryWaiting();
    }
  }

  /** Applies the held updates whose missing content has arrived (each through the same checks). */
  private retryWaiting(): void {
    if (!this.waiting?.size) return;
    for (const [connection, update] of this.waiting.takeReady(Y.decodeStateVector(Y.encodeStateVector(this.doc)))) {
      if (this.connections.has(connection) && !connection.closed) this.applyClientUpdate(connection, update);
    }
  }

  /** The REST write path: sets or clears a coder's values; resolves once persisted and relayed. */
  writeCodingValues(userId: string, values: Record<string, CodingValue | null>): Promise<void> {
    if (this.writer.broken) return Promise.reject(this.writer.broken);
    return new Promise<void>((resolve, reject) => {
      const origin: Origin = { kind: 'server', userId, done: { resolve, reject } };
      const map = this.doc.getMap(CODING_DOC.values);
      const update = this.capture(() =>
        Y.transact(
          this.doc,
          () => {
            for (const [key, value] of Object.entries(values)) {
              if (value === null) map.delete(key);
              else if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
            }
          },
          origin,
        ),
      );
      if (!update) return resolve();
      this.writer.enqueue(update, origin);
    });
  }

  /** Resolves when every change so far is persisted (rejects if a batch failed). */
  flushed(): Promise<void> {
    return this.writer.flushed();
  }

  /** Merges the log into the snapshot (when there is a log). */
  compact(): Promise<void> {
    return this.writer.compact();
  }

  destroy(): void {
    this.channel?.close();
    this.presence.destroy();
    this.doc.destroy();
  }

  /**
   * A batch is durable: the other processes may have it now (they never store it again), then
   * this process's connections. Its messages are framed once (ws-frame.ts); each connection
   * gets those it did not send, in one write when it sent none. The other processes get the
   * very messages relayed here, once, not merged (fanout-wire.ts).
   */
  private committed(batch: readonly Pending[]): void {
    const frames = Frames.ofUpdates(batch.map((p) => p.update));
    if (this.env.fanout.shared) this.channel?.publish({ type: 'update', updates: batch.map((p, i) => ({ update: p.update, frame: frames.messages[i]! })) });
    for (const c of this.connections) {
      // Runs of the batch this connection did not send (no echo of its own updates).
      let from = 0;
      for (let i = 0; i < batch.length; i++) {
        const origin = batch[i]!.origin;
        if (origin.kind !== 'client' || origin.connection !== c) continue;
        if (i > from) c.sendFrames(frames, from, i);
        from = i + 1;
      }
      if (from < batch.length) c.sendFrames(frames, from, batch.length);
    }
  }

  /** Connections are closed (clients still hold their changes and resend them on reconnect, unless the document is frozen). */
  private failed(err: unknown): void {
    const code = err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'FORBIDDEN') ? err.code : 'INTERNAL';
    if (code === 'INTERNAL') this.env.logger.error({ err, doc: this.name }, 'live document batch could not be stored');
    const reason = err instanceof AppError && code !== 'INTERNAL' ? err.message : 'the change could not be stored; reconnect';
    for (const c of this.connections) c.close(code, reason);
    this.env.onBroken(this);
  }
}
