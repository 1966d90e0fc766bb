/**
 * Domain events -> socket.io emits. Who receives each event is decided by authz
 * (`audienceOf`, SECURITY.md "The blind-coding rules", rule 6); here it only becomes rooms
 * (rooms.ts `audienceRooms`). No event carries a value.
 */
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '@concord/shared';
import type { Logger } from '../logger.ts';
import { audienceOf, type AudienceFacts, type ServerEventName, type ServerEventPayload } from '../services/authz.ts';
import { commentAudienceFacts } from '../services/comments/comment-audience-facts.ts';
import type { ServiceContext } from '../services/context.ts';
import type { DomainEvent } from '../services/events.ts';
import { allProjectRooms, audienceRooms, rooms } from './rooms.ts';

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

/** Emits `event` to its audience in the payload's project (nothing when the audience is empty). */
export function send<E extends ServerEventName>(io: ConcordIo, event: E, payload: ServerEventPayload<E> & { projectId: string }, ...facts: AudienceFacts<E>): void {
  const to = audienceRooms(payload.projectId, audienceOf(event, payload, ...facts));
  // An empty list would mean every socket to socket.io.
  if (to.length) (io.to(to).emit as (event: E, payload: ServerEventPayload<E>) => boolean)(event, payload);
}

export async function deliver(deps: EventDeliveryDeps, event: DomainEvent): Promise<void> {
  const { io } = deps;
  switch (event.type) {
    case 'coding.submitted': {
      const { projectId, itemId, coderId, phase } = event;
      send(io, 'item:submitted', { projectId, itemId, coderId });
      send(io, 'codings:changed', { projectId }, { coderId, phase });
      return;
    }
    case 'codings.changed':
      send(io, 'codings:changed', { projectId: event.projectId }, { coderId: event.coderId, phase: event.phase });
      return;
    case 'item.phaseChanged': {
      const { projectId, itemId, from, to } = event;
      send(io, 'item:phase', { projectId, itemId, phase: to });
      if (to === 'joint') send(io, 'session:opened', { projectId, itemId });
      if (from === 'joint' && to !== 'joint') send(io, 'session:closed', { projectId, itemId, phase: to });
      // A reveal makes codings visible to more people; leaving 'revealed' hides them again.
      if (to === 'revealed' || from === 'revealed') send(io, 'codings:changed', { projectId }, null);
      return;
    }
    case 'comment.added': {
      const { projectId, itemId, comment } = event;
      // Decided now, with the item's phase at delivery: the answer a list request would get.
      send(io, 'comment:added', { projectId, itemId, comment }, await commentAudienceFacts({ ctx: deps.ctx, projectId, itemId }));
      return;
    }
    case 'adjudication.changed': {
      const { projectId, itemId, fieldKey, status } = event;
      const facts = await commentAudienceFacts({ ctx: deps.ctx, projectId, itemId });
      send(io, 'adjudication:changed', { projectId, itemId, fieldKey, status }, facts);
      // In a joint session everyone in it hears of the decision (the phase as it is at delivery).
      if (facts.phase === 'joint') send(io, 'session:decision', { projectId, itemId, fieldKey, status }, facts);
      return;
    }
    case 'member.accessChanged': {
      const { projectId, userId } = event;
      // Only the member's sockets that joined this project hear it; then they leave every
      // room of the project (on every process, through the adapter).
      send(io, 'project:removed', { projectId }, { userId });
      io.in(rooms.user(userId)).socketsLeave(allProjectRooms(projectId, userId));
      deps.onMemberLeft(projectId);
      return;
    }
  }
}
