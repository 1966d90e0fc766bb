/**
 * Convergence through the server: stock y-websocket clients on item documents, including
 * seeded random edits with disconnects and reconnects from three coders on two documents.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ITEM_DOC, itemDocName } from '@concord/shared';
import { decodeMessage, encodeUpdate, MESSAGE_SYNC } from '../src/collab/protocol.ts';
import { collabSuite, connectRaw, contentOf, expectConverged, randomItemEdits, seededRandom, testSeed } from './collab-helpers.ts';
import { eventually } from './testing.ts';
import type { Session } from './harness.ts';

const t = collabSuite({ fixtures: 2, joint: true });
const client = (docName: string, who: Session) => t.client(docName, { cookie: who.cookie });

describe('convergence', () => {
  it('syncs two clients on an item document both ways', async () => {
    const a = client(itemDocName(t.fixtures[0]!.itemId), t.team.members.coder);
    const b = client(itemDocName(t.fixtures[0]!.itemId), t.team.coderB);
    a.doc.getText('memo').insert(0, 'hello');
    await eventually(() => expect(b.doc.getText('memo').toString()).toBe('hello'));
    b.doc.getText('memo').insert(5, ' world');
    b.doc.getMap(ITEM_DOC.memos).set('m1', { text: 'frame unclear', authorId: t.team.coderB.userId });
    await eventually(() => expect(contentOf(a.doc)).toEqual(contentOf(b.doc)));
    expect(a.doc.getText('memo').toString()).toBe('hello world');
  });

  it('converges after seeded random edits, disconnects and reconnects (3 coders, 2 documents)', async () => {
    const seed = testSeed(process.env.CONCORD_TEST_SEED);
    console.log(`collab convergence seed: ${seed} (replay with CONCORD_TEST_SEED=${seed})`);
    const people = [t.team.members.coder, t.team.coderB, t.team.members.editor];
    const names = t.fixtures.map((f) => itemDocName(f.itemId));
    const docs = names.map((name) => people.map((who) => client(name, who)));
    randomItemEdits(docs, seededRandom(seed), { rounds: 6, maxEdits: 12, authors: people.map((p) => p.userId) });
    await expectConverged(docs, seed, 20_000);
    // The two documents stay apart.
    expect(contentOf(docs[0]![0]!.doc)).not.toEqual(contentOf(docs[1]![0]!.doc));
    // A newcomer (after a restart, from the database alone) sees the same content.
    const expected = docs.map((peers) => contentOf(peers[0]!.doc));
    await t.restart();
    for (const [i, name] of names.entries()) {
      const fresh = client(name, t.team.members.owner);
      await eventually(() => expect(contentOf(fresh.doc), `seed ${seed}`).toEqual(expected[i]));
    }
  });

  it('relays to a client its sync step 2, then the updates committed after it, in commit order and byte for byte', async () => {
    const name = itemDocName(t.fixtures[1]!.itemId);
    const writer = connectRaw(t.s.wsUrl, name, { cookie: t.team.members.coder.cookie });
    const reader = connectRaw(t.s.wsUrl, name, { cookie: t.team.coderB.cookie });
    try {
      await Promise.all([writer.opened, reader.opened]);
      // The reader asks for everything: its step 2 comes back before anything written after.
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, MESSAGE_SYNC);
      encoding.writeVarUint(step1, 0);
      encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()));
      reader.ws.send(encoding.toUint8Array(step1));
      await eventually(() => expect(reader.received.some((m) => decodeMessage(m).type === 'syncStep2')).toBe(true));
      const seen = reader.received.length;
      // Each update builds on the one before: out of order, the reader's document would wait on it.
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      for (let i = 0; i < 20; i++) {
        const before = Y.encodeStateVector(doc);
        doc.getText('memo').insert(doc.getText('memo').length, `${i},`);
        updates.push(Y.encodeStateAsUpdate(doc, before));
        writer.ws.send(encodeUpdate(updates[i]!));
      }
      const relayed = () => reader.received.slice(seen).filter((m) => decodeMessage(m).type === 'update');
      await eventually(() => expect(relayed().length).toBe(updates.length));
      relayed().forEach((m, i) => expect(Buffer.from(m).equals(Buffer.from(encodeUpdate(updates[i]!))), `update ${i}`).toBe(true));
      const mirror = new Y.Doc();
      for (const m of reader.received) {
        const message = decodeMessage(m);
        if (message.type === 'syncStep2' || message.type === 'update') Y.applyUpdate(mirror, message.update);
        expect(mirror.store.pendingStructs).toBeNull();
      }
      expect(mirror.getText('memo').toString()).toContain(doc.getText('memo').toString());
    } finally {
      writer.ws.close();
      reader.ws.close();
    }
  });
});
