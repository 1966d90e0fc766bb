/**
 * Convergence through the server: stock y-websocket clients on item documents, including
 * seeded random edits with disconnects and reconnects from three coders on two documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { ITEM_DOC, itemDocName } from '@concord/shared';
import type { ProjectFixture, Session } from './harness.ts';
import {
  connectClient,
  createFixture,
  createTeam,
  createTestStore,
  eventually,
  seededRandom,
  startCollabServer,
  testSeed,
  type Client,
  type CollabServer,
  type Team,
  type TestStore,
} from './collab-helpers.ts';

let store: TestStore;
let s: CollabServer;
let team: Team;
let fixtures: ProjectFixture[];
const clients: Client[] = [];
const client = (docName: string, who: Session) => {
  const c = connectClient(s.wsUrl, docName, { cookie: who.cookie });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  store = await createTestStore();
  s = await startCollabServer(store);
  team = await createTeam(s.h);
  fixtures = [await createFixture(s.h, team), await createFixture(s.h, team)];
  // Coders write the shared item documents in joint sessions (during blind coding only editors do).
  for (const f of fixtures) {
    const res = await s.h.request(team.members.editor, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/phase`, { phase: 'joint' });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await s?.close();
  await store?.dispose();
});

const contentOf = (doc: Y.Doc) => ({
  text: doc.getText('memo').toString(),
  annotations: doc.getArray(ITEM_DOC.annotations).toJSON(),
  memos: doc.getMap(ITEM_DOC.memos).toJSON(),
});

describe('convergence', () => {
  it('syncs two clients on an item document both ways', async () => {
    const a = client(itemDocName(fixtures[0]!.itemId), team.members.coder);
    const b = client(itemDocName(fixtures[0]!.itemId), team.coderB);
    a.doc.getText('memo').insert(0, 'hello');
    await eventually(() => expect(b.doc.getText('memo').toString()).toBe('hello'));
    b.doc.getText('memo').insert(5, ' world');
    b.doc.getMap(ITEM_DOC.memos).set('m1', { text: 'frame unclear' });
    await eventually(() => expect(contentOf(a.doc)).toEqual(contentOf(b.doc)));
    expect(a.doc.getText('memo').toString()).toBe('hello world');
  });

  it('converges after seeded random edits, disconnects and reconnects (3 coders, 2 documents)', async () => {
    const seed = testSeed(process.env.CONCORD_TEST_SEED);
    console.log(`collab convergence seed: ${seed} (replay with CONCORD_TEST_SEED=${seed})`);
    const random = seededRandom(seed);
    const people = [team.members.coder, team.coderB, team.members.editor];
    const names = fixtures.map((f) => itemDocName(f.itemId));
    const docs = names.map((name) => people.map((who) => client(name, who)));
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;

    for (let round = 0; round < 6; round++) {
      for (const peers of docs) {
        for (const peer of peers) {
          if (random() < 0.15) peer.provider.disconnect();
          const edits = 1 + Math.floor(random() * 12);
          for (let i = 0; i < edits; i++) {
            const text = peer.doc.getText('memo');
            const op = random();
            if (op < 0.45) text.insert(Math.floor(random() * (text.length + 1)), pick(['a', 'frame ', 'ZZ', '\n']));
            else if (op < 0.6 && text.length > 0) {
              const at = Math.floor(random() * text.length);
              text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 3)));
            } else if (op < 0.8) peer.doc.getArray(ITEM_DOC.annotations).push([{ from: Math.floor(random() * 50), frame: pick(['security', 'leader']) }]);
            else peer.doc.getMap(ITEM_DOC.memos).set(pick(['m1', 'm2', 'm3']), { text: pick(['x', 'y', 'z']), round });
          }
          if (!peer.provider.wsconnected && random() < 0.7) peer.provider.connect();
        }
      }
    }
    for (const peers of docs) for (const peer of peers) if (!peer.provider.shouldConnect) peer.provider.connect();
    for (const peers of docs) {
      await eventually(() => {
        const first = contentOf(peers[0]!.doc);
        for (const peer of peers.slice(1)) expect(contentOf(peer.doc), `seed ${seed}`).toEqual(first);
        for (const peer of peers) expect(peer.closes, `seed ${seed}`).toEqual([]);
      }, 20_000);
    }
    // The two documents stay apart.
    expect(contentOf(docs[0]![0]!.doc)).not.toEqual(contentOf(docs[1]![0]!.doc));
    // A newcomer (after a restart, from the database alone) sees the same content.
    const expected = docs.map((peers) => contentOf(peers[0]!.doc));
    for (const c of clients.splice(0)) c.destroy();
    await s.close();
    s = await startCollabServer(store);
    for (const [i, name] of names.entries()) {
      const fresh = client(name, team.members.owner);
      await eventually(() => expect(contentOf(fresh.doc), `seed ${seed}`).toEqual(expected[i]));
    }
  });
});
