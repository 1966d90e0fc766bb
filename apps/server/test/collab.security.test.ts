/**
 * Live documents, who may open what: authentication before any content, blind coding on
 * coding documents (refused with 4403 before a single sync message), read-only readers,
 * phase changes applied to open connections, and presence stripped to its allow-list.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CODING_DOC, COLLAB_CLOSE_CODES, ITEM_DOC, codingDocName, itemDocName, presenceColor } from '@concord/shared';
import { addToProject, json, signUp } from './harness.ts';
import { collabSuite, connectRaw } from './collab-helpers.ts';
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from '../src/collab/protocol.ts';
import { eventually } from './testing.ts';

const t = collabSuite();
const client = t.client;

describe('authentication', () => {
  it('closes a connection without cookie or token with 4401, before any message', async () => {
    const raw = connectRaw(t.s.wsUrl, itemDocName(t.f.itemId), null);
    expect((await raw.closed).code).toBe(COLLAB_CLOSE_CODES.UNAUTHENTICATED);
    expect(raw.received).toEqual([]);
  });

  it('refuses a bad token with 4401 and accepts one from POST /api/auth/ws-token', async () => {
    const bad = connectRaw(t.s.wsUrl, itemDocName(t.f.itemId), { token: 'not-a-token' });
    expect((await bad.closed).code).toBe(COLLAB_CLOSE_CODES.UNAUTHENTICATED);
    const res = await t.s.h.request(t.team.members.coder, 'POST', '/api/auth/ws-token');
    expect(res.status).toBe(201);
    const { token } = await json<{ token: string }>(res);
    const c = client(itemDocName(t.f.itemId), { token });
    await eventually(() => expect(c.provider.synced).toBe(true));
    expect((await t.s.h.request(null, 'POST', '/api/auth/ws-token')).status).toBe(401);
  });

  it('answers 4403 alike for non-members, malformed names and unknown items', async () => {
    for (const name of [itemDocName(t.f.itemId), 'item:nope', `item:itm_${'a'.repeat(16)}`, `coding:${t.f.itemId}:usr_${'b'.repeat(16)}`]) {
      const creds = name === itemDocName(t.f.itemId) ? { cookie: t.team.outsider.cookie } : { cookie: t.team.members.coder.cookie };
      const raw = connectRaw(t.s.wsUrl, name, creds);
      const closed = await raw.closed;
      expect(closed.code, name).toBe(COLLAB_CLOSE_CODES.FORBIDDEN);
      expect(raw.received, name).toEqual([]);
    }
  });
});

describe('item documents', () => {
  it("shows the item's coders presence but none of the shared item document while the item is coded blind; their writes go nowhere", async () => {
    const editor = client(itemDocName(t.f.itemId), { cookie: t.team.members.editor.cookie });
    editor.doc.getArray(ITEM_DOC.discussion).push([{ text: 'read the whole thread first', authorId: t.team.members.editor.userId }]);
    // The methodologist does not code the item: she reads the shared document.
    const methodologist = client(itemDocName(t.f.itemId), { cookie: t.team.members.methodologist.cookie });
    await eventually(() => expect(methodologist.doc.getArray(ITEM_DOC.discussion).length).toBe(1));
    const coder = client(itemDocName(t.f.itemId), { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(coder.provider.synced).toBe(true));
    // Presence still flows ("who is on this item")...
    await eventually(() => expect(coder.provider.awareness.getStates().get(editor.doc.clientID)?.user?.id).toBe(t.team.members.editor.userId));
    // ...but not the content, not even the document's state vector.
    expect(coder.doc.getArray(ITEM_DOC.discussion).toJSON()).toEqual([]);
    expect(Y.encodeStateVector(coder.doc)).toEqual(Y.encodeStateVector(new Y.Doc()));
    coder.doc.getArray(ITEM_DOC.annotations).push([{ from: 0, to: 4, frame: 'security', authorId: t.team.members.coder.userId }]);
    // The server handles a connection's messages in order: once her leaving reaches the editor, her write was handled.
    const coderClient = coder.doc.clientID;
    coder.destroy();
    await eventually(() => expect(editor.provider.awareness.getStates().has(coderClient)).toBe(false));
    expect(coder.closes.map((c) => c.code)).not.toContain(COLLAB_CLOSE_CODES.FORBIDDEN);
    // The blind coder's annotation reached nobody.
    const late = client(itemDocName(t.f.itemId), { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(late.doc.getArray(ITEM_DOC.discussion).length).toBe(1));
    expect(late.doc.getArray(ITEM_DOC.annotations).toJSON()).toEqual([]);
    expect(editor.doc.getArray(ITEM_DOC.annotations).toJSON()).toEqual([]);
  });

  it('lets members co-edit live in a joint session; a methodologist reads but is closed on writing', async () => {
    const setPhase = (phase: string) => t.s.h.request(t.team.members.editor, 'POST', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/phase`, { phase });
    expect((await setPhase('joint')).status).toBe(200);
    const coder = client(itemDocName(t.f.itemId), { cookie: t.team.members.coder.cookie });
    const editor = client(itemDocName(t.f.itemId), { cookie: t.team.members.editor.cookie });
    coder.doc.getArray(ITEM_DOC.annotations).push([{ from: 0, to: 4, frame: 'security', authorId: t.team.members.coder.userId }]);
    editor.doc.getArray(ITEM_DOC.discussion).push([{ text: 'which frame?', authorId: t.team.members.editor.userId }]);
    await eventually(() => {
      expect(editor.doc.getArray(ITEM_DOC.annotations).toJSON()).toEqual([{ from: 0, to: 4, frame: 'security', authorId: t.team.members.coder.userId }]);
      expect(coder.doc.getArray(ITEM_DOC.discussion).length).toBe(2);
    });
    const methodologist = client(itemDocName(t.f.itemId), { cookie: t.team.members.methodologist.cookie });
    await eventually(() => expect(methodologist.doc.getArray(ITEM_DOC.annotations).length).toBe(1));
    methodologist.doc.getArray(ITEM_DOC.discussion).push([{ text: 'sneaky', authorId: t.team.members.methodologist.userId }]);
    await eventually(() => expect(methodologist.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));
    // The refused write reached nobody.
    const late = client(itemDocName(t.f.itemId), { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(late.provider.synced).toBe(true));
    // Concurrent inserts are ordered by Yjs client id, so compare as a set.
    const discussion = late.doc.getArray<{ text: string }>(ITEM_DOC.discussion).toJSON() as { text: string }[];
    expect(discussion.map((d) => d.text).sort()).toEqual(['read the whole thread first', 'which frame?']);
    // Back to blind coding: the open coder connection gets nothing more and its writes go nowhere.
    expect((await setPhase('independent')).status).toBe(200);
    coder.doc.getArray(ITEM_DOC.annotations).push([{ from: 5, to: 9, frame: 'leader', authorId: t.team.members.coder.userId }]);
    const coderClient = coder.doc.clientID;
    coder.destroy();
    await eventually(() => expect(editor.provider.awareness.getStates().has(coderClient)).toBe(false));
    expect(editor.doc.getArray(ITEM_DOC.annotations).length).toBe(1);
  });

  it("strips presence to the account's identity (id, name, colour), with no field while the item is coded blind", async () => {
    const a = client(itemDocName(t.f.itemId), { cookie: t.team.members.coder.cookie });
    const b = client(itemDocName(t.f.itemId), { cookie: t.team.coderB.cookie });
    a.provider.awareness.setLocalState({
      user: { id: 'usr_someoneelse00000', name: 'Ana', color: '#ff0000', secret: 'x' },
      focus: { fieldKey: 'impact', value: 3 },
      values: { impact: 3 },
      typing: 'protesters_terrorists',
    });
    await eventually(() => expect(b.provider.awareness.getStates().get(a.doc.clientID)).toBeDefined());
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
      user: { id: t.team.members.coder.userId, name: 'coder', color: presenceColor(t.team.members.coder.userId) },
    });
  });

  it('keeps what coders wrote in a joint session from coders who code the item blind after it is sent back, and shows it again when it leaves blind coding', async () => {
    const setPhase = (phase: string) => t.s.h.request(t.team.members.editor, 'POST', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/phase`, { phase });
    expect((await setPhase('joint')).status).toBe(200);
    const coder = client(itemDocName(t.f.itemId), { cookie: t.team.members.coder.cookie });
    const editor = client(itemDocName(t.f.itemId), { cookie: t.team.members.editor.cookie });
    await eventually(() => expect(coder.provider.synced && editor.provider.synced).toBe(true));
    // What the earlier tests left in the document.
    const tags = editor.doc.getArray(ITEM_DOC.annotations).length;
    const notes = editor.doc.getArray(ITEM_DOC.discussion).length;
    coder.doc.getArray(ITEM_DOC.annotations).push([{ from: 0, to: 4, frame: 'protest', authorId: t.team.members.coder.userId }]);
    coder.doc.getArray(ITEM_DOC.discussion).push([{ text: 'I read it as protest', authorId: t.team.members.coder.userId }]);
    await eventually(() => expect(editor.doc.getArray(ITEM_DOC.discussion).length).toBe(notes + 1));
    expect(editor.doc.getArray(ITEM_DOC.annotations).length).toBe(tags + 1);
    // Sent back to independent coding: coder B codes it blind and opens the shared document.
    expect((await setPhase('independent')).status).toBe(200);
    const b = client(itemDocName(t.f.itemId), { cookie: t.team.coderB.cookie });
    await eventually(() => expect(b.provider.synced).toBe(true));
    await eventually(() => expect(b.provider.awareness.getStates().get(editor.doc.clientID)?.user?.id).toBe(t.team.members.editor.userId));
    expect(b.doc.getArray(ITEM_DOC.annotations).toJSON()).toEqual([]);
    expect(b.doc.getArray(ITEM_DOC.discussion).toJSON()).toEqual([]);
    // The open connection of the other coder gets nothing new either; a reader who does not code the item does.
    editor.doc.getArray(ITEM_DOC.discussion).push([{ text: 'recode it without looking', authorId: t.team.members.editor.userId }]);
    const methodologist = client(itemDocName(t.f.itemId), { cookie: t.team.members.methodologist.cookie });
    await eventually(() => expect(methodologist.doc.getArray(ITEM_DOC.discussion).length).toBe(notes + 2));
    expect(coder.doc.getArray(ITEM_DOC.discussion).length).toBe(notes + 1);
    expect(b.doc.getArray(ITEM_DOC.discussion).toJSON()).toEqual([]);
    // A joint session again: the open connections get the whole document, without reconnecting.
    expect((await setPhase('joint')).status).toBe(200);
    await eventually(() => {
      expect(b.doc.getArray(ITEM_DOC.annotations).length).toBe(tags + 1);
      expect(b.doc.getArray(ITEM_DOC.discussion).length).toBe(notes + 2);
      expect(coder.doc.getArray(ITEM_DOC.discussion).length).toBe(notes + 2);
    });
    expect(b.closes).toEqual([]);
    // And B writes it now.
    b.doc.getArray(ITEM_DOC.discussion).push([{ text: 'agreed', authorId: t.team.coderB.userId }]);
    await eventually(() => expect(editor.doc.getArray(ITEM_DOC.discussion).length).toBe(notes + 3));
    expect((await setPhase('independent')).status).toBe(200);
  });
});

/** A span tag as the coding view writes it (shape: Annotation in @concord/shared). */
const spanTag = (authorId: string) => ({
  id: 'ann_aaaaaaaaaaaaaaaa',
  from: 0,
  to: 4,
  fieldKey: 'frames',
  frame: 'security',
  authorId,
  createdAt: '2026-11-29T12:00:00.000Z',
});

describe('coding documents: blind coding', () => {
  it("refuses coder B on coder A's document during the independent phase, before any sync message", async () => {
    const a = client(codingDocName(t.f.itemId, t.team.members.coder.userId), { cookie: t.team.members.coder.cookie });
    a.doc.getMap(CODING_DOC.values).set('impact', -2);
    // Her span tags live in the same blind document; the projection reads values only.
    a.doc.getArray(CODING_DOC.annotations).push([spanTag(t.team.members.coder.userId)]);
    a.provider.awareness.setLocalState({ user: { name: 'A', color: '#00ff00' }, focus: { fieldKey: 'impact' } });
    await eventually(async () => {
      const mine = await json<{ fieldKey: string; value: unknown }[]>(await t.s.h.request(t.team.members.coder, 'GET', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/codings/me`));
      expect(mine.map((c) => [c.fieldKey, c.value])).toEqual([['impact', -2]]);
    });
    for (const who of [t.team.coderB, t.team.members.editor, t.team.members.owner]) {
      const raw = connectRaw(t.s.wsUrl, codingDocName(t.f.itemId, t.team.members.coder.userId), { cookie: who.cookie });
      expect((await raw.closed).code).toBe(COLLAB_CLOSE_CODES.FORBIDDEN);
      expect(raw.received).toEqual([]);
    }
    // B's presence on the shared item document never shows A's values either (checked above),
    // and B's own coding document is B's alone.
    const b = client(codingDocName(t.f.itemId, t.team.coderB.userId), { cookie: t.team.coderB.cookie });
    await eventually(() => expect(b.provider.synced).toBe(true));
    expect(b.doc.getMap(CODING_DOC.values).toJSON()).toEqual({});
  });

  it('lets B read (not write) after the reveal, and closes readers who lose access', async () => {
    const aDoc = codingDocName(t.f.itemId, t.team.members.coder.userId);
    // Joint session: B may read A's document live.
    expect((await t.s.h.request(t.team.members.editor, 'POST', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/phase`, { phase: 'joint' })).status).toBe(200);
    const reader = client(aDoc, { cookie: t.team.coderB.cookie });
    await eventually(() => expect(reader.doc.getMap(CODING_DOC.values).get('impact')).toBe(-2));
    expect(reader.doc.getArray(CODING_DOC.annotations).toJSON()).toEqual([spanTag(t.team.members.coder.userId)]);
    // Back to independent: the open reader is closed.
    expect((await t.s.h.request(t.team.members.editor, 'POST', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/phase`, { phase: 'independent' })).status).toBe(200);
    await eventually(() => expect(reader.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));

    // Revealed: B reads A's values; B's writes are dropped and B is closed.
    expect((await t.s.h.request(t.team.members.editor, 'POST', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/phase`, { phase: 'revealed' })).status).toBe(200);
    const b = client(aDoc, { cookie: t.team.coderB.cookie });
    await eventually(() => expect(b.doc.getMap(CODING_DOC.values).get('impact')).toBe(-2));
    expect(b.doc.getArray(CODING_DOC.annotations).toJSON()).toEqual([spanTag(t.team.members.coder.userId)]);
    b.doc.getMap(CODING_DOC.values).set('impact', 3);
    await eventually(() => expect(b.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));
    const check = client(aDoc, { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(check.provider.synced).toBe(true));
    expect(check.doc.getMap(CODING_DOC.values).get('impact')).toBe(-2);
    const rows = await json<{ coderId: string; fieldKey: string; value: unknown }[]>(
      await t.s.h.request(t.team.members.editor, 'GET', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/codings`),
    );
    expect(rows.filter((r) => r.coderId === t.team.members.coder.userId).map((r) => r.value)).toEqual([-2]);
    // The revealed item is frozen for its own coder too.
    check.doc.getMap(CODING_DOC.values).set('impact', 1);
    await eventually(() => expect(check.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.CONFLICT));
  });
});

describe('documents as data', () => {
  it('keeps a Y.Map of values per coding document', () => {
    const doc = new Y.Doc();
    doc.getMap(CODING_DOC.values).set('impact', 1);
    expect(doc.getMap(CODING_DOC.values).toJSON()).toEqual({ impact: 1 });
  });
});

describe('a member who becomes a coder of the item', () => {
  it('stops getting the shared item document at once when a round gives her the item to code blind', async () => {
    const base = `/api/projects/${t.f.projectId}`;
    const phase = await t.s.h.request(t.team.members.editor, 'POST', `${base}/items/${t.f.itemId}/phase`, { phase: 'independent' });
    expect(phase.status).toBe(200);
    const c = await signUp(t.s.h, 'coderC');
    await addToProject(t.s.h, t.team.members.owner, t.f.projectId, c, 'coder');
    // Not a coder of the item yet: she reads the document, as every member who does not code it.
    const newcomer = connectRaw(t.s.wsUrl, itemDocName(t.f.itemId), { cookie: c.cookie });
    await newcomer.opened;
    const reader = client(itemDocName(t.f.itemId), { cookie: t.team.members.methodologist.cookie });
    const editor = client(itemDocName(t.f.itemId), { cookie: t.team.members.editor.cookie });
    await eventually(() => expect(reader.provider.synced && editor.provider.synced).toBe(true));
    await eventually(() => expect(newcomer.received.length).toBeGreaterThan(0));

    const round = await t.s.h.request(t.team.members.editor, 'POST', `${base}/assignments`, { roundName: 'late coder', coderIds: [c.userId], itemIds: [t.f.itemId], mode: { type: 'k', k: 1 } });
    expect(round.status, await round.clone().text()).toBe(201);
    const notes = reader.doc.getArray(ITEM_DOC.discussion).length;
    const before = newcomer.received.length;
    editor.doc.getArray(ITEM_DOC.discussion).push([{ text: 'the key frame is security', authorId: t.team.members.editor.userId }]);
    await eventually(() => expect(reader.doc.getArray(ITEM_DOC.discussion).length).toBe(notes + 1));
    // A round trip on her socket (messages on it keep their order): a relay of that change
    // would have come before the answer to her awareness query.
    const seen = newcomer.received.length;
    newcomer.ws.send(Uint8Array.of(MESSAGE_QUERY_AWARENESS));
    await eventually(() => expect(newcomer.received.slice(seen).some((m) => m[0] === MESSAGE_AWARENESS)).toBe(true));
    const answered = seen + newcomer.received.slice(seen).findIndex((m) => m[0] === MESSAGE_AWARENESS);
    expect(newcomer.received.slice(before, answered).filter((m) => m[0] === MESSAGE_SYNC)).toEqual([]);
    newcomer.ws.close();
  });
});
