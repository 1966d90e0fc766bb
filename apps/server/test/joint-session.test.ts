/**
 * Joint sessions (issue 13, item 4): the joint layer `joint:<itemId>` opens only once the item
 * is in a joint session, to its coders and the managers; coders and editors change its values
 * together live with presence per field, while the coders' blind submissions stay frozen; a
 * decision recorded during the session reaches everyone in it live (`session:decision`) and
 * nobody else; after the session the layer is read-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { codings } from '@concord/db';
import { CODING_DOC, COLLAB_CLOSE_CODES, JOINT_DOC, codingDocName, jointDocName, type Adjudication, type ErrorBody } from '@concord/shared';
import { addToProject, json, signUp, type Session } from './harness.ts';
import { collabSuite, connectRaw } from './collab-helpers.ts';
import { connectSocket, type Listener } from './realtime-helpers.ts';
import { eventually } from './testing.ts';

const t = collabSuite();
const sockets: Listener[] = [];
let bystander: Session;

beforeAll(async () => {
  // A coder of the project who does not code the item.
  bystander = await signUp(t.s.h, 'bystander');
  await addToProject(t.s.h, t.team.members.owner, t.f.projectId, bystander, 'coder');
});
afterAll(() => {
  for (const l of sockets) l.close();
});

const api = (path: string) => `/api/projects/${t.f.projectId}/items/${t.f.itemId}${path}`;
const setPhase = (phase: string) => t.s.h.request(t.team.members.editor, 'POST', api('/phase'), { phase });
async function joined(session: Session): Promise<Listener> {
  const l = connectSocket(`http://127.0.0.1:${t.s.server.port}`, { cookie: session.cookie });
  sockets.push(l);
  await l.connected;
  expect(await l.join(t.f.projectId)).toEqual({ ok: true });
  return l;
}
const blindRows = () => t.s.h.deps.database.db.select().from(codings).where(and(eq(codings.itemId, t.f.itemId), eq(codings.coderId, t.team.members.coder.userId))).orderBy(asc(codings.fieldKey));

describe('the joint layer of an item', () => {
  it('does not exist for anyone while the item is coded blind', async () => {
    for (const who of [t.team.members.coder, t.team.members.editor, t.team.members.owner]) {
      const raw = connectRaw(t.s.wsUrl, jointDocName(t.f.itemId), { cookie: who.cookie });
      expect((await raw.closed).code).toBe(COLLAB_CLOSE_CODES.FORBIDDEN);
      expect(raw.received).toEqual([]);
    }
  });

  it('in a joint session: coders and editors change values together with presence per field; blind submissions stay frozen; decisions reach the session live', async () => {
    const coder = t.team.members.coder;
    const saved = await t.s.h.request(coder, 'PUT', api('/codings/me'), { values: { frame: 'security', impact: 1 } });
    expect(saved.status).toBe(200);
    expect((await t.s.h.request(coder, 'POST', api('/codings/me/submit'))).status).toBe(200);
    expect((await setPhase('joint')).status).toBe(200);

    // Non-members and coders who do not code the item are refused alike.
    for (const who of [bystander, t.team.outsider]) {
      const raw = connectRaw(t.s.wsUrl, jointDocName(t.f.itemId), { cookie: who.cookie });
      expect((await raw.closed).code).toBe(COLLAB_CLOSE_CODES.FORBIDDEN);
      expect(raw.received).toEqual([]);
    }

    const a = t.client(jointDocName(t.f.itemId), { cookie: coder.cookie });
    const b = t.client(jointDocName(t.f.itemId), { cookie: t.team.coderB.cookie });
    const editor = t.client(jointDocName(t.f.itemId), { cookie: t.team.members.editor.cookie });
    a.doc.getMap(JOINT_DOC.values).set('frame', 'leader');
    b.doc.getMap(JOINT_DOC.values).set('impact', -1);
    await eventually(() => {
      for (const c of [a, b, editor]) expect(c.doc.getMap(JOINT_DOC.values).toJSON()).toEqual({ frame: 'leader', impact: -1 });
    });
    editor.doc.getMap(JOINT_DOC.values).set('impact', 0);
    await eventually(() => expect(a.doc.getMap(JOINT_DOC.values).get('impact')).toBe(0));

    // Presence per field: in a joint session the others see which field each is on.
    a.provider.awareness.setLocalState({ focus: { fieldKey: 'impact' } });
    await eventually(() => expect(b.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ user: { id: coder.userId }, focus: { fieldKey: 'impact' } }));

    // A methodologist follows, but does not write.
    const methodologist = t.client(jointDocName(t.f.itemId), { cookie: t.team.members.methodologist.cookie });
    await eventually(() => expect(methodologist.doc.getMap(JOINT_DOC.values).get('frame')).toBe('leader'));
    methodologist.doc.getMap(JOINT_DOC.values).set('frame', 'security');
    await eventually(() => expect(methodologist.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));

    // The blind submission is untouched and still frozen.
    const own = t.client(codingDocName(t.f.itemId, coder.userId), { cookie: coder.cookie });
    await eventually(() => expect(own.provider.synced).toBe(true));
    own.doc.getMap(CODING_DOC.values).set('impact', 3);
    await eventually(() => expect(own.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.CONFLICT));
    expect((await blindRows()).map((r) => [r.fieldKey, r.value, r.status, r.blind])).toEqual([
      ['frame', 'security', 'submitted', true],
      ['impact', 1, 'submitted', true],
    ]);

    // A decision during the session: everyone in it hears of it, the bystander does not; they read it.
    const listeners = await Promise.all([coder, t.team.coderB, t.team.members.editor, t.team.members.methodologist].map(joined));
    const outside = await joined(bystander);
    const decided = await t.s.h.request(t.team.members.editor, 'PUT', api('/adjudications/frame'), { value: 'leader', rationale: 'agreed in the session' });
    expect(decided.status, await decided.clone().text()).toBe(200);
    const expected = [{ projectId: t.f.projectId, itemId: t.f.itemId, fieldKey: 'frame', status: 'decided' }];
    for (const l of listeners) await eventually(() => expect(l.of('session:decision')).toEqual(expected));
    await t.s.server.realtime.idle();
    await outside.barrier();
    expect(outside.of('session:decision')).toEqual([]);
    const read = await t.s.h.request(t.team.coderB, 'GET', api('/adjudications'));
    expect(read.status).toBe(200);
    expect((await json<Adjudication[]>(read)).map((d) => [d.fieldKey, d.value, d.rationale])).toEqual([['frame', 'leader', 'agreed in the session']]);
    expect((await t.s.h.request(bystander, 'GET', api('/adjudications'))).status).toBe(403);

    // The session ends: the joint layer stays readable, and is closed on writing.
    expect((await setPhase('revealed')).status).toBe(200);
    a.doc.getMap(JOINT_DOC.values).set('frame', 'security');
    await eventually(() => expect(a.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.CONFLICT));
    const later = t.client(jointDocName(t.f.itemId), { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(later.provider.synced).toBe(true));
    expect(later.doc.getMap(JOINT_DOC.values).toJSON()).toEqual({ frame: 'leader', impact: 0 });
  });

  it('refuses decisions and the decisions list while the item is coded blind', async () => {
    expect((await setPhase('independent')).status).toBe(200);
    const res = await t.s.h.request(t.team.members.editor, 'PUT', api('/adjudications/impact'), { value: 1, rationale: 'too early' });
    expect(res.status).toBe(409);
    const list = await t.s.h.request(t.team.members.coder, 'GET', api('/adjudications'));
    expect(list.status).toBe(403);
    expect((await json<ErrorBody>(list)).error.code).toBe('FORBIDDEN');
  });
});
