/**
 * The two sides of a live connection as each sees the other, so that the connection
 * (connection.ts) and the room (room.ts) depend on these interfaces and never on each other.
 */
import type * as Y from 'yjs';
import type { CollabCloseCode } from '@concord/shared';
import type { Actor } from '../services/context.ts';
import type { DocAccess } from '../services/collab/access.ts';
import type { AwarenessEntry } from './awareness-filter.ts';
import type { DecodedUpdate } from './protocol.ts';
import type { Frames } from './ws-frame.ts';

/** A connection as its room and the presence see it. */
export interface Peer {
  readonly actor: Actor;
  /** Re-resolved on access re-checks (rooms.ts). */
  readonly access: DocAccess;
  /** Awareness client ids this connection has announced (removed when it closes). */
  readonly clientIds: Set<number>;
  readonly closed: boolean;
  send(data: Uint8Array): void;
  /** Relayed messages `from` to `to` of `frames`, framed once for every receiver (ws-frame.ts). */
  sendFrames(frames: Frames, from: number, to: number): void;
  close(code: CollabCloseCode, reason: string): void;
}

/** A room as its connections see it. */
export interface PeerRoom {
  readonly doc: Y.Doc;
  readonly itemId: string;
  readonly presence: {
    receive(peer: Peer, entries: AwarenessEntry[]): void;
    statesFor(peer: Peer): Uint8Array | null;
  };
  applyClientUpdate(peer: Peer, update: Uint8Array, decoded?: DecodedUpdate): void;
  leave(peer: Peer): void;
  /** Removes the presence of every connection here (shutdown: the other processes drop it too). */
  dropLocalPresence(): void;
}
