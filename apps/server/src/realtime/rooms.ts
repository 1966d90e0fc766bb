/**
 * socket.io room names. Every socket is in `user:<id>`; a joined project adds the
 * project room, the per-member room, and one room per gated action the member's role
 * allows (authz's GATED_ACTIONS). All of them are left together.
 */
import type { Role } from '@concord/shared';
import { can, GATED_ACTIONS, type EventAudience, type GatedAction } from '../services/authz.ts';

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  project: (projectId: string) => `project:${projectId}`,
  member: (projectId: string, userId: string) => `project:${projectId}:user:${userId}`,
  can: (projectId: string, action: GatedAction) => `project:${projectId}:can:${action}`,
};

/** The rooms a member with `role` joins for a project. */
export function projectRooms(projectId: string, userId: string, role: Role): string[] {
  return [rooms.project(projectId), rooms.member(projectId, userId), ...GATED_ACTIONS.filter((a) => can(role, a)).map((a) => rooms.can(projectId, a))];
}

/** Every room of a project a socket may be in (to leave them all). */
export function allProjectRooms(projectId: string, userId: string): string[] {
  return [rooms.project(projectId), rooms.member(projectId, userId), ...GATED_ACTIONS.map((a) => rooms.can(projectId, a))];
}

/** The rooms that hold exactly an audience of authz (audienceOf) in a project; empty: nobody. */
export function audienceRooms(projectId: string, audience: EventAudience): string[] {
  switch (audience.kind) {
    case 'project':
      return [rooms.project(projectId)];
    case 'members':
      return audience.userIds.map((userId) => rooms.member(projectId, userId));
    case 'roleAction':
      return [rooms.can(projectId, audience.action)];
    case 'memberAndAction':
      return [rooms.member(projectId, audience.userId), rooms.can(projectId, audience.action)];
  }
}
