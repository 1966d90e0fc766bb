/**
 * Project events in the browser: one socket.io connection per tab (the session cookie
 * authenticates), joined to the room of every project a page listens to. Pages use only
 * `onProjectEvent`; the connection and the room membership are managed here.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@concord/shared';

type ProjectSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

let socket: ProjectSocket | null = null;
/** How many listeners each joined project has: the room is left when the last one goes. */
const listeners = new Map<string, number>();

function join(s: ProjectSocket, projectId: string): void {
  s.emit('project:join', { projectId }, (r) => {
    if (!r.ok) console.warn(`project events refused for ${projectId}: ${r.code}`);
  });
}

function connection(): ProjectSocket {
  if (socket) return socket;
  const s: ProjectSocket = io({ path: '/socket.io', withCredentials: true });
  // Rooms do not survive a reconnect (possibly to another server process): join again.
  s.on('connect', () => {
    for (const projectId of listeners.keys()) join(s, projectId);
  });
  socket = s;
  return s;
}

/**
 * Calls `handler` for each `event` of `projectId` until the returned function is called.
 * Events of other projects the tab listens to are filtered out here.
 */
export function onProjectEvent<E extends EventName>(projectId: string, event: E, handler: (payload: Payload<E>) => void): () => void {
  const s = connection();
  const count = listeners.get(projectId) ?? 0;
  listeners.set(projectId, count + 1);
  if (count === 0 && s.connected) join(s, projectId);
  const listener = (payload: Payload<E>) => {
    if ((payload as { projectId?: string }).projectId === projectId) handler(payload);
  };
  // socket.io's typed `on` cannot relate a generic event name to its listener; the cast is local.
  (s as unknown as Socket).on(event as string, listener as (...args: unknown[]) => void);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    (s as unknown as Socket).off(event as string, listener as (...args: unknown[]) => void);
    const left = (listeners.get(projectId) ?? 1) - 1;
    if (left > 0) listeners.set(projectId, left);
    else {
      listeners.delete(projectId);
      s.emit('project:leave', { projectId });
    }
  };
}
