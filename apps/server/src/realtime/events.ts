/**
 * Domain events -> socket.io emits, and who receives each. Blind coding (a coder must not
 * learn another coder's values or annotations before the reveal) decides every line:
 *
 * - `item:phase` / `session:opened` / `session:closed` -> the project room. They carry an
 *   item id and a phase, which every member already reads in the items list. No values.
 * - `item:submitted` {coderId} -> the submitting coder and members who may manage
 *   assignments. The assignments API shows coders only their own assignments, so telling
 *   the whole room "B submitted item X" would reveal who else codes X (and their progress).
 * - `codings:changed` {projectId} -> the project room, on a submit or on a reveal (or a
 *   phase change out of revealed). Nothing but the project id: a dashboard refetches
 *   through the REST API, which applies the blind rules to whoever asks.
 * - `comment:added` -> exactly the members who may list that comment (commentReaders, the
 *   rule of GET …/comments, mayReadCommentOf), through their per-member rooms. A coder's
 *   comment during the independent phase may state their values, so it reaches its author
 *   and non-coding managers only; after the reveal (or in a joint session) everyone. Evaluated
 *   at delivery, with the item's phase at that moment: the same answer a list request would get.
 * - `adjudication:changed` {itemId, fieldKey, status} -> members who may read adjudications
 *   (managers). No value or rationale; adjudications exist only on revealed items anyway.
 * - `member.accessChanged` -> the member's sockets get `project:removed` and leave every room
 *   of the project (so they stop receiving its events at once, on every process); the client
 *   may join again and is then placed by its new role, or refused.
 * - `project:presence` (presence.ts) -> the project room: user ids, display names and item
 *   ids only, never a value, field or cursor.
 *
 * Rooms are joined only through `project:join`, which asks authz; a client cannot name a room.
 */
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '@concord/shared';
import type { Logger } from '../logger.ts';
import { commentReaders } from '../services/comments/comment-readers.ts';
import type { ServiceContext } from '../services/context.ts';
import type { DomainEvent } from '../services/events.ts';
import { allProjectRooms, rooms } from './rooms.ts';

/** No server-to-server events (the third slot). */
export type ConcordIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface EventDeliveryDeps {
  io: ConcordIo;
  /** A server context (no actor) for the lookups delivery needs. */
  ctx: ServiceContext;
  logger: Logger;
  /** Called after a member's sockets left a project's rooms (presence is recomputed). */
  onMemberLeft(projectId: string): void;
}

export async function deliver(deps: EventDeliveryDeps, event: DomainEvent): Promise<void> {
  const { io } = deps;
  switch (event.type) {
    case 'coding.submitted': {
      const { projectId, itemId, coderId } = event;
      io.to([rooms.member(projectId, coderId), rooms.can(projectId, 'assignments.manage')]).emit('item:submitted', { projectId, itemId, coderId });
      io.to(rooms.project(projectId)).emit('codings:changed', { projectId });
      return;
    }
    case 'item.phaseChanged': {
      const { projectId, itemId, from, to } = event;
      const room = io.to(rooms.project(projectId));
      room.emit('item:phase', { projectId, itemId, phase: to });
      if (to === 'joint') room.emit('session:opened', { projectId, itemId });
      if (from === 'joint' && to !== 'joint') room.emit('session:closed', { projectId, itemId, phase: to });
      // A reveal makes codings visible to more people; leaving 'revealed' hides them again.
      if (to === 'revealed' || from === 'revealed') room.emit('codings:changed', { projectId });
      return;
    }
    case 'comment.added': {
      const { projectId, itemId, comment } = event;
      const readers = await commentReaders(deps.ctx, projectId, itemId, comment);
      if (readers.length) io.to(readers.map((userId) => rooms.member(projectId, userId))).emit('comment:added', { projectId, itemId, comment });
      return;
    }
    case 'adjudication.changed': {
      const { projectId, itemId, fieldKey, status } = event;
      io.to(rooms.can(projectId, 'adjudications.read')).emit('adjudication:changed', { projectId, itemId, fieldKey, status });
      return;
    }
    case 'member.accessChanged': {
      const { projectId, userId } = event;
      // Only the member's sockets that joined this project hear it; then they leave every
      // room of the project (on every process, through the adapter).
      io.to(rooms.member(projectId, userId)).emit('project:removed', { projectId });
      io.in(rooms.user(userId)).socketsLeave(allProjectRooms(projectId, userId));
      deps.onMemberLeft(projectId);
      return;
    }
  }
}
