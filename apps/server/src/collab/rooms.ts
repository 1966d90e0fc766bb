/**
 * The registry of live documents, created by createDeps() and closed on shutdown. A room is
 * loaded once however many connections ask at the same time, and unloaded (flushed, then
 * compacted) when its last user leaves; a room being unloaded is waited for, never reused.
 * Access re-checks run here and, through the fan-out's control channel, on every other
 * process serving documents, before they resolve.
 */
import { once } from 'node:events';
import type { Db } from '@concord/db';
import { codingDocName, parseDocName, type CodingValue, type DocName } from '@concord/shared';
import type { CollabLimits } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { noopMetrics, type Metrics } from '../metrics.ts';
import { itemPhase, resolveDocAccess } from '../services/collab/access.ts';
import type { CollabDocs } from '../services/collab/docs.ts';
import type { Connection } from './connection.ts';
import { createLocalFanout, type ControlMessage, type Fanout } from './fanout.ts';
import type { CommitOptions } from './item-log.ts';
import { createDatabasePersistence } from './persistence.ts';
import type { Room, RoomEnv } from './room.ts';
import { loadRoom, reloadRoom } from './room-loader.ts';

/** Connections that do not answer a ping within this interval are dropped. */
export const HEARTBEAT_MS = 30_000;
/** On shutdown, how long clients get to answer the close frame. */
const SHUTDOWN_GRACE_MS = 1_000;

interface Entry {
  ready: Promise<Room>;
  refs: number;
  unloading: Promise<void> | null;
}

export interface Lease {
  room: Room;
  /** Idempotent. */
  release(): void;
}

export interface Rooms extends CollabDocs {
  acquire(name: string, target: DocName): Promise<Lease>;
  /** Every open connection, for the heartbeat and for shutdown. */
  readonly connections: Set<Connection>;
  openRooms(): number;
  /** Closes every connection (4500: clients reconnect to the next server), flushes and unloads every room. */
  close(): Promise<void>;
}

/**
 * `fanout` defaults to one process (no fan-out), e.g. for the demo seed outside a server.
 * `commits`: how item documents' group commits may overlap (item-log.ts).
 */
export function createRooms(options: { db: Db; logger: Logger; limits: CollabLimits; fanout?: Fanout; commits?: CommitOptions; metrics?: Metrics }): Rooms {
  const { db, logger, limits } = options;
  const fanout = options.fanout ?? createLocalFanout();
  const entries = new Map<string, Entry>();
  const connections = new Set<Connection>();
  let closing: Promise<void> | null = null;

  const metrics = options.metrics ?? noopMetrics;
  const env: RoomEnv = {
    logger,
    limits,
    fanout,
    metrics,
    persistence: createDatabasePersistence({ db, logger, commits: options.commits, shared: fanout.shared, observer: metrics }),
    itemPhase: (itemId) => itemPhase({ ctx: { db, actor: null, logger }, itemId }),
    onBroken(room) {
      // New connections load a fresh room; this one is destroyed when its last lease is released.
      const entry = entries.get(room.name);
      if (entry && !entry.unloading) entries.delete(room.name);
    },
  };

  const heartbeat = setInterval(() => {
    for (const c of connections) {
      if (!c.alive) c.ws.terminate();
      else {
        c.alive = false;
        c.ws.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  function unload(name: string, entry: Entry): Promise<void> {
    entry.unloading = (async () => {
      const room = await entry.ready;
      try {
        await room.flushed();
        await room.compact();
      } catch {
        // A failed batch was already logged and its room dropped; nothing more to store.
      } finally {
        room.destroy();
        if (entries.get(name) === entry) entries.delete(name);
      }
    })();
    return entry.unloading;
  }

  async function acquire(name: string, target: DocName): Promise<Lease> {
    if (closing) throw new AppError('INTERNAL', 'the server is shutting down');
    for (;;) {
      let entry = entries.get(name);
      if (entry?.unloading) {
        await entry.unloading;
        continue;
      }
      if (!entry) {
        const created: Entry = { ready: loadRoom(name, target, env), refs: 0, unloading: null };
        created.ready.catch(() => {
          if (entries.get(name) === created) entries.delete(name);
        });
        entries.set(name, created);
        entry = created;
      }
      entry.refs++;
      const current = entry;
      let room: Room;
      try {
        room = await current.ready;
      } catch (err) {
        current.refs--;
        throw err;
      }
      let released = false;
      return {
        room,
        release() {
          if (released) return;
          released = true;
          current.refs--;
          if (current.refs === 0 && !current.unloading && entries.get(name) === current) void unload(name, current);
          else if (current.refs === 0 && entries.get(name) !== current && !current.unloading) room.destroy();
        },
      };
    }
  }

  /** Re-resolves access for each connection: a lost right closes it, a narrower one downgrades it. */
  async function recheck(affected: Connection[]): Promise<void> {
    await Promise.all(
      affected.map(async (c) => {
        try {
          const before = c.access;
          c.access = await resolveDocAccess({ ctx: { db, actor: c.actor, logger }, name: c.access.name });
          c.accessChanged(before);
        } catch (err) {
          if (err instanceof AppError && (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED')) c.close(err.code, err.message);
          else {
            logger.error({ err, doc: c.access.name }, 'live document access re-check failed');
            c.close('INTERNAL', 'access could not be re-checked');
          }
        }
      }),
    );
  }

  /** The item's loaded rooms (not those being unloaded). */
  async function itemRooms(itemId: string): Promise<Room[]> {
    const loaded = [...entries.values()].filter((e) => !e.unloading).map((e) => e.ready.catch(() => null));
    return (await Promise.all(loaded)).filter((room): room is Room => room !== null && room.itemId === itemId);
  }

  /** Presence of the item's loaded rooms follows its phase (stripped to "who" while coded blind). */
  async function presencePhaseChanged(itemId: string): Promise<void> {
    const rooms = await itemRooms(itemId);
    if (!rooms.length) return;
    const phase = await itemPhase({ ctx: { db, actor: null, logger }, itemId });
    for (const room of rooms) room.presence.setPhase(phase);
  }

  /**
   * Once its connections are re-checked (no new write gets in), every change the item's rooms
   * took is stored, here and, through the control channel, on every process: what ends a joint
   * session then reads the joint layer from the database whole (services/revisions/). A batch
   * that failed was never acknowledged to anyone, so it is not waited for.
   */
  async function storeItemRooms(itemId: string): Promise<void> {
    // A room being unloaded flushes itself first.
    const unloading = [...entries].flatMap(([name, e]) => (e.unloading && parseDocName(name)?.itemId === itemId ? [e.unloading] : []));
    await Promise.all([...(await itemRooms(itemId)).map((room) => room.flushed().catch(() => {})), ...unloading]);
  }

  const localItemAccessChanged = async (itemId: string) => {
    await Promise.all([recheck([...connections].filter((c) => c.room.itemId === itemId && !c.closed)), presencePhaseChanged(itemId)]);
    await storeItemRooms(itemId);
  };
  const localMemberAccessChanged = ({ projectId, userId }: { projectId: string; userId: string }) =>
    recheck([...connections].filter((c) => c.actor.userId === userId && c.access.projectId === projectId && !c.closed));

  fanout.onControl(async (message: ControlMessage) => {
    if (message.type === 'itemAccessChanged') await localItemAccessChanged(message.itemId);
    else if (message.type === 'memberAccessChanged') await localMemberAccessChanged(message);
  });
  fanout.onResync(() => {
    for (const entry of entries.values()) {
      if (entry.unloading) continue;
      void entry.ready
        .then((room) => reloadRoom(room, env))
        .catch((err: unknown) => logger.error({ err }, 'live document could not be re-read after a redis reconnect'));
    }
  });

  return {
    acquire,
    connections,
    openRooms: () => entries.size,

    async writeCodingValues({ itemId, coderId, values }: { itemId: string; coderId: string; values: Record<string, CodingValue | null> }) {
      const lease = await acquire(codingDocName(itemId, coderId), { kind: 'coding', itemId, coderId });
      try {
        await lease.room.writeCodingValues(coderId, values);
      } finally {
        lease.release();
      }
    },

    async itemAccessChanged(itemId: string) {
      await Promise.all([localItemAccessChanged(itemId), fanout.broadcast({ type: 'itemAccessChanged', itemId })]);
    },

    async memberAccessChanged({ projectId, userId }: { projectId: string; userId: string }) {
      await Promise.all([localMemberAccessChanged({ projectId, userId }), fanout.broadcast({ type: 'memberAccessChanged', projectId, userId })]);
    },

    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        // The other processes drop this one's presence now, not when it times out.
        for (const room of new Set([...connections].map((c) => c.room))) room.dropLocalPresence();
        for (const c of connections) c.close('INTERNAL', 'the server is shutting down');
        const sockets = [...connections].map((c) => (c.ws.readyState === c.ws.CLOSED ? null : once(c.ws, 'close')));
        await Promise.all([...entries.entries()].map(([name, e]) => e.unloading ?? unload(name, e)));
        // Give clients a moment to complete the close handshake, then drop what is left.
        const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
        await Promise.race([Promise.all(sockets), grace]);
        for (const c of connections) c.ws.terminate();
      })();
      return closing;
    },
  };
}
