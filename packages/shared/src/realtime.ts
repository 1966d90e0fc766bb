import type { Phase } from './roles.ts';
import type { AdjudicationStatus, Comment } from './schemas/review.ts';

/**
 * socket.io event maps, typed once for server (`Server<ClientToServerEvents, ServerToClientEvents>`)
 * and web (`Socket<ServerToClientEvents, ClientToServerEvents>`). Types are not validation:
 * the server parses every inbound payload.
 */
export interface ServerToClientEvents {
  'item:phase': (e: { projectId: string; itemId: string; phase: Phase }) => void;
  'item:submitted': (e: { projectId: string; itemId: string; coderId: string }) => void;
  /** A new comment, the DTO of `POST …/comments` (it carries projectId and mentions). */
  'comment:added': (e: Comment) => void;
  'adjudication:changed': (e: { projectId: string; itemId: string; fieldKey: string; status: AdjudicationStatus }) => void;
}

export interface ClientToServerEvents {
  'project:join': (e: { projectId: string }, ack: (r: { ok: true } | { ok: false; code: string }) => void) => void;
  'project:leave': (e: { projectId: string }) => void;
}
