/**
 * Who receives each socket.io event, by role: authz's audience rules (EVENT_AUDIENCES) as a
 * table, so a change of rule shows up here. No database: the rules are pure.
 */
import { describe, expect, it } from 'vitest';
import type { Comment, Phase, Role } from '@concord/shared';
import { audienceOf, EVENT_AUDIENCES, inAudience, type EventAudience, type ServerEventName } from './authz.ts';

const ROLES: readonly Role[] = ['owner', 'methodologist', 'editor', 'coder'];
const SUBJECT = 'usr_subject';
const projectId = 'prj_1';
const itemId = 'itm_1';

/** Roles (of a member other than the event's subject) that receive each event not about comments. */
const BY_ROLE: Record<Exclude<ServerEventName, 'comment:added' | 'adjudication:changed' | 'session:decision'>, readonly Role[]> = {
  'item:phase': ROLES,
  'session:opened': ROLES,
  'session:closed': ROLES,
  'codings:changed': ['owner', 'methodologist', 'editor'],
  'project:presence': ROLES,
  'item:submitted': ['owner', 'methodologist', 'editor'],
  'project:removed': [],
};

const AUDIENCES: Record<keyof typeof BY_ROLE, EventAudience> = {
  'item:phase': audienceOf('item:phase', { projectId, itemId, phase: 'joint' }),
  'session:opened': audienceOf('session:opened', { projectId, itemId }),
  'session:closed': audienceOf('session:closed', { projectId, itemId, phase: 'revealed' }),
  // A submission on an item coded blind (a reveal and items no longer blind: below).
  'codings:changed': audienceOf('codings:changed', { projectId }, { coderId: SUBJECT, phase: 'independent' }),
  'project:presence': audienceOf('project:presence', { projectId, users: [] }),
  'item:submitted': audienceOf('item:submitted', { projectId, itemId, coderId: SUBJECT }),
  'project:removed': audienceOf('project:removed', { projectId }, { userId: SUBJECT }),
};

describe('event audiences by role', () => {
  it('has a rule for every server event', () => {
    expect(Object.keys(EVENT_AUDIENCES).sort()).toEqual([...Object.keys(BY_ROLE), 'comment:added', 'adjudication:changed', 'session:decision'].sort());
  });

  for (const [event, roles] of Object.entries(BY_ROLE) as [keyof typeof BY_ROLE, readonly Role[]][]) {
    it(`${event}: ${roles.join(', ') || 'nobody else'}`, () => {
      const audience = AUDIENCES[event];
      const receivers = ROLES.filter((role) => inAudience(audience, { userId: `usr_${role}`, role }));
      expect(receivers).toEqual(roles);
    });
  }

  it('codings:changed reaches every member at a reveal and on items no longer blind', () => {
    for (const audience of [audienceOf('codings:changed', { projectId }, null), audienceOf('codings:changed', { projectId }, { coderId: SUBJECT, phase: 'revealed' }), audienceOf('codings:changed', { projectId }, { coderId: SUBJECT, phase: 'joint' })]) {
      expect(ROLES.filter((role) => inAudience(audience, { userId: `usr_${role}`, role }))).toEqual(ROLES);
    }
  });

  it('item:submitted, codings:changed and project:removed reach their subject, whatever the role', () => {
    for (const role of ROLES) {
      expect(inAudience(AUDIENCES['codings:changed'], { userId: SUBJECT, role })).toBe(true);
      expect(inAudience(AUDIENCES['item:submitted'], { userId: SUBJECT, role })).toBe(true);
      expect(inAudience(AUDIENCES['project:removed'], { userId: SUBJECT, role })).toBe(true);
    }
  });
});

describe('comment:added audience', () => {
  // The item is coded by coder A (the author) and by the editor; coder B and the other managers do not code it.
  const members = [
    { userId: 'usr_a', role: 'coder' as const },
    { userId: 'usr_b', role: 'coder' as const },
    { userId: 'usr_owner', role: 'owner' as const },
    { userId: 'usr_meth', role: 'methodologist' as const },
    { userId: 'usr_editor', role: 'editor' as const },
  ];
  const itemCoders = new Set(['usr_a', 'usr_editor']);
  const comment = (authorId: string | null): Comment => ({
    id: 'cmt_1',
    projectId,
    itemId,
    fieldKey: null,
    authorId,
    authorName: null,
    body: 'b',
    mentions: [],
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const readers = (authorId: string | null, phase: Phase) => {
    const audience = audienceOf('comment:added', { projectId, itemId, comment: comment(authorId) }, { members, itemCoders, phase });
    return members.filter((m) => inAudience(audience, m)).map((m) => m.userId);
  };

  it("independent, by one of the item's coders: the author and managers who do not code the item", () => {
    expect(readers('usr_a', 'independent')).toEqual(['usr_a', 'usr_owner', 'usr_meth']);
  });
  it('independent, by an author whose account is gone: treated as a coder', () => {
    expect(readers(null, 'independent')).toEqual(['usr_owner', 'usr_meth']);
  });
  it('independent, by someone who does not code the item: every member', () => {
    expect(readers('usr_owner', 'independent')).toEqual(members.map((m) => m.userId));
  });
  it('joint and revealed: every member', () => {
    expect(readers('usr_a', 'joint')).toEqual(members.map((m) => m.userId));
    expect(readers('usr_a', 'revealed')).toEqual(members.map((m) => m.userId));
  });
});

describe('adjudication:changed audience', () => {
  // Coder A codes the item, coder B does not; the editor decides.
  const members = [
    { userId: 'usr_a', role: 'coder' as const },
    { userId: 'usr_b', role: 'coder' as const },
    { userId: 'usr_owner', role: 'owner' as const },
    { userId: 'usr_meth', role: 'methodologist' as const },
    { userId: 'usr_editor', role: 'editor' as const },
  ];
  const receivers = (phase: Phase) => {
    const audience = audienceOf('adjudication:changed', { projectId, itemId, fieldKey: 'tone', status: 'decided' }, { members, itemCoders: new Set(['usr_a']), phase });
    return members.filter((m) => inAudience(audience, m)).map((m) => m.userId);
  };

  it("revealed: the managers and the item's coders, never a coder of other items", () => {
    expect(receivers('revealed')).toEqual(['usr_a', 'usr_owner', 'usr_meth', 'usr_editor']);
  });
  it('independent (an item reset after a decision): the managers only', () => {
    expect(receivers('independent')).toEqual(['usr_owner', 'usr_meth', 'usr_editor']);
  });
});

describe('session:decision audience', () => {
  const members = [
    { userId: 'usr_a', role: 'coder' as const },
    { userId: 'usr_b', role: 'coder' as const },
    { userId: 'usr_owner', role: 'owner' as const },
    { userId: 'usr_meth', role: 'methodologist' as const },
    { userId: 'usr_editor', role: 'editor' as const },
  ];
  const itemCoders = new Set(['usr_a']);
  const receivers = (phase: Phase) => {
    const audience = audienceOf('session:decision', { projectId, itemId, fieldKey: 'tone', status: 'decided' }, { members, itemCoders, phase });
    return members.filter((m) => inAudience(audience, m)).map((m) => m.userId);
  };

  it("joint: the item's coders and the managers, not the project's other coders", () => {
    expect(receivers('joint')).toEqual(['usr_a', 'usr_owner', 'usr_meth', 'usr_editor']);
  });
  it('outside a joint session: nobody', () => {
    expect(receivers('independent')).toEqual([]);
    expect(receivers('revealed')).toEqual([]);
  });
});
