/**
 * socket.io project events (path `/socket.io`), typed once for server
 * (`Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>`) and web
 * (`Socket<ServerToClientEvents, ClientToServerEvents>`). Types are not validation: the
 * server parses every inbound payload with the schemas below.
 *
 * No event carries a coding value. Who receives which event: SECURITY.md (the blind-coding rules).
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import type { Phase } from './roles.ts';
import type { Comment } from './schemas/review.ts';

/** Ids as they appear in payloads (prefixed ids; bounded so a payload cannot be huge). */
const idSchema = z.string().min(1).max(64);

/** `project:join` / `project:leave`. */
export const projectRefSchema = z.object({ projectId: idSchema });
export type ProjectRef = z.infer<typeof projectRefSchema>;

/** `presence:set`: the item this tab has open in the project, or null (on the project page, or leaving). */
export const presenceSetSchema = z.object({ projectId: idSchema, itemId: idSchema.nullable() });
export type PresenceSet = z.infer<typeof presenceSetSchema>;

/**
 * Every client->server payload schema, by event name (the server parses with these). A client
 * event without a schema here, or with one not matching its payload type, does not compile.
 */
export const CLIENT_EVENT_SCHEMAS = {
  'project:join': projectRefSchema,
  'project:leave': projectRefSchema,
  'presence:set': presenceSetSchema,
} as const satisfies { [E in keyof ClientToServerEvents]: z.ZodType<Parameters<ClientToServerEvents[E]>[0]> };

export type RealtimeAck = { ok: true } | { ok: false; code: ErrorCode };

/** One person in a project's presence list: who has which item open (null: the project page). */
export interface PresenceEntry {
  userId: string;
  displayName: string;
  itemId: string | null;
}

export interface ServerToClientEvents {
  /** An item's phase changed (independent, joint, revealed); 'revealed' is the reveal event. */
  'item:phase': (e: { projectId: string; itemId: string; phase: Phase }) => void;
  /** A coder submitted an item: sent to that coder and to the project's managers only. */
  'item:submitted': (e: { projectId: string; itemId: string; coderId: string }) => void;
  /** An editor opened a joint session on the item (its phase became 'joint'). */
  'session:opened': (e: { projectId: string; itemId: string }) => void;
  /** The joint session on the item ended; `phase` is the item's new phase. */
  'session:closed': (e: { projectId: string; itemId: string; phase: Phase }) => void;
  /** A comment, exactly as the comments API returns it, sent only to those who may list it. */
  'comment:added': (e: { projectId: string; itemId: string; comment: Comment }) => void;
  /** An adjudication was recorded (status 'decided') or reopened: sent to managers (who may read adjudications). */
  'adjudication:changed': (e: { projectId: string; itemId: string; fieldKey: string; status: 'decided' | 'reopened' }) => void;
  /**
   * A decision was recorded or reopened on an item in a joint session: sent to the session (the
   * item's coders and the managers) so everyone in it sees it live. No value: they read it.
   */
  'session:decision': (e: { projectId: string; itemId: string; fieldKey: string; status: 'decided' | 'reopened' }) => void;
  /**
   * Codings changed in a way dashboards show (a submit, a reopening, a reveal); carries no values.
   * On an item coded blind, only its coder and the managers hear it (SECURITY.md rule 6).
   */
  'codings:changed': (e: { projectId: string }) => void;
  /** The project's presence list, whole, after every change. Item ids only. */
  'project:presence': (e: { projectId: string; users: PresenceEntry[] }) => void;
  /** The user's membership or role changed: the socket left the project's rooms (join again if still a member). */
  'project:removed': (e: { projectId: string }) => void;
}

export interface ClientToServerEvents {
  /** Joins the project's rooms; non-members and unknown projects get the same NOT_FOUND. */
  'project:join': (e: ProjectRef, ack: (r: RealtimeAck) => void) => void;
  'project:leave': (e: ProjectRef, ack?: (r: RealtimeAck) => void) => void;
  /** Sets this socket's item in the project's presence list (the project must be joined). */
  'presence:set': (e: PresenceSet, ack?: (r: RealtimeAck) => void) => void;
}

/** What the server keeps on each socket (readable across processes with the Redis adapter). */
export interface SocketData {
  userId: string;
  displayName: string;
  /** projectId -> the item this socket has open there (null: none). Only joined projects. */
  presence: Record<string, string | null>;
}
