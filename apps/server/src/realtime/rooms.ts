/**
 * socket.io room names. Every socket is in `user:<id>`; a joined project adds the
 * project room, the per-member room, and one room per action the member's role allows
 * (events only some roles may see go there). All of them are left together.
 */
import type { Action, Role } from '@concord/shared';
import { can } from '../services/authz.ts';

/** Actions that gate an event (see events.ts): a joined socket is in `project:<id>:can:<action>` when its role allows it. */
export const GATED_ACTIONS = ['adjudications.read', 'assignments.manage'] as const satisfies readonly Action[];
export type GatedAction = (typeof GATED_ACTIONS)[number];

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
