import { describe, expect, it } from 'vitest';
import type { Role } from '@concord/shared';
import { GATED_ACTIONS, inAudience, type EventAudience } from '../services/authz.ts';
import { audienceRooms, projectRooms } from './rooms.ts';

const ROLES: readonly Role[] = ['owner', 'methodologist', 'editor', 'coder'];
const AUDIENCES: EventAudience[] = [
  { kind: 'project' },
  { kind: 'members', userIds: ['usr_1'] },
  { kind: 'members', userIds: [] },
  ...GATED_ACTIONS.map((action) => ({ kind: 'roleAction' as const, action })),
  ...GATED_ACTIONS.map((action) => ({ kind: 'memberAndAction' as const, userId: 'usr_1', action })),
];

describe('audienceRooms', () => {
  it('reaches exactly the joined members authz puts in the audience', () => {
    for (const audience of AUDIENCES) {
      const to = new Set(audienceRooms('prj_1', audience));
      for (const role of ROLES) {
        for (const userId of ['usr_1', 'usr_2']) {
          const reached = projectRooms('prj_1', userId, role).some((room) => to.has(room));
          expect(reached, `${JSON.stringify(audience)} ${role} ${userId}`).toBe(inAudience(audience, { userId, role }));
        }
      }
    }
  });
});
