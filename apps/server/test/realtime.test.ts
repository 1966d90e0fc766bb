/**
 * socket.io project rooms on a real server (port 0): authentication, joining, the events
 * of every verb that publishes one, the blind-leak suite over socket.io (coder B never
 * receives anything carrying coder A's values or private comments during the independent
 * phase, nor events of a project they do not belong to), removal, and bad payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { wsTokens } from '@concord/db';
import { itemDocName, newId, type Comment } from '@concord/shared';
import { hashToken } from '../src/services/auth/sessions.ts';
import { addMember } from '../src/services/projects/members.ts';
import { createProject } from '../src/services/projects/projects.ts';
import { actorOf, json, signUp, type ProjectFixture, type Session } from './harness.ts';
import {
  connectClient,
  createFixture,
  createTeam,
  createTestStore,
  startCollabServer,
  type Client,
  type CollabServer,
  type Team,
  type TestStore,
} from './collab-helpers.ts';
import { eventually } from './testing.ts';
import { connectSocket, type Listener } from './realtime-helpers.ts';

let store: TestStore;
let s: CollabServer;
let team: Team;
let f: ProjectFixture;
let baseUrl: string;
const sockets: Listener[] = [];
const clients: Client[] = [];

const listen = (credentials: Parameters<typeof connectSocket>[1]) => {
  const l = connectSocket(baseUrl, credentials);
  sockets.push(l);
  return l;
};
const as = (session: Session) => listen({ cookie: session.cookie });
async function joined(session: Session, projectId = f.projectId): Promise<Listener> {
  const l = as(session);
  await l.connected;
  expect(await l.join(projectId)).toEqual({ ok: true });
  return l;
}
const api = (path: string, projectId = f.projectId) => `/api/projects/${projectId}${path}`;
async function ok(res: Promise<Response>, status = 200): Promise<Response> {
  const r = await res;
  if (r.status !== status) throw new Error(`${r.status}: ${await r.text()}`);
  return r;
}
/** Every event handler and presence broadcast triggered so far has run. */
const settled = () => s.server.realtime.idle();

/** A new item of the fixture project, assigned to coder A (team.members.coder) and coder B. */
async function newItem(title: string): Promise<string> {
  const res = await ok(s.h.request(team.members.owner, 'POST', api('/items'), { title, body: 'text', language: 'en', platform: 'website' }), 201);
  const { id } = await json<{ id: string }>(res);
  await ok(
    s.h.request(team.members.owner, 'POST', api('/assignments'), {
      roundName: title,
      coderIds: [team.members.coder.userId, team.coderB.userId],
      itemIds: [id],
      mode: { type: 'k', k: 2 },
      seed: 1,
    }),
    201,
  );
  return id;
}

beforeAll(async () => {
  store = await createTestStore();
  s = await startCollabServer(store);
  baseUrl = `http://127.0.0.1:${s.server.port}`;
  team = await createTeam(s.h);
  f = await createFixture(s.h, team);
}, 240_000);
afterAll(async () => {
  for (const l of sockets) l.close();
  for (const c of clients) c.destroy();
  await s?.close();
  await store?.dispose();
});

describe('authentication', () => {
  it('refuses a connection without cookie or token with UNAUTHENTICATED', async () => {
    await expect(listen(null).connected).rejects.toThrow('UNAUTHENTICATED');
    await expect(listen({ cookie: 'concord_session=not-a-session' }).connected).rejects.toThrow('UNAUTHENTICATED');
  });

  it('accepts the session cookie', async () => {
    await expect(as(team.members.coder).connected).resolves.toBeUndefined();
  });

  it('accepts a ws-token and refuses garbage and expired tokens', async () => {
    const { token } = await json<{ token: string }>(await ok(s.h.request(team.members.coder, 'POST', '/api/auth/ws-token'), 201));
    const l = listen({ token });
    await l.connected;
    expect(await l.join(f.projectId)).toEqual({ ok: true });
    await expect(listen({ token: 'garbage' }).connected).rejects.toThrow('UNAUTHENTICATED');
    await expect(listen({ token: 'x'.repeat(5000) }).connected).rejects.toThrow('UNAUTHENTICATED');
    const { token: old } = await json<{ token: string }>(await ok(s.h.request(team.members.coder, 'POST', '/api/auth/ws-token'), 201));
    await s.h.deps.database.db.update(wsTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(wsTokens.tokenHash, hashToken(old)));
    await expect(listen({ token: old }).connected).rejects.toThrow('UNAUTHENTICATED');
  });
});

describe('joining project rooms', () => {
  it('joins a project the user belongs to; answers NOT_FOUND alike for another project and an unknown one, and delivers nothing of them', async () => {
    const outsiderProject = await createProject({ ctx: s.h.ctx(actorOf(team.outsider)), input: { name: `Other ${newId('project')}`, description: '' } });
    const b = as(team.coderB);
    await b.connected;
    expect(await b.join(f.projectId)).toEqual({ ok: true });
    expect(await b.join(outsiderProject.id)).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(await b.join(newId('project'))).toEqual({ ok: false, code: 'NOT_FOUND' });

    // The outsider's own project: its events reach its owner, never B.
    const outsider = await joined(team.outsider, outsiderProject.id);
    const res = await ok(s.h.request(team.outsider, 'POST', api('/items', outsiderProject.id), { title: 'private', body: 'x', language: 'en', platform: 'website' }), 201);
    const { id: itemId } = await json<{ id: string }>(res);
    await ok(s.h.request(team.outsider, 'POST', api(`/items/${itemId}/comments`, outsiderProject.id), { body: 'only for my project' }), 201);
    await ok(s.h.request(team.outsider, 'POST', api(`/items/${itemId}/phase`, outsiderProject.id), { phase: 'joint' }));
    await eventually(() => expect(outsider.of('session:opened')).toEqual([{ projectId: outsiderProject.id, itemId }]));
    expect(outsider.of('comment:added').map((e) => e.comment.body)).toEqual(['only for my project']);
    await settled();
    await b.barrier();
    expect(JSON.stringify(b.events)).not.toContain(outsiderProject.id);
  });
});

describe('events', () => {
  it('delivers submit, reveal, comment, adjudication and session events; during the independent phase coder B receives nothing of coder A', async () => {
    const itemId = await newItem('blind round item');
    const secret = `SECRET-${newId('comment')}`;
    const a = await joined(team.members.coder);
    const b = await joined(team.coderB);
    const editor = await joined(team.members.editor);
    const methodologist = await joined(team.members.methodologist);

    // A codes with a recognisable note, and writes a comment that gives away a value.
    await ok(s.h.request(team.members.coder, 'PUT', api(`/items/${itemId}/codings/me`), { values: { frame: 'security', impact: 2, notes: secret } }));
    const aComment = await json<Comment>(await ok(s.h.request(team.members.coder, 'POST', api(`/items/${itemId}/comments`), { body: `I chose security ${secret}` }), 201));
    // Those who may list it (its author, managers who do not code the item) get it as the API returns it.
    await eventually(() => expect(editor.of('comment:added')).toEqual([{ projectId: f.projectId, itemId, comment: aComment }]));
    await eventually(() => expect(a.of('comment:added').map((e) => e.comment.id)).toEqual([aComment.id]));
    await eventually(() => expect(methodologist.of('comment:added').map((e) => e.comment.id)).toEqual([aComment.id]));
    // B's view over REST agrees: the comment is hidden from B.
    const bList = await json<Comment[]>(await ok(s.h.request(team.coderB, 'GET', api(`/items/${itemId}/comments`))));
    expect(bList.map((c) => c.id)).not.toContain(aComment.id);

    // An editor's comment is for everyone, B included.
    const editorComment = await json<Comment>(await ok(s.h.request(team.members.editor, 'POST', api(`/items/${itemId}/comments`), { body: 'Read the codebook note on frames' }), 201));
    await eventually(() => expect(b.of('comment:added').map((e) => e.comment.id)).toEqual([editorComment.id]));

    // A submits: A and the managers hear it; B does not learn that A codes (or finished) this
    // item, nor that anybody submitted anything just now (codings:changed, beside presence).
    await ok(s.h.request(team.members.coder, 'POST', api(`/items/${itemId}/codings/me/submit`)));
    await eventually(() => expect(editor.of('item:submitted')).toEqual([{ projectId: f.projectId, itemId, coderId: team.members.coder.userId }]));
    await eventually(() => expect(a.of('item:submitted')).toEqual([{ projectId: f.projectId, itemId, coderId: team.members.coder.userId }]));
    for (const l of [a, editor, methodologist]) await eventually(() => expect(l.of('codings:changed')).toEqual([{ projectId: f.projectId }]));
    await settled();
    await b.barrier();
    expect(b.of('codings:changed')).toEqual([]);
    const seenByB = JSON.stringify(b.events);
    expect(seenByB).not.toContain(secret);
    expect(seenByB).not.toContain(aComment.id);
    // Presence names who is in the project (by design, item ids only); no other event names A.
    expect(JSON.stringify(b.events.filter((e) => e.event !== 'project:presence'))).not.toContain(team.members.coder.userId);
    for (const e of b.of('project:presence')) for (const u of e.users) expect(Object.keys(u).sort()).toEqual(['displayName', 'itemId', 'userId']);
    expect(b.of('item:submitted')).toEqual([]);
    expect(b.of('item:phase')).toEqual([]);

    // B submits: the item is revealed; everyone in the room hears it.
    await ok(s.h.request(team.coderB, 'PUT', api(`/items/${itemId}/codings/me`), { values: { frame: 'leader', impact: -1 } }));
    await ok(s.h.request(team.coderB, 'POST', api(`/items/${itemId}/codings/me/submit`)));
    for (const l of [a, b, editor, methodologist]) {
      await eventually(() => expect(l.of('item:phase')).toEqual([{ projectId: f.projectId, itemId, phase: 'revealed' }]));
    }
    await eventually(() => expect(b.of('item:submitted')).toEqual([{ projectId: f.projectId, itemId, coderId: team.coderB.userId }]));
    expect(a.of('item:submitted').map((e) => e.coderId)).toEqual([team.members.coder.userId]);

    // After the reveal comments flow to everyone.
    const after = await json<Comment>(await ok(s.h.request(team.members.coder, 'POST', api(`/items/${itemId}/comments`), { body: 'We differ on the frame' }), 201));
    await eventually(() => expect(b.of('comment:added').map((e) => e.comment)).toContainEqual(after));

    // Adjudication: managers and the item's coders hear of decisions and reopenings (ids, no value).
    await ok(s.h.request(team.members.editor, 'PUT', api(`/items/${itemId}/adjudications/frame`), { value: 'security', rationale: 'consensus' }));
    await ok(s.h.request(team.members.editor, 'POST', api(`/items/${itemId}/adjudications/frame/reopen`)));
    const expected = [
      { projectId: f.projectId, itemId, fieldKey: 'frame', status: 'decided' },
      { projectId: f.projectId, itemId, fieldKey: 'frame', status: 'reopened' },
    ];
    await eventually(() => expect(editor.of('adjudication:changed')).toEqual(expected));
    await eventually(() => expect(methodologist.of('adjudication:changed')).toEqual(expected));
    await eventually(() => expect(a.of('adjudication:changed')).toEqual(expected));
    await eventually(() => expect(b.of('adjudication:changed')).toEqual(expected));
  });

  it("tells a decision to the managers and the item's coders only, not to a coder of other items", async () => {
    const res = await ok(s.h.request(team.members.owner, 'POST', api('/items'), { title: 'coded by A alone', body: 'text', language: 'en', platform: 'website' }), 201);
    const { id: itemId } = await json<{ id: string }>(res);
    const round = { roundName: 'A alone', coderIds: [team.members.coder.userId], itemIds: [itemId], mode: { type: 'k', k: 1 }, seed: 1 };
    await ok(s.h.request(team.members.owner, 'POST', api('/assignments'), round), 201);
    const a = await joined(team.members.coder);
    const b = await joined(team.coderB);
    const editor = await joined(team.members.editor);
    await ok(s.h.request(team.members.coder, 'PUT', api(`/items/${itemId}/codings/me`), { values: { frame: 'security', impact: 2 } }));
    await ok(s.h.request(team.members.coder, 'POST', api(`/items/${itemId}/codings/me/submit`)));
    await ok(s.h.request(team.members.editor, 'PUT', api(`/items/${itemId}/adjudications/frame`), { value: 'leader', rationale: 'reviewed' }));
    const expected = [{ projectId: f.projectId, itemId, fieldKey: 'frame', status: 'decided' }];
    await eventually(() => expect(editor.of('adjudication:changed')).toEqual(expected));
    await eventually(() => expect(a.of('adjudication:changed')).toEqual(expected));
    await settled();
    await b.barrier();
    expect(b.of('adjudication:changed')).toEqual([]);
    expect(JSON.stringify(b.events)).not.toContain('leader');
  });

  it('announces joint sessions opened and closed', async () => {
    const itemId = await newItem('joint item');
    const b = await joined(team.coderB);
    await ok(s.h.request(team.members.editor, 'POST', api(`/items/${itemId}/phase`), { phase: 'joint' }));
    await eventually(() => expect(b.of('session:opened')).toEqual([{ projectId: f.projectId, itemId }]));
    await ok(s.h.request(team.members.editor, 'POST', api(`/items/${itemId}/phase`), { phase: 'revealed' }));
    await eventually(() => expect(b.of('session:closed')).toEqual([{ projectId: f.projectId, itemId, phase: 'revealed' }]));
    expect(b.of('item:phase').map((e) => e.phase)).toEqual(['joint', 'revealed']);
    expect(b.of('codings:changed')).toEqual([{ projectId: f.projectId }]);
  });

  it('tells a reopened submission on an item coded blind to its coder and the managers, not to the other coders', async () => {
    const itemId = await newItem('reopened while blind');
    await ok(s.h.request(team.members.coder, 'PUT', api(`/items/${itemId}/codings/me`), { values: { frame: 'security', impact: 2 } }));
    await ok(s.h.request(team.members.coder, 'POST', api(`/items/${itemId}/codings/me/submit`)));
    await settled();
    const a = await joined(team.members.coder);
    const b = await joined(team.coderB);
    const editor = await joined(team.members.editor);
    const reopen = { reason: 'a field was skipped by mistake' };
    await ok(s.h.request(team.members.editor, 'POST', api(`/items/${itemId}/codings/${team.members.coder.userId}/reopen`), reopen));
    for (const l of [a, editor]) await eventually(() => expect(l.of('codings:changed')).toEqual([{ projectId: f.projectId }]));
    await settled();
    await b.barrier();
    expect(b.of('codings:changed')).toEqual([]);
  });

  it('keeps the presence list: who is on which item, ids and names only', async () => {
    const a = await joined(team.members.coder);
    const editor = await joined(team.members.editor);
    expect(await a.socket.timeout(10_000).emitWithAck('presence:set', { projectId: f.projectId, itemId: f.itemId })).toEqual({ ok: true });
    // (Other tests' sockets of the same coder are in the room too, on no item.)
    const onItem = (l: Listener) => l.of('project:presence').at(-1)?.users.find((u) => u.userId === team.members.coder.userId && u.itemId !== null);
    await eventually(() => expect(onItem(editor)).toEqual({ userId: team.members.coder.userId, displayName: 'coder', itemId: f.itemId }));
    for (const e of editor.of('project:presence')) for (const u of e.users) expect(Object.keys(u).sort()).toEqual(['displayName', 'itemId', 'userId']);
    // An item of another project (or none) is refused, and the list is unchanged.
    expect(await a.socket.timeout(10_000).emitWithAck('presence:set', { projectId: f.projectId, itemId: newId('item') })).toEqual({ ok: false, code: 'NOT_FOUND' });
    a.close();
    await eventually(() => expect(onItem(editor)).toBeUndefined());
  });

  it('sends the others nothing when a member repeats where they are (no count of moves to read)', async () => {
    const a = await joined(team.members.coder);
    const watcher = await joined(team.coderB);
    const setItem = () => a.socket.timeout(10_000).emitWithAck('presence:set', { projectId: f.projectId, itemId: f.itemId });
    expect(await setItem()).toEqual({ ok: true });
    const onItem = () => watcher.of('project:presence').filter((e) => e.users.some((u) => u.userId === team.members.coder.userId && u.itemId === f.itemId));
    await eventually(() => expect(onItem().length).toBeGreaterThan(0));
    await settled();
    const before = watcher.of('project:presence').length;
    for (let i = 0; i < 5; i++) expect(await setItem()).toEqual({ ok: true });
    await settled();
    await watcher.barrier();
    expect(watcher.of('project:presence').length).toBe(before);
  });
});

describe('membership changes', () => {
  it("removes a member from the project's rooms at once and closes their live documents", async () => {
    const c = await signUp(s.h, 'coderC');
    await addMember({ ctx: s.h.ctx(actorOf(team.members.owner)), projectId: f.projectId, input: { email: c.email, role: 'coder' } });
    const l = await joined(c);
    const doc = connectClient(s.wsUrl, itemDocName(f.itemId), { cookie: c.cookie });
    clients.push(doc);
    await eventually(() => expect(doc.provider.synced).toBe(true));

    await ok(s.h.request(team.members.owner, 'DELETE', api(`/members/${c.userId}`)));
    await eventually(() => expect(l.of('project:removed')).toEqual([{ projectId: f.projectId }]));
    await eventually(() => expect(doc.closes.length).toBeGreaterThan(0));
    doc.provider.disconnect();

    // Events of the project no longer reach them; joining again is refused.
    const editor = await joined(team.members.editor);
    await ok(s.h.request(team.members.editor, 'POST', api(`/items/${f.itemId}/comments`), { body: 'after the removal' }), 201);
    await eventually(() => expect(editor.of('comment:added').map((e) => e.comment.body)).toContain('after the removal'));
    await settled();
    await l.barrier();
    expect(l.of('comment:added')).toEqual([]);
    expect(await l.join(f.projectId)).toEqual({ ok: false, code: 'NOT_FOUND' });
  });

  it("deleting a project takes every member's sockets out of its rooms and closes their live documents", async () => {
    const g = await createFixture(s.h, team);
    const owner = await joined(team.members.owner, g.projectId);
    const coder = await joined(team.members.coder, g.projectId);
    const doc = connectClient(s.wsUrl, itemDocName(g.itemId), { cookie: team.members.editor.cookie });
    clients.push(doc);
    await eventually(() => expect(doc.provider.synced).toBe(true));

    await ok(s.h.request(team.members.owner, 'DELETE', `/api/projects/${g.projectId}`));
    for (const l of [owner, coder]) await eventually(() => expect(l.of('project:removed')).toEqual([{ projectId: g.projectId }]));
    await eventually(() => expect(doc.closes.length).toBeGreaterThan(0));
    doc.provider.disconnect();
  });

  it('moves a member whose role changed to the rooms of the new role when they join again', async () => {
    const c = await signUp(s.h, 'coderD');
    await addMember({ ctx: s.h.ctx(actorOf(team.members.owner)), projectId: f.projectId, input: { email: c.email, role: 'coder' } });
    const l = await joined(c);
    await ok(s.h.request(team.members.owner, 'PATCH', api(`/members/${c.userId}`), { role: 'editor' }));
    await eventually(() => expect(l.of('project:removed')).toEqual([{ projectId: f.projectId }]));
    expect(await l.join(f.projectId)).toEqual({ ok: true });
    const itemId = await newItem('role change item');
    await ok(s.h.request(team.members.coder, 'PUT', api(`/items/${itemId}/codings/me`), { values: { frame: 'security', impact: 1 } }));
    await ok(s.h.request(team.members.coder, 'POST', api(`/items/${itemId}/codings/me/submit`)));
    await eventually(() => expect(l.of('item:submitted')).toEqual([{ projectId: f.projectId, itemId, coderId: team.members.coder.userId }]));
  });
});

describe('bad input', () => {
  it('answers VALIDATION_FAILED or ignores bad payloads and unknown events, and keeps serving', async () => {
    const l = as(team.members.coder);
    await l.connected;
    const emit = (event: string, ...args: unknown[]) => (l.socket as unknown as { timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> } }).timeout(10_000).emitWithAck(event, ...args);
    const refused = { ok: false, code: 'VALIDATION_FAILED' };
    expect(await emit('project:join', { projectId: 42 })).toEqual(refused);
    expect(await emit('project:join', 'prj_x')).toEqual(refused);
    expect(await emit('project:join', null)).toEqual(refused);
    expect(await emit('project:join', { projectId: 'x'.repeat(10_000) })).toEqual(refused);
    expect(await emit('presence:set', { projectId: f.projectId, itemId: ['a'] })).toEqual(refused);
    expect(await emit('presence:set', { projectId: f.projectId })).toEqual(refused);
    // No ack function, an ack that is not a function, an unknown event: ignored.
    const raw = l.socket as unknown as { emit(e: string, ...a: unknown[]): void };
    raw.emit('project:join', { projectId: f.projectId });
    raw.emit('project:join', { projectId: f.projectId }, 'not-a-function');
    raw.emit('rooms:join', { room: `project:${f.projectId}` });
    expect(await l.join(f.projectId)).toEqual({ ok: true });

    // A message over the size limit closes that connection only.
    const big = as(team.members.coder);
    await big.connected;
    const closed = new Promise<string>((resolve) => big.socket.once('disconnect', (reason) => resolve(reason)));
    big.socket.emit('project:join', { projectId: 'y'.repeat(100_000) }, () => {});
    expect(await closed).toBe('transport close');
    const fresh = as(team.members.coder);
    await fresh.connected;
    expect(await fresh.join(f.projectId)).toEqual({ ok: true });
    expect((await s.h.request(team.members.coder, 'GET', api(''))).status).toBe(200);
  });
});
