/**
 * Project events in the browser: one socket.io connection per tab (the session cookie
 * authenticates), joined to the room of every project a page listens to. Pages use only
 * `onProjectEvent` (and `enterItem` for the presence list); the connection, the room
 * membership and re-joining after a reconnect or a role change are managed here.
 *
 * socket.io-client (13 KB gzipped) is imported when the first listener arrives, not with the
 * page: no first paint needs it (bench/web-initial-js.ts). Until it has loaded, the calls
 * below queue their work in call order (`withSocket`), so a listener added and removed
 * meanwhile leaves nothing behind.
 */
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@concord/shared';

type ProjectSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

let socket: ProjectSocket | null = null;
/** How many listeners each joined project has: the room is left when the last one goes. */
const listeners = new Map<string, number>();
/** Projects whose join the server acknowledged on the current connection. */
const joined = new Set<string>();
/** The item this tab has open per project (sent once the project is joined). */
const presence = new Map<string, string | null>();
/** The last presence list per project, handed to listeners that arrive later. */
const lastPresence = new Map<string, Payload<'project:presence'>>();

/**
 * Mirrors the joined projects on `<body data-live-projects="prj_… prj_…">`, as the layout
 * marks hydration: from then on the page receives the project's events (end-to-end tests
 * wait for it before triggering one).
 */
function showJoined(): void {
  if (typeof document !== 'undefined') document.body.dataset.liveProjects = [...joined].join(' ');
}

function sendPresence(s: ProjectSocket, projectId: string): void {
  if (!joined.has(projectId) || !presence.has(projectId)) return;
  s.emit('presence:set', { projectId, itemId: presence.get(projectId) ?? null });
}

/** Per project, who to tell when this tab's membership ends (see `onAccessLost`). */
const accessLost = new Map<string, Set<() => void>>();

/** `rejoin`: the server took the socket out of the room; a refusal now means the user was removed. */
function join(s: ProjectSocket, projectId: string, rejoin = false): void {
  s.emit('project:join', { projectId }, (r) => {
    if (!r.ok) {
      console.warn(`project events refused for ${projectId}: ${r.code}`);
      if (rejoin) for (const handler of accessLost.get(projectId) ?? []) handler();
      return;
    }
    // The page may have stopped listening while the join was on its way.
    if (!listeners.has(projectId)) {
      s.emit('project:leave', { projectId });
      return;
    }
    joined.add(projectId);
    showJoined();
    sendPresence(s, projectId);
  });
}

/** Work waiting for the socket.io client to load; null when nothing waits. */
let waiting: ((s: ProjectSocket) => void)[] | null = null;

/** Runs `work` with the tab's socket: now if it exists, else once the client has loaded (in call order). */
function withSocket(work: (s: ProjectSocket) => void): void {
  if (socket) return work(socket);
  if (waiting) {
    waiting.push(work);
    return;
  }
  waiting = [work];
  import('socket.io-client').then(
    ({ io }) => {
      const s = connect(io({ path: '/socket.io', withCredentials: true }));
      const queued = waiting ?? [];
      waiting = null;
      for (const w of queued) w(s);
    },
    (err: unknown) => {
      // The chunk did not load (offline, a redeploy): the page works without live events, and the next listener tries again.
      waiting = null;
      console.warn('project events unavailable: the socket.io client did not load', err);
    },
  );
}

function connect(s: ProjectSocket): ProjectSocket {
  // Rooms do not survive a reconnect (possibly to another server process): join again.
  s.on('connect', () => {
    joined.clear();
    showJoined();
    for (const projectId of listeners.keys()) join(s, projectId);
  });
  s.on('disconnect', (reason) => {
    joined.clear();
    showJoined();
    // The server closes the sockets of a session that ended. After a password change this page
    // goes on with a new session: try once; a signed-out page is refused and stays disconnected.
    if (reason === 'io server disconnect') s.connect();
  });
  // A role change or removal: the server took this socket out of the project's rooms.
  // Join again: a member with a new role is placed by it, a removed one is refused.
  s.on('project:removed', ({ projectId }) => {
    joined.delete(projectId);
    showJoined();
    lastPresence.delete(projectId);
    if (listeners.has(projectId)) join(s, projectId, true);
  });
  s.on('project:presence', (e) => lastPresence.set(e.projectId, e));
  socket = s;
  return s;
}

function retain(s: ProjectSocket, projectId: string): void {
  const count = listeners.get(projectId) ?? 0;
  listeners.set(projectId, count + 1);
  if (count === 0 && s.connected) join(s, projectId);
}

function release(s: ProjectSocket, projectId: string): void {
  const left = (listeners.get(projectId) ?? 1) - 1;
  if (left > 0) {
    listeners.set(projectId, left);
    return;
  }
  listeners.delete(projectId);
  lastPresence.delete(projectId);
  if (joined.delete(projectId)) {
    showJoined();
    s.emit('project:leave', { projectId });
  }
}

/**
 * Calls `handler` for each `event` of `projectId` until the returned function is called.
 * Events of other projects the tab listens to are filtered out here. A `project:presence`
 * listener also gets the last list right away, when there is one.
 */
export function onProjectEvent<E extends EventName>(projectId: string, event: E, handler: (payload: Payload<E>) => void): () => void {
  const listener = (payload: Payload<E>) => {
    if ((payload as { projectId?: string }).projectId === projectId) handler(payload);
  };
  withSocket((s) => {
    retain(s, projectId);
    // socket.io's typed `on` cannot relate a generic event name to its listener; the cast is local.
    (s as unknown as Socket).on(event as string, listener as (...args: unknown[]) => void);
    if (event === 'project:presence') {
      const last = lastPresence.get(projectId);
      if (last) queueMicrotask(() => listener(last as Payload<E>));
    }
  });
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    withSocket((s) => {
      (s as unknown as Socket).off(event as string, listener as (...args: unknown[]) => void);
      release(s, projectId);
    });
  };
}

/**
 * Calls `handler` when the signed-in user loses access to `projectId` while this tab listens
 * to it (a manager removed them: the server answers the re-join with NOT_FOUND), so an open
 * page can say so instead of failing on its next request. Keeps the project joined until
 * the returned function is called.
 */
export function onAccessLost(projectId: string, handler: () => void): () => void {
  const handlers = accessLost.get(projectId) ?? new Set();
  handlers.add(handler);
  accessLost.set(projectId, handlers);
  withSocket((s) => retain(s, projectId));
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    handlers.delete(handler);
    if (handlers.size === 0) accessLost.delete(projectId);
    withSocket((s) => release(s, projectId));
  };
}

/**
 * Puts this tab on `itemId` in the project's presence list until the returned function is
 * called (then the tab is on no item). Only the item id is shared, never values.
 */
export function enterItem(projectId: string, itemId: string): () => void {
  presence.set(projectId, itemId);
  withSocket((s) => {
    retain(s, projectId);
    sendPresence(s, projectId);
  });
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    const here = presence.get(projectId) === itemId;
    if (here) presence.set(projectId, null);
    withSocket((s) => {
      if (here) {
        sendPresence(s, projectId);
        // Unless another item of the project was entered while the client loaded.
        if (presence.get(projectId) === null) presence.delete(projectId);
      }
      release(s, projectId);
    });
  };
}
