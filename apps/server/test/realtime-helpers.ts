/**
 * socket.io test clients: a real socket.io-client on the real server, authenticated by
 * cookie or ws-token, recording every event it receives (in order) so tests can assert
 * both what arrived and what never did.
 */
import { io as connectIo, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, RealtimeAck, ServerToClientEvents } from '@concord/shared';
import type { Credentials } from './collab-helpers.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type EventName = keyof ServerToClientEvents;
export type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export interface Listener {
  socket: ClientSocket;
  /** Every event received, in order. */
  events: { event: string; payload: unknown }[];
  of<E extends EventName>(event: E): Payload<E>[];
  /** Resolves on connect; rejects with the connect_error (its message is the error code). */
  connected: Promise<void>;
  join(projectId: string): Promise<RealtimeAck>;
  /**
   * A round trip through the server: every event the server emitted to this socket before
   * the answer has arrived when this resolves (one ordered connection).
   */
  barrier(): Promise<void>;
  close(): void;
}

export function connectSocket(baseUrl: string, credentials: Credentials): Listener {
  const socket: ClientSocket = connectIo(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: credentials && 'cookie' in credentials ? { cookie: credentials.cookie } : {},
    auth: credentials && 'token' in credentials ? { token: credentials.token } : {},
  });
  const events: { event: string; payload: unknown }[] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  connected.catch(() => {});
  return {
    socket,
    events,
    of: <E extends EventName>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as Payload<E>),
    connected,
    join: (projectId) => socket.timeout(10_000).emitWithAck('project:join', { projectId }),
    async barrier() {
      // An unjoined project id: answered NOT_FOUND after a round trip, changes nothing.
      await socket.timeout(10_000).emitWithAck('project:leave', { projectId: 'prj_barrier' });
    },
    close: () => void socket.disconnect(),
  };
}
