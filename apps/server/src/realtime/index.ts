/**
 * socket.io project rooms at `/socket.io`, on the same http.Server as the API and /yjs.
 * Authentication (http/socket-auth.ts: `auth: { token }` from POST /api/auth/ws-token, or the
 * session cookie) happens in the handshake, and the socket closes when its session ends
 * (http/live-sessions.ts); joining a project asks authz. Domain events from the bus are
 * mapped to emits in events.ts (the blind-coding reasoning lives there). With REDIS_URL the
 * Redis adapter carries rooms, emits and fetchSockets across processes.
 */
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type Socket } from 'socket.io';
import type { Redis } from 'ioredis';
import {
  presenceSetSchema,
  projectRefSchema,
  type ClientToServerEvents,
  type ErrorCode,
  type RealtimeAck,
  type ServerToClientEvents,
  type SocketData,
} from '@concord/shared';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { connectRedis } from '../redis.ts';
import { authorize } from '../services/authz.ts';
import { authenticateSocket } from '../http/socket-auth.ts';
import { getMe } from '../services/auth/users.ts';
import type { Actor, ServiceContext } from '../services/context.ts';
import { getItem } from '../services/items/items.ts';
import { deliver, type ConcordIo } from './events.ts';
import { createPresence } from './presence.ts';
import { allProjectRooms, projectRooms, rooms } from './rooms.ts';

type ConcordSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Largest inbound socket.io message; our payloads are a few ids. Over it engine.io closes the connection. */
const MAX_MESSAGE_BYTES = 16 * 1024;

export interface Realtime {
  io: ConcordIo;
  /** Resolves when delivered events and presence broadcasts queued so far are sent (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function refusal(code: ErrorCode): Error & { data: { code: ErrorCode } } {
  return Object.assign(new Error(code), { data: { code } });
}

function ackOf(ack: unknown): (r: RealtimeAck) => void {
  return typeof ack === 'function' ? (r) => (ack as (r: RealtimeAck) => void)(r) : () => {};
}

function codeOf(err: unknown): ErrorCode {
  return err instanceof AppError ? err.code : 'INTERNAL';
}

export function createRealtime(server: HttpServer, deps: Deps): Realtime {
  const { logger, config } = deps;
  const io: ConcordIo = new Server(server, {
    path: '/socket.io',
    // Upgrades on other paths (/yjs) belong to our own upgrade listener: engine.io must not close them.
    destroyUpgrade: false,
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
  });

  let redis: { pub: Redis; sub: Redis } | null = null;
  if (config.redisUrl) {
    const pub = connectRedis(config.redisUrl, 'socket.io-pub', logger);
    const sub = connectRedis(config.redisUrl, 'socket.io-sub', logger);
    redis = { pub, sub };
    io.adapter(createAdapter(pub, sub, { key: `${config.redisPrefix}:socket.io`, requestsTimeout: 3000 }));
  }

  const serverCtx: ServiceContext = { db: deps.database.db, actor: null, logger, collab: deps.collab };
  const ctxOf = (actor: Actor): ServiceContext => ({ ...serverCtx, actor });
  const presence = createPresence(io, logger);

  io.use((socket, next) => {
    void (async () => {
      const session = await authenticateSocket(deps.database.db, socket.request, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
      const me = await getMe(ctxOf(session.actor));
      socket.data = { userId: session.actor.userId, displayName: me.name, presence: {} };
      const untrack = deps.liveSessions.track(session, () => socket.disconnect(true));
      socket.on('disconnect', untrack);
      next();
    })().catch((err: unknown) => {
      if (err instanceof AppError && err.status < 500) return next(refusal(err.code));
      logger.warn({ err }, 'socket.io authentication failed');
      next(refusal('INTERNAL'));
    });
  });

  io.on('connection', (socket: ConcordSocket) => {
    const actor: Actor = { userId: socket.data.userId, isAdmin: false };
    const ctx = ctxOf(actor);
    void socket.join(rooms.user(actor.userId));
    const joined = (projectId: string) => socket.rooms.has(rooms.project(projectId));

    /** Every handler: parse first, answer with an ack (when the client asked for one), never throw. */
    function handle<S extends typeof projectRefSchema | typeof presenceSetSchema>(
      event: keyof ClientToServerEvents,
      schema: S,
      fn: (input: ReturnType<S['parse']>) => Promise<void>,
    ) {
      socket.on(event, (payload: unknown, ack?: unknown) => {
        const reply = ackOf(ack);
        const parsed = schema.safeParse(payload);
        if (!parsed.success) return reply({ ok: false, code: 'VALIDATION_FAILED' });
        fn(parsed.data as ReturnType<S['parse']>).then(
          () => reply({ ok: true }),
          (err: unknown) => {
            const code = codeOf(err);
            if (code === 'INTERNAL') logger.error({ err, event }, 'socket.io handler failed');
            reply({ ok: false, code });
          },
        );
      });
    }

    handle('project:join', projectRefSchema, async ({ projectId }) => {
      // Non-members and unknown projects get the same NOT_FOUND (authorize).
      const { role } = await authorize(ctx, projectId, 'project.read');
      if (socket.disconnected) return;
      for (const room of allProjectRooms(projectId, actor.userId)) void socket.leave(room);
      void socket.join(projectRooms(projectId, actor.userId, role));
      socket.data.presence[projectId] = null;
      presence.changed(projectId);
    });

    handle('project:leave', projectRefSchema, async ({ projectId }) => {
      if (!joined(projectId)) return;
      for (const room of allProjectRooms(projectId, actor.userId)) void socket.leave(room);
      delete socket.data.presence[projectId];
      presence.changed(projectId);
    });

    handle('presence:set', presenceSetSchema, async ({ projectId, itemId }) => {
      if (!joined(projectId)) throw new AppError('NOT_FOUND', 'join the project first');
      // The item must be one the member may read in this project (404 otherwise).
      if (itemId !== null) await getItem(ctx, projectId, itemId);
      if (!joined(projectId)) return;
      socket.data.presence[projectId] = itemId;
      presence.changed(projectId);
    });

    socket.on('disconnect', () => {
      // The socket has left its rooms by now: the lists are recomputed without it.
      for (const projectId of Object.keys(socket.data.presence)) presence.changed(projectId);
    });
  });

  const pending = new Set<Promise<void>>();
  const unsubscribe = deps.events.subscribe((event) => {
    const run = deliver({ io, ctx: serverCtx, logger, onMemberLeft: (projectId) => presence.changed(projectId) }, event).finally(() => pending.delete(run));
    pending.add(run);
    return run;
  });

  return {
    io,
    async idle() {
      await deps.events.idle();
      while (pending.size) await Promise.all([...pending]);
      await presence.idle();
    },
    async close() {
      unsubscribe();
      // Not io.close(): it also closes the http.Server and waits for it, which startConcord does itself.
      // Local sockets only: with the Redis adapter, io.disconnectSockets() would reach every process.
      io.local.disconnectSockets(true);
      io.engine.close();
      // The disconnects just queued presence broadcasts (the other processes drop these users),
      // and deliveries may be under way: they finish first. Anything later is not sent: the Redis
      // adapter leaves a publish on a quit connection as an unhandled rejection ("Connection is closed").
      while (pending.size) await Promise.allSettled([...pending]);
      await presence.idle();
      presence.stop();
      await presence.idle();
      // The Redis adapter's own close() unsubscribes without waiting for the replies (they would
      // reject once the connection is gone); quitting the connections ends its subscriptions too.
      // The subscriber first: a request from another process arriving meanwhile would be answered
      // on the publisher, and the adapter does not handle a publish on a quit connection.
      if (redis) {
        await redis.sub.quit().catch(() => redis.sub.disconnect());
        await redis.pub.quit().catch(() => redis.pub.disconnect());
      }
    },
  };
}
