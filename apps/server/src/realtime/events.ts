/**
 * Domain events -> socket.io emits. Who receives each event is a blind-coding rule: see
 * SECURITY.md ("The blind-coding rules", rule 6). No event carries a value.
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
      // Not the whole room: "B submitted item X" would tell coders who else codes X.
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
      // Decided now, with the item's phase at delivery: the answer a list request would get.
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
