/**
 * One authenticated WebSocket on one document: enforces the per-connection limits, decodes
 * frames into protocol messages and hands them to its room. Closing uses the shared close
 * codes, with a reason.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { COLLAB_CLOSE_CODES, presenceColor, type CollabCloseCode } from '@concord/shared';
import type { CollabLimits } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Actor } from '../services/context.ts';
import type { DocAccess } from '../services/collab/access.ts';
import { filterAwarenessUpdate } from './awareness-filter.ts';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, ProtocolError } from './protocol.ts';
import type { Peer, PeerRoom } from './peer.ts';
import type { Frames } from './ws-frame.ts';

/** A peer that cannot keep up (its send buffer passes this) is disconnected; it resyncs on reconnect. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** WebSocket close reasons are limited to 123 bytes. */
const MAX_REASON_CHARS = 120;
/** What a connection without the document's content (DocAccess.content) is shown of it: an empty document. */
const NOTHING = new Y.Doc();
const EMPTY_STATE_VECTOR = Y.encodeStateVector(NOTHING);

export class Connection implements Peer {
  /** Awareness client ids this connection has announced (removed when it closes). */
  readonly clientIds = new Set<number>();
  alive = true;
  closed = false;
  messages = 0;
  private tokens: number;
  private refilledAt = performance.now();
  readonly openedAt = performance.now();
  /**
   * The upgraded socket, for relayed frames built once for every receiver (ws-frame.ts), or
   * null when ws must frame them itself. Without an extension ws writes every message to this
   * socket at once, in call order (its sender queues only while compressing or reading a
   * Blob), so a frame written here between two ws.send calls keeps its place; with one
   * (permessage-deflate) it may queue, and the frames go through ws.send instead.
   */
  private readonly socket: Duplex | null;

  constructor(
    readonly ws: WebSocket,
    upgraded: Duplex,
    readonly actor: Actor,
    public access: DocAccess,
    readonly room: PeerRoom,
    private readonly limits: CollabLimits,
    readonly logger: Logger,
  ) {
    this.tokens = limits.maxMessagesPerSecond * 2;
    this.socket = ws.extensions === '' ? upgraded : null;
  }

  /** First messages: the server's state vector and the current presence. */
  start(): void {
    this.send(encodeSyncStep1(this.shown()));
    this.sendAwarenessStates();
  }

  /** The document as this connection may see it: not even its state vector without `content`. */
  private shown(): Y.Doc {
    return this.access.content ? this.room.doc : NOTHING;
  }

  /**
   * After an access re-check (rooms.ts): a connection that may now see the content (a blind
   * item's coders once the item leaves the independent phase) gets it whole and is asked for
   * what it holds, as at a connect. One that loses it keeps what it was shown and gets no more.
   */
  accessChanged(before: DocAccess): void {
    if (before.content || !this.access.content) return;
    this.send(encodeSyncStep2(this.room.doc, EMPTY_STATE_VECTOR));
    this.send(encodeSyncStep1(this.room.doc));
  }

  receive(data: Uint8Array): void {
    if (this.closed) return;
    this.messages++;
    if (data.byteLength > this.limits.maxMessageBytes) {
      this.close('PAYLOAD_TOO_LARGE', `message larger than ${this.limits.maxMessageBytes} bytes`);
      return;
    }
    if (!this.takeToken()) {
      this.close('RATE_LIMITED', `more than ${this.limits.maxMessagesPerSecond} messages per second`);
      return;
    }
    try {
      const message = decodeMessage(data);
      switch (message.type) {
        case 'syncStep1':
          this.send(encodeSyncStep2(this.shown(), message.stateVector));
          return;
        case 'syncStep2':
        case 'update':
          this.room.applyClientUpdate(this, message.update, message.decoded);
          return;
        case 'awareness':
          this.applyAwareness(message.update);
          return;
        case 'queryAwareness':
          this.sendAwarenessStates();
          return;
      }
    } catch (err) {
      if (err instanceof ProtocolError) this.close('BAD_REQUEST', err.message);
      else {
        this.logger.error({ err }, 'live document message failed');
        this.close('INTERNAL', 'internal error');
      }
    }
  }

  private applyAwareness(update: Uint8Array): void {
    // The identity is the server's (the account's id and name), never the client's.
    const identity = { id: this.actor.userId, name: this.access.userName, color: presenceColor(this.actor.userId) };
    this.room.presence.receive(this, filterAwarenessUpdate(update, identity));
  }

  private sendAwarenessStates(): void {
    const states = this.room.presence.statesFor(this);
    if (states) this.send(encodeAwareness(states));
  }

  send(data: Uint8Array): void {
    if (this.mayWrite()) this.ws.send(data);
  }

  /** Messages `from` to `to` of `frames`, in one socket write when ws allows it (see `socket`). */
  sendFrames(frames: Frames, from: number, to: number): void {
    if (!this.access.content || !this.mayWrite()) return;
    if (this.socket) this.socket.write(frames.wireOf(from, to));
    else for (let i = from; i < to; i++) this.ws.send(frames.messages[i]!);
  }

  /** Open, and keeping up (ws's bufferedAmount counts the socket's queue, so writes past ws too). */
  private mayWrite(): boolean {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return false;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close('INTERNAL', 'the connection cannot keep up');
      return false;
    }
    return true;
  }

  close(code: CollabCloseCode, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const level = code === 'INTERNAL' ? 'warn' : 'debug';
    this.logger[level]({ doc: this.access.name, userId: this.actor.userId, code, reason }, 'live document connection closed by the server');
    this.ws.close(COLLAB_CLOSE_CODES[code], `${code}: ${reason}`.slice(0, MAX_REASON_CHARS));
  }

  private takeToken(): boolean {
    const now = performance.now();
    const rate = this.limits.maxMessagesPerSecond;
    this.tokens = Math.min(rate * 2, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
