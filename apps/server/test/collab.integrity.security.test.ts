/**
 * Item document integrity (issue 11, finding 9), attacked with a stock y-websocket client as a
 * coder in a joint session: deleting an editor's memo and discussion entry, editing another
 * coder's annotation and memo, creating entries with a forged `authorId`, hiding content in a
 * nested type. Each update is refused as a whole (4403): the others never receive it and
 * nothing of it is stored, also after a restart. Legitimate edits go on working, and editors
 * may remove (not forge) others' entries.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { COLLAB_CLOSE_CODES, ITEM_DOC, itemDocName } from '@concord/shared';
import type { Session } from './harness.ts';
import { encodeUpdate } from '../src/collab/protocol.ts';
import { collabSuite, connectRaw, type Client } from './collab-helpers.ts';
import { eventually } from './testing.ts';

const t = collabSuite({ joint: true });
const name = () => itemDocName(t.f.itemId);
const open = (who: Session) => t.client(name(), { cookie: who.cookie });

async function synced(c: Client): Promise<Client> {
  await eventually(() => expect(c.provider.synced).toBe(true));
  return c;
}

const memos = (doc: Y.Doc) => doc.getMap<Record<string, unknown>>(ITEM_DOC.memos);
const annotations = (doc: Y.Doc) => doc.getArray<Record<string, unknown>>(ITEM_DOC.annotations);
const discussion = (doc: Y.Doc) => doc.getArray<Record<string, unknown>>(ITEM_DOC.discussion);
const contentOf = (doc: Y.Doc) => ({ memos: memos(doc).toJSON(), annotations: annotations(doc).toJSON(), discussion: discussion(doc).toJSON() });

describe('authorship in the shared item document', () => {
  it("refuses a coder's deletes of others' entries, edits of them and forged authors; stores none of it", async () => {
    const { editor } = t.team.members;
    const coder = t.team.members.coder;
    const coderB = t.team.coderB;
    const editorDoc = await synced(open(editor));
    memos(editorDoc.doc).set('memo-editor', { text: 'check the caption', authorId: editor.userId });
    discussion(editorDoc.doc).push([{ text: 'frame is security?', authorId: editor.userId }]);
    const bDoc = await synced(open(coderB));
    annotations(bDoc.doc).push([{ id: 'ann_bbbbbbbbbbbbbbbb', from: 0, to: 4, frame: 'security', authorId: coderB.userId }]);
    memos(bDoc.doc).set('memo-b', { text: 'mine', authorId: coderB.userId });
    await eventually(() => expect(contentOf(editorDoc.doc)).toEqual(contentOf(bDoc.doc)));
    const before = contentOf(editorDoc.doc);
    expect(before.annotations).toHaveLength(1);

    const attacks: [string, (doc: Y.Doc) => void][] = [
      ["delete the editor's memo", (doc) => memos(doc).delete('memo-editor')],
      ["delete the editor's discussion entry", (doc) => discussion(doc).delete(0, 1)],
      ["edit coder B's annotation", (doc) => Y.transact(doc, () => {
        annotations(doc).delete(0, 1);
        annotations(doc).insert(0, [{ ...(before.annotations[0] as Record<string, unknown>), frame: 'leader' }]);
      })],
      ["edit coder B's memo (keeping B as author)", (doc) => memos(doc).set('memo-b', { text: 'not mine', authorId: coderB.userId })],
      ['create an annotation as the editor', (doc) => annotations(doc).push([{ id: 'ann_cccccccccccccccc', from: 0, to: 4, frame: 'leader', authorId: editor.userId }])],
      ['create a memo without an author', (doc) => memos(doc).set('memo-anon', { text: 'who wrote this?' })],
      ['hide content in a nested type', (doc) => (doc.getMap(ITEM_DOC.memos) as Y.Map<unknown>).set('memo-nested', new Y.Map())],
    ];
    for (const [label, attack] of attacks) {
      const attacker = await synced(open(coder));
      attack(attacker.doc);
      await eventually(() => expect(attacker.closes.map((c) => c.code), label).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));
      attacker.destroy();
    }
    // A change after the attacks reaches a newcomer; none of the attacks does.
    discussion(editorDoc.doc).push([{ text: 'after the attacks', authorId: editor.userId }]);
    const expected = contentOf(editorDoc.doc);
    expect(expected).toEqual({ ...before, discussion: [...before.discussion, { text: 'after the attacks', authorId: editor.userId }] });
    const late = await synced(open(t.team.members.owner));
    await eventually(() => expect(contentOf(late.doc)).toEqual(expected));
    expect(contentOf(bDoc.doc)).toEqual(expected);

    await t.restart();
    const afterRestart = await synced(open(t.team.members.owner));
    expect(contentOf(afterRestart.doc)).toEqual(expected);
  });

  it('lets a coder add, change and remove their own entries, and an editor remove (not forge) others\'', async () => {
    const { editor, coder } = t.team.members;
    const coderDoc = await synced(open(coder));
    const own = { id: 'ann_dddddddddddddddd', from: 1, to: 3, frame: 'leader', authorId: coder.userId };
    annotations(coderDoc.doc).push([own]);
    memos(coderDoc.doc).set('memo-coder', { text: 'draft', authorId: coder.userId });
    memos(coderDoc.doc).set('memo-coder', { text: 'final', authorId: coder.userId });
    const editorDoc = await synced(open(editor));
    await eventually(() => expect(memos(editorDoc.doc).get('memo-coder')).toEqual({ text: 'final', authorId: coder.userId }));
    const index = annotations(coderDoc.doc).toJSON().findIndex((a) => a.id === own.id);
    annotations(coderDoc.doc).delete(index, 1);
    await eventually(() => expect(annotations(editorDoc.doc).toJSON().some((a) => a.id === own.id)).toBe(false));

    // The editor removes the coder's memo (moderation)...
    memos(editorDoc.doc).delete('memo-coder');
    await eventually(() => expect(memos(coderDoc.doc).has('memo-coder')).toBe(false));
    expect(coderDoc.closes).toEqual([]);
    expect(editorDoc.closes).toEqual([]);
    // ...but cannot write in the coder's name.
    memos(editorDoc.doc).set('memo-forged', { text: 'I agree with the editor', authorId: coder.userId });
    await eventually(() => expect(editorDoc.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));
    const late = await synced(open(t.team.members.owner));
    expect(memos(late.doc).has('memo-forged')).toBe(false);
  });

  it('keeps an edit that arrives before the edit it builds on (a client reconnecting while typing): applied and stored once both are here, nobody closed', async () => {
    const coder = t.team.members.coder;
    const watcher = await synced(open(t.team.members.editor));
    // The coder's client made two edits offline; the second replaces the first.
    const offline = new Y.Doc();
    const edits: Uint8Array[] = [];
    offline.on('update', (u: Uint8Array) => edits.push(u));
    memos(offline).set('memo-offline', { text: 'draft', authorId: coder.userId });
    memos(offline).set('memo-offline', { text: 'typed after reconnecting', authorId: coder.userId });
    const raw = connectRaw(t.s.wsUrl, name(), { cookie: coder.cookie });
    await raw.opened;
    let closed: { code: number } | null = null;
    void raw.closed.then((c) => (closed = c));
    // The newer edit first (sent as typed), then the older one (in the sync reply).
    raw.ws.send(encodeUpdate(edits[1]!));
    raw.ws.send(encodeUpdate(edits[0]!));
    await eventually(() => expect(memos(watcher.doc).get('memo-offline')).toEqual({ text: 'typed after reconnecting', authorId: coder.userId }));
    expect(closed).toBeNull();
    raw.ws.close();

    await t.restart();
    const afterRestart = await synced(open(t.team.members.owner));
    expect(memos(afterRestart.doc).get('memo-offline')).toEqual({ text: 'typed after reconnecting', authorId: coder.userId });
  });

  it('still refuses a forged author in an edit that had to wait for the edit it builds on', async () => {
    const coder = t.team.members.coder;
    const offline = new Y.Doc();
    const edits: Uint8Array[] = [];
    offline.on('update', (u: Uint8Array) => edits.push(u));
    memos(offline).set('memo-wait', { text: 'mine', authorId: coder.userId });
    memos(offline).set('memo-wait', { text: 'forged', authorId: t.team.members.editor.userId });
    const raw = connectRaw(t.s.wsUrl, name(), { cookie: coder.cookie });
    await raw.opened;
    raw.ws.send(encodeUpdate(edits[1]!));
    raw.ws.send(encodeUpdate(edits[0]!));
    expect((await raw.closed).code).toBe(COLLAB_CLOSE_CODES.FORBIDDEN);
    const late = await synced(open(t.team.members.owner));
    expect(memos(late.doc).has('memo-wait')).toBe(false);
  });
});
