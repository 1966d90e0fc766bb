import type { Phase } from './roles.ts';

/**
 * socket.io event maps, typed once for server (`Server<ClientToServerEvents, ServerToClientEvents>`)
 * and web (`Socket<ServerToClientEvents, ClientToServerEvents>`). Types are not validation:
 * the server parses every inbound payload.
 */
export interface ServerToClientEvents {
  'item:phase': (e: { projectId: string; itemId: string; phase: Phase }) => void;
  'item:submitted': (e: { projectId: string; itemId: string; coderId: string }) => void;
}

export interface ClientToServerEvents {
  'project:join': (e: { projectId: string }, ack: (r: { ok: true } | { ok: false; code: string }) => void) => void;
  'project:leave': (e: { projectId: string }) => void;
}
