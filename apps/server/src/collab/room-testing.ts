/**
 * For the room's unit tests: a connection that records what it is sent, and a room on an
 * in-memory store (nothing stored, nothing loaded) with the fan-out a test gives it.
 */
import { itemDocName, type DocName } from '@concord/shared';
import { DEFAULT_COLLAB_LIMITS } from '../config.ts';
import { createLogger } from '../logger.ts';
import { noopMetrics } from '../metrics.ts';
import { createLocalFanout, type Fanout } from './fanout.ts';
import type { Peer } from './peer.ts';
import type { DocPersistence } from './persistence.ts';
import { loadRoom } from './room-loader.ts';
import type { Room } from './room.ts';
import type { Frames } from './ws-frame.ts';

/** What a writer of an item document in a joint session may do there (content shown, writes allowed). */
export function itemWriterAccess(userId: string, target: DocName & { kind: 'item' }): Peer['access'] {
  const { itemId } = target;
  return { name: itemDocName(itemId), doc: target, projectId: 'prj_aaaaaaaaaaaaaaaa', itemId, phase: 'joint', role: 'coder', userName: userId, moderates: false, mode: 'write', readOnly: null, content: true };
}

/** A writer on an item document in a joint session; records each write (the very message objects it carried). */
export class RecordingPeer implements Peer {
  readonly clientIds = new Set<number>();
  readonly closed = false;
  readonly writes: Uint8Array[][] = [];
  readonly actor: Peer['actor'];
  readonly access: Peer['access'];
  constructor(userId: string, target: DocName & { kind: 'item' }) {
    this.actor = { userId, isAdmin: false };
    this.access = itemWriterAccess(userId, target);
  }
  /** Every message sent, in order, whatever write carried it. */
  get sent(): Uint8Array[] {
    return this.writes.flat();
  }
  start(): void {}
  send(data: Uint8Array): void {
    this.writes.push([data]);
  }
  sendFrames(frames: Frames, from: number, to: number): void {
    this.writes.push(frames.messages.slice(from, to));
  }
  close(code: string, reason: string): void {
    throw new Error(`closed: ${code} ${reason}`);
  }
}

/** Stores nothing and loads nothing, at once. */
export const memoryStore: DocPersistence = {
  onLoadDocument: () => Promise.resolve({ updates: [], tailCount: 0, bytes: 0 }),
  onReloadDocument: () => Promise.resolve({ updates: [], tailCount: 0, bytes: 0 }),
  onStoreDocument: () => Promise.resolve({ invalid: [], timing: { startedAt: performance.now(), doneAt: performance.now() } }),
  onJoinBatch: () => false,
  onCompactDocument: () => Promise.resolve({ bytes: 0 }),
};

/** A room on an in-memory store, in a joint session, with this process alone unless `fanout` says otherwise. */
export function memoryRoom(target: DocName & { kind: 'item' }, fanout: Fanout = createLocalFanout()): Promise<Room> {
  return loadRoom(itemDocName(target.itemId), target, {
    logger: createLogger({ logLevel: 'silent' }),
    limits: DEFAULT_COLLAB_LIMITS,
    persistence: memoryStore,
    itemPhase: () => Promise.resolve('joint'),
    onBroken: () => {
      throw new Error('broken');
    },
    fanout,
    metrics: noopMetrics,
  });
}
