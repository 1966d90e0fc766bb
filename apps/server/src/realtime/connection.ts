/**
 * A socket's life: authentication in the handshake (http/socket-auth.ts: `auth: { token }` from
 * POST /api/auth/ws-token, or the session cookie), closed when its session ends
 * (http/live-sessions.ts), and the client events, each parsed with its schema from
 * CLIENT_EVENT_SCHEMAS. Joining a project asks authz.
 */
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { CLIENT_EVENT_SCHEMAS, type ClientToServerEvents, type ErrorCode, type RealtimeAck, type ServerToClientEvents, type SocketData } from '@concord/shared';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { authenticateSocket } from '../http/socket-auth.ts';
import { getMe } from '../services/auth/users.ts';
import { authorize } from '../services/authz.ts';
import type { Actor, ServiceContext } from '../services/context.ts';
import { getItem } from '../services/items/items.ts';
import type { ConcordIo } from './events.ts';
import type { Presence } from './presence.ts';
import { allProjectRooms, projectRooms, rooms } from './rooms.ts';

type ConcordSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ClientEventName = keyof ClientToServerEvents;
type ClientEventInput<E extends ClientEventName> = z.infer<(typeof CLIENT_EVENT_SCHEMAS)[E]>;

function refusal(code: ErrorCode): Error & { data: { code: ErrorCode } } {
  return Object.assign(new Error(code), { data: { code } });
}

function ackOf(ack: unknown): (r: RealtimeAck) => void {
  return typeof ack === 'function' ? (r) => (ack as (r: RealtimeAck) => void)(r) : () => {};
}

function codeOf(err: unknown): ErrorCode {
  return err instanceof AppError ? err.code : 'INTERNAL';
}

export function attachConnections(io: ConcordIo, deps: Deps, serverCtx: ServiceContext, presence: Presence): void {
  const { logger } = deps;
  const ctxOf = (actor: Actor): ServiceContext => ({ ...serverCtx, actor });

  io.use((socket, next) => {
    void (async () => {
      const session = await authenticateSocket(deps.database.db, socket.request, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
      const me = await getMe({ ctx: ctxOf(session.actor) });
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

    /** Every handler: parse with the event's schema first, answer with an ack (when the client asked for one), never throw. */
    function handle<E extends ClientEventName>(event: E, fn: (input: ClientEventInput<E>) => Promise<void>) {
      const schema = CLIENT_EVENT_SCHEMAS[event];
      socket.on(event as ClientEventName, (payload: unknown, ack?: unknown) => {
        const reply = ackOf(ack);
        const parsed = schema.safeParse(payload);
        if (!parsed.success) return reply({ ok: false, code: 'VALIDATION_FAILED' });
        fn(parsed.data as ClientEventInput<E>).then(
          () => reply({ ok: true }),
          (err: unknown) => {
            const code = codeOf(err);
            if (code === 'INTERNAL') logger.error({ err, event }, 'socket.io handler failed');
            reply({ ok: false, code });
          },
        );
      });
    }

    handle('project:join', async ({ projectId }) => {
      // Non-members and unknown projects get the same NOT_FOUND (authorize).
      const { role } = await authorize({ ctx, projectId, action: 'project.read' });
      if (socket.disconnected) return;
      for (const room of allProjectRooms(projectId, actor.userId)) void socket.leave(room);
      void socket.join(projectRooms(projectId, actor.userId, role));
      socket.data.presence[projectId] = null;
      presence.changed(projectId);
    });

    handle('project:leave', async ({ projectId }) => {
      if (!joined(projectId)) return;
      for (const room of allProjectRooms(projectId, actor.userId)) void socket.leave(room);
      delete socket.data.presence[projectId];
      presence.changed(projectId);
    });

    handle('presence:set', async ({ projectId, itemId }) => {
      if (!joined(projectId)) throw new AppError('NOT_FOUND', 'join the project first');
      // The item must be one the member may read in this project (404 otherwise).
      if (itemId !== null) await getItem({ ctx, projectId, itemId });
      // Only a change is broadcast: repeating where one is tells the others nothing (no count to read).
      if (!joined(projectId) || socket.data.presence[projectId] === itemId) return;
      socket.data.presence[projectId] = itemId;
      presence.changed(projectId);
    });

    socket.on('disconnect', () => {
      // The socket has left its rooms by now: the lists are recomputed without it.
      for (const projectId of Object.keys(socket.data.presence)) presence.changed(projectId);
    });
  });
}
