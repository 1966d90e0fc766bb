/**
 * Live documents are durable and the codings rows are their projection: edits survive a
 * restart on the same database, the rows equal the documents' valid values after random
 * edits and a restart, the REST write path goes through the document, frozen documents
 * refuse updates, and bad input closes only the offending connection.
 */
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { eq } from 'drizzle-orm';
import { docSnapshots, docUpdates } from '@concord/db';
import { CODING_DOC, COLLAB_CLOSE_CODES, ITEM_DOC, codingDocName, itemDocName, type Coding } from '@concord/shared';
import { DEFAULT_COLLAB_LIMITS } from '../src/config.ts';
import { json } from './harness.ts';
import { collabSuite, connectRaw, seededRandom, testSeed } from './collab-helpers.ts';
import { eventually } from './testing.ts';

const t = collabSuite();
const client = t.client;
const myCodings = async () =>
  json<Coding[]>(await t.s.h.request(t.team.members.coder, 'GET', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/codings/me`));
const rowsAsValues = (rows: Coding[]) => Object.fromEntries(rows.map((r) => [r.fieldKey, r.value]));

describe('durability', () => {
  it('keeps every edit across a restart on the same database, compacted on unload', async () => {
    const a = client(itemDocName(t.f.itemId), { cookie: t.team.members.owner.cookie });
    const text = a.doc.getText('memo');
    for (let i = 0; i < 20; i++) text.insert(text.length, `line ${i}\n`);
    a.doc.getArray(ITEM_DOC.annotations).push([{ from: 1, to: 2, frame: 'leader', authorId: t.team.members.owner.userId }]);
    const b = client(itemDocName(t.f.itemId), { cookie: t.team.members.editor.cookie });
    // Relayed to b only after it was stored.
    await eventually(() => expect(b.doc.getText('memo').toString()).toBe(text.toString()));
    const expected = text.toString();

    await t.restart();
    const [snapshot] = await t.s.server.deps.database.db.select().from(docSnapshots).where(eq(docSnapshots.docName, itemDocName(t.f.itemId)));
    expect(snapshot?.state).toBeInstanceOf(Uint8Array);
    expect(await t.s.server.deps.database.db.select({ id: docUpdates.id }).from(docUpdates).where(eq(docUpdates.docName, itemDocName(t.f.itemId)))).toEqual([]);

    const fresh = client(itemDocName(t.f.itemId), { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(fresh.provider.synced).toBe(true));
    expect(fresh.doc.getText('memo').toString()).toBe(expected);
    expect(fresh.doc.getArray(ITEM_DOC.annotations).toJSON()).toEqual([{ from: 1, to: 2, frame: 'leader', authorId: t.team.members.owner.userId }]);
  });

  it('keeps the codings rows equal to the coding document after random edits and a restart', async () => {
    const seed = testSeed(process.env.CONCORD_TEST_SEED);
    console.log(`collab projection seed: ${seed} (replay with CONCORD_TEST_SEED=${seed})`);
    const random = seededRandom(seed);
    const candidates: Record<string, unknown[]> = {
      frame: ['security', 'protesters_terrorists', 'leader', { na: true }, 'not-an-option'],
      impact: [-3, -1, 0, 2, 3, 9],
      notes: ['a memo', 'another memo', 42],
      bogus_field: ['x'],
    };
    const keys = Object.keys(candidates);
    const a = client(codingDocName(t.f.itemId, t.team.members.coder.userId), { cookie: t.team.members.coder.cookie });
    const values = a.doc.getMap(CODING_DOC.values);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 8; i++) {
        const key = keys[Math.floor(random() * keys.length)]!;
        if (random() < 0.2) values.delete(key);
        else values.set(key, candidates[key]![Math.floor(random() * candidates[key]!.length)]);
      }
      // The rows are exactly the document's values that fit the codebook.
      const doc = values.toJSON();
      const expected = Object.fromEntries(
        Object.entries(doc).filter(([key, value]) => key !== 'bogus_field' && value !== 'not-an-option' && value !== 9 && value !== 42),
      );
      await eventually(async () => expect(rowsAsValues(await myCodings()), `seed ${seed}`).toEqual(expected));
    }
    const before = rowsAsValues(await myCodings());
    await t.restart();
    expect(rowsAsValues(await myCodings())).toEqual(before);
    const reopened = client(codingDocName(t.f.itemId, t.team.members.coder.userId), { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(reopened.provider.synced).toBe(true));
    const docValues = reopened.doc.getMap(CODING_DOC.values).toJSON();
    for (const [key, value] of Object.entries(before)) expect(docValues[key]).toEqual(value);
  });

  it('writes REST saves through the document: connected clients see them live', async () => {
    const a = client(codingDocName(t.f.itemId, t.team.members.coder.userId), { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(a.provider.synced).toBe(true));
    const res = await t.s.h.request(t.team.members.coder, 'PUT', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/codings/me`, {
      values: { impact: 1, frame: 'leader', notes: null },
    });
    expect(res.status).toBe(200);
    expect(rowsAsValues(await json<Coding[]>(res))).toEqual({ impact: 1, frame: 'leader' });
    await eventually(() => expect(a.doc.getMap(CODING_DOC.values).toJSON()).toMatchObject({ impact: 1, frame: 'leader' }));
    expect(a.doc.getMap(CODING_DOC.values).has('notes')).toBe(false);
  });

  it('freezes a submitted coding document: its updates are refused and not stored', async () => {
    const a = client(codingDocName(t.f.itemId, t.team.members.coder.userId), { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(a.doc.getMap(CODING_DOC.values).get('impact')).toBe(1));
    expect((await t.s.h.request(t.team.members.coder, 'POST', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/codings/me/submit`)).status).toBe(200);
    a.doc.getMap(CODING_DOC.values).set('impact', -3);
    await eventually(() => expect(a.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.CONFLICT));
    expect(rowsAsValues(await myCodings()).impact).toBe(1);
    const check = client(codingDocName(t.f.itemId, t.team.members.coder.userId), { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(check.provider.synced).toBe(true));
    expect(check.doc.getMap(CODING_DOC.values).get('impact')).toBe(1);
  });
});

describe('bad input', () => {
  const frame = (...parts: number[]) => new Uint8Array(parts);
  function syncUpdateFrame(update: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update);
    return encoding.toUint8Array(e);
  }

  it('closes only the offending connection; the process and the stored document are intact', async () => {
    const name = itemDocName(t.f.itemId);
    const witness = client(name, { cookie: t.team.members.editor.cookie });
    witness.doc.getArray(ITEM_DOC.discussion).push([{ text: 'before the attack', authorId: t.team.members.editor.userId }]);
    await eventually(() => expect(witness.provider.synced).toBe(true));
    const cookie = { cookie: t.team.members.coder.cookie };
    const attacks: { label: string; send: Uint8Array | string | Uint8Array[]; code: number }[] = [
      { label: 'unknown message type', send: frame(7, 1, 2), code: COLLAB_CLOSE_CODES.BAD_REQUEST },
      { label: 'unknown sync step', send: frame(0, 9, 0), code: COLLAB_CLOSE_CODES.BAD_REQUEST },
      { label: 'truncated update', send: frame(0, 2, 50, 1, 2), code: COLLAB_CLOSE_CODES.BAD_REQUEST },
      { label: 'garbage update', send: syncUpdateFrame(new Uint8Array([255, 255, 255, 255, 1, 2, 3])), code: COLLAB_CLOSE_CODES.BAD_REQUEST },
      { label: 'garbage after the header', send: frame(0, 0, 0, 99, 98), code: COLLAB_CLOSE_CODES.BAD_REQUEST },
      { label: 'garbage awareness', send: frame(1, 3, 1, 2, 3), code: COLLAB_CLOSE_CODES.BAD_REQUEST },
      { label: 'text frame', send: 'hello', code: COLLAB_CLOSE_CODES.BAD_REQUEST },
      { label: 'oversized message', send: syncUpdateFrame(new Uint8Array(t.s.h.config.collab.maxMessageBytes + 10)), code: COLLAB_CLOSE_CODES.PAYLOAD_TOO_LARGE },
      { label: 'flood', send: Array.from({ length: 400 }, () => frame(3)), code: COLLAB_CLOSE_CODES.RATE_LIMITED },
    ];
    for (const attack of attacks) {
      const raw = connectRaw(t.s.wsUrl, name, cookie);
      await raw.opened;
      for (const message of Array.isArray(attack.send) ? attack.send : [attack.send]) raw.ws.send(message);
      expect((await raw.closed).code, attack.label).toBe(attack.code);
    }
    // The others are still served, and the document is what it was.
    witness.doc.getArray(ITEM_DOC.discussion).push([{ text: 'after the attack', authorId: t.team.members.editor.userId }]);
    const late = client(name, { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(late.doc.getArray(ITEM_DOC.discussion).toJSON()).toMatchObject([{ text: 'before the attack' }, { text: 'after the attack' }]));
    await t.restart();
    const afterRestart = client(name, { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(afterRestart.doc.getArray(ITEM_DOC.discussion).toJSON()).toMatchObject([{ text: 'before the attack' }, { text: 'after the attack' }]));
    expect((await t.s.h.request(null, 'GET', '/api/health')).status).toBe(200);
  });

  it('refuses updates that would grow a document past its size limit', async () => {
    await t.restart({ collab: { ...DEFAULT_COLLAB_LIMITS, maxMessageBytes: 64 * 1024, maxDocBytes: 32 * 1024, maxMessagesPerSecond: 1000 } });
    const a = client(itemDocName(t.f.itemId), { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(a.provider.synced).toBe(true));
    a.doc.getText('big').insert(0, 'x'.repeat(40 * 1024));
    await eventually(() => expect(a.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.PAYLOAD_TOO_LARGE));
    const b = client(itemDocName(t.f.itemId), { cookie: t.team.members.editor.cookie });
    await eventually(() => expect(b.provider.synced).toBe(true));
    expect(b.doc.getText('big').length).toBe(0);
  });
});
