/**
 * Scale-out: two server instances (two startConcord in this process, each with its own
 * database pool and its own Redis connections) serve the same documents through one
 * database and a real Redis. On the PostgreSQL lane they share one fresh database; on the
 * PGlite lane they share the one PGlite instance (PGlite cannot be opened twice). Each run
 * uses its own channel prefix. Without a reachable Redis the suite is skipped loudly
 * (failed with CI=true).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { codings, docUpdates, type Database } from '@concord/db';
import { testDatabaseUrl } from '@concord/db/testing';
import { CODING_DOC, COLLAB_CLOSE_CODES, codingDocName, itemDocName, presenceColor } from '@concord/shared';
import { Redis } from 'ioredis';
import { DEFAULT_COLLAB_LIMITS } from '../src/config.ts';
import { appendDocUpdates, compactDoc, loadDocUpdates } from '../src/services/collab/store.ts';
import { storedCodingValues } from '../src/services/collab/persist.ts';
import { loginCookie, type ProjectFixture, type Session } from './harness.ts';
import { connectSocket } from './realtime-helpers.ts';
import {
  clientsPerTest,
  contentOf,
  createFixture,
  createTeam,
  createTestStore,
  expectConverged,
  randomItemEdits,
  seededRandom,
  startCollabServer,
  testSeed,
  uniqueRedisPrefix,
  type CollabServer,
  type Team,
  type TestStore,
} from './collab-helpers.ts';
import { eventually, reachableRedis } from './testing.ts';

const redisUrl = await reachableRedis(process.env);
// Two instances, eight sign-ins and three fixtures; slow when the shared machine is busy.
const SETUP_TIMEOUT_MS = 240_000;

/** One database for both instances: two pools on PostgreSQL, the same instance on PGlite (closed by the first). */
async function sharedStore(): Promise<TestStore> {
  const base = await createTestStore();
  let pglite: Database | null = null;
  return {
    async open() {
      if (testDatabaseUrl) return base.open();
      if (pglite) return { ...pglite, close: () => Promise.resolve() };
      pglite = await base.open();
      return pglite;
    },
    dispose: () => base.dispose(),
  };
}

describe.skipIf(!redisUrl)('two server instances, one database, one Redis', { timeout: 120_000 }, () => {
  let store: TestStore;
  let a: CollabServer;
  let b: CollabServer;
  let team: Team;
  let fixtures: ProjectFixture[];
  const clients = clientsPerTest();
  const client = (server: CollabServer, docName: string, who: Session) => clients.connect(server.wsUrl, docName, { cookie: who.cookie });
  const db = () => a.server.deps.database.db;
  const storedRows = (names: string[]) => db().select({ docName: docUpdates.docName, update: docUpdates.update }).from(docUpdates).where(inArray(docUpdates.docName, names));

  beforeAll(async () => {
    store = await sharedStore();
    // Presence renewals (on the server's clock) would add to the clocks the presence test counts.
    const overrides = { redisUrl: redisUrl!, redisPrefix: uniqueRedisPrefix('collab'), collab: { ...DEFAULT_COLLAB_LIMITS, presenceRenewMs: 10 * 60_000 } };
    a = await startCollabServer(store, overrides);
    b = await startCollabServer(store, overrides);
    expect(a.server.deps.fanout.instanceId).not.toBe(b.server.deps.fanout.instanceId);
    team = await createTeam(a.h);
    fixtures = [await createFixture(a.h, team), await createFixture(a.h, team), await createFixture(a.h, team)];
    // Joint sessions: coders write the shared item documents and see each other's coding documents.
    for (const f of fixtures) {
      const res = await a.h.request(team.members.editor, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/phase`, { phase: 'joint' });
      expect(res.status).toBe(200);
    }
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    clients.closeAll();
    // B first: on PGlite, A owns the shared instance.
    await b?.close();
    await a?.close();
    await store?.dispose();
  }, SETUP_TIMEOUT_MS);

  it('converges after seeded random edits from clients split across both instances (2 documents), storing each update once', async () => {
    const seed = testSeed(process.env.CONCORD_TEST_SEED);
    console.log(`scale-out convergence seed: ${seed} (replay with CONCORD_TEST_SEED=${seed})`);
    const random = seededRandom(seed);
    const people: [CollabServer, Session][] = [
      [a, team.members.coder],
      [b, team.coderB],
      [b, team.members.editor],
      [a, team.members.owner],
    ];
    const names = fixtures.slice(0, 2).map((f) => itemDocName(f.itemId));
    const docs = names.map((name) => people.map(([server, who]) => client(server, name, who)));
    randomItemEdits(docs, random, { rounds: 6, maxEdits: 10, authors: people.map(([, who]) => who.userId) });
    await expectConverged(docs, seed, 30_000);
    expect(contentOf(docs[0]![0]!.doc)).not.toEqual(contentOf(docs[1]![0]!.doc));

    // The database holds the merged document, and no update twice.
    for (const [i, name] of names.entries()) {
      const stored = new Y.Doc();
      for (const u of (await loadDocUpdates({ ctx: { db: db() }, docName: name })).updates) Y.applyUpdate(stored, u);
      expect(contentOf(stored), `seed ${seed}`).toEqual(contentOf(docs[i]![0]!.doc));
    }
    const rows = await storedRows(names);
    const distinct = new Set(rows.map((r) => `${r.docName}:${Buffer.from(r.update).toString('base64')}`));
    expect(distinct.size).toBe(rows.length);

    // One edit through A and one through B: exactly two more rows, although both instances applied both.
    const [onA, onB] = [docs[0]![0]!, docs[0]![1]!];
    const before = (await storedRows([names[0]!])).length;
    onA.doc.getText('memo').insert(0, 'from A ');
    await eventually(() => expect(onB.doc.getText('memo').toString()).toMatch(/^from A /));
    onB.doc.getText('memo').insert(0, 'from B ');
    await eventually(() => expect(onA.doc.getText('memo').toString()).toMatch(/^from B from A /));
    await eventually(async () => expect((await storedRows([names[0]!])).length).toBe(before + 2));
  });

  it('carries presence across instances, filtered, and removes it when the connection leaves', async () => {
    const name = itemDocName(fixtures[1]!.itemId);
    const speaker = client(a, name, team.members.coder);
    const listener = client(b, name, team.coderB);
    await eventually(() => expect(speaker.provider.synced && listener.provider.synced).toBe(true));
    // Values typed into presence never travel, on any instance.
    speaker.provider.awareness.setLocalState({ user: { name: 'Coder', color: '#112233', id: 'forged' }, focus: { fieldKey: 'frame' }, values: { frame: 'security' } });
    const id = speaker.doc.clientID;
    await eventually(() =>
      expect(listener.provider.awareness.getStates().get(id)).toEqual({ user: { id: team.members.coder.userId, name: 'coder', color: presenceColor(team.members.coder.userId) }, focus: { fieldKey: 'frame' } }),
    );
    speaker.provider.destroy();
    await eventually(() => expect(listener.provider.awareness.getStates().has(id)).toBe(false), 5_000);
  });

  it('applies a phase change through A to presence relayed through B: blind strips the field there too, joint shows it again', async () => {
    const f = fixtures[0]!;
    const name = itemDocName(f.itemId);
    const setPhase = async (phase: string) => expect((await a.h.request(team.members.editor, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/phase`, { phase })).status).toBe(200);
    const speaker = client(b, name, team.members.coder);
    const onA = client(a, name, team.coderB);
    const onB = client(b, name, team.members.editor);
    await eventually(() => expect(speaker.provider.synced && onA.provider.synced && onB.provider.synced).toBe(true));
    const id = speaker.doc.clientID;
    const identity = { id: team.members.coder.userId, name: 'coder', color: presenceColor(team.members.coder.userId) };
    speaker.provider.awareness.setLocalState({ user: { name: 'x', color: '#000000' }, focus: { fieldKey: 'frame' } });
    for (const listener of [onA, onB]) await eventually(() => expect(listener.provider.awareness.getStates().get(id)).toEqual({ user: identity, focus: { fieldKey: 'frame' } }));

    await setPhase('independent');
    for (const listener of [onA, onB]) await eventually(() => expect(listener.provider.awareness.getStates().get(id)).toEqual({ user: identity }));
    // Toggles while blind reach neither instance's listeners.
    const clockOn = (listener: typeof onA) => listener.provider.awareness.meta.get(id)?.clock;
    const clocks = [clockOn(onA), clockOn(onB)];
    // B echoes each state to its sender once it has handled it: the phase changes only after
    // B has seen every toggle (they travel on another path than the phase change).
    const echoed = echoOf(speaker.provider.ws!, id);
    for (let i = 0; i < 5; i++) {
      speaker.provider.awareness.setLocalStateField('focus', null);
      speaker.provider.awareness.setLocalStateField('focus', { fieldKey: 'impact' });
    }
    await eventually(() => expect(echoed.clock).toBe(speaker.provider.awareness.meta.get(id)!.clock));
    echoed.stop();
    await setPhase('joint');
    for (const listener of [onA, onB]) await eventually(() => expect(listener.provider.awareness.getStates().get(id)).toEqual({ user: identity, focus: { fieldKey: 'impact' } }));
    // One change each (the field shown again), not one per toggle.
    expect([clockOn(onA)! - clocks[0]!, clockOn(onB)! - clocks[1]!]).toEqual([1, 1]);
  });

  it('keeps the codings rows equal to the merged coding document when both instances write it concurrently, while both compact', async () => {
    const seed = testSeed(process.env.CONCORD_TEST_SEED);
    console.log(`scale-out projection seed: ${seed} (replay with CONCORD_TEST_SEED=${seed})`);
    const random = seededRandom(seed);
    const f = fixtures[0]!;
    const name = codingDocName(f.itemId, team.members.coder.userId);
    const candidates: Record<string, unknown[]> = {
      frame: ['security', 'protesters_terrorists', 'leader', { na: true }, 'not-an-option'],
      impact: [-3, -1, 0, 2, 3, 9],
      notes: ['a memo', 'another memo', 42],
      bogus_field: ['x'],
    };
    const keys = Object.keys(candidates);
    // The same coder in two tabs, each on another instance.
    const tabs = [client(a, name, team.members.coder), client(b, name, team.members.coder)];
    await eventually(() => expect(tabs.every((t) => t.provider.synced)).toBe(true));
    const compactions: Promise<unknown>[] = [];
    for (let round = 0; round < 8; round++) {
      for (const tab of tabs) {
        const values = tab.doc.getMap(CODING_DOC.values);
        for (let i = 0; i < 1 + Math.floor(random() * 4); i++) {
          const key = keys[Math.floor(random() * keys.length)]!;
          if (random() < 0.2) values.delete(key);
          else values.set(key, candidates[key]![Math.floor(random() * candidates[key]!.length)]);
        }
      }
      // Concurrent compaction from both instances must not lose what the other appends.
      for (const s of [a, b]) compactions.push(compactDoc({ ctx: { db: s.server.deps.database.db }, input: { docName: name, itemId: f.itemId } }));
      // One turn of the event loop between rounds (not a timed wait): batches of both instances interleave.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(compactions);
    await eventually(() => expect(tabs[0]!.doc.getMap(CODING_DOC.values).toJSON()).toEqual(tabs[1]!.doc.getMap(CODING_DOC.values).toJSON()), 20_000);
    const merged = tabs[0]!.doc.getMap(CODING_DOC.values).toJSON();
    const expected = Object.fromEntries(
      Object.entries(merged).filter(([key, value]) => key !== 'bogus_field' && value !== 'not-an-option' && value !== 9 && value !== 42),
    );
    const rows = async () =>
      Object.fromEntries(
        (
          await db()
            .select({ fieldKey: codings.fieldKey, value: codings.value })
            .from(codings)
            .where(and(eq(codings.itemId, f.itemId), eq(codings.coderId, team.members.coder.userId)))
        ).map((r) => [r.fieldKey, r.value]),
      );
    await eventually(async () => expect(await rows(), `seed ${seed}`).toEqual(expected), 20_000);
    expect(await storedCodingValues({ ctx: { db: db() }, docName: name }), `seed ${seed}`).toEqual(merged);
  });

  it('re-checks access on every instance: a phase change through A downgrades and closes connections held by B', async () => {
    const f = fixtures[1]!;
    const writer = client(b, itemDocName(f.itemId), team.members.coder);
    const reader = client(b, codingDocName(f.itemId, team.members.coder.userId), team.coderB);
    await eventually(() => expect(writer.provider.synced && reader.provider.synced).toBe(true));
    const onB = () => [...b.server.deps.collab.connections].find((c) => c.access.name === itemDocName(f.itemId) && c.actor.userId === team.members.coder.userId && !c.closed);
    expect(onB()?.access.mode).toBe('write');

    const res = await a.h.request(team.members.editor, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/phase`, { phase: 'independent' });
    expect(res.status).toBe(200);
    // The phase change returned after B re-checked: B's connection is read-only already, and
    // shown nothing more of the shared document (its coder codes the item blind).
    expect(onB()?.access.mode).toBe('read');
    expect(onB()?.access.content).toBe(false);
    // Blind again: coderB no longer reads the coder's values, on B either.
    await eventually(() => expect(reader.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));
    reader.provider.disconnect();
    // The downgraded writer's next change goes nowhere (handled before its close, in order).
    writer.doc.getText('memo').insert(0, 'blind? ');
    writer.provider.disconnect();
    await eventually(() => expect(onB()).toBeUndefined());
    const editor = client(a, itemDocName(f.itemId), team.members.editor);
    await eventually(() => expect(editor.provider.synced).toBe(true));
    expect(editor.doc.getText('memo').toString()).not.toContain('blind?');
    editor.provider.disconnect();
  });

  it('closes a removed member\'s connections held by the other instance', async () => {
    const f = fixtures[2]!;
    const member = client(b, itemDocName(f.itemId), team.coderB);
    await eventually(() => expect(member.provider.synced).toBe(true));
    const res = await a.h.request(team.members.owner, 'DELETE', `/api/projects/${f.projectId}/members/${team.coderB.userId}`);
    expect(res.status).toBe(200);
    await eventually(() => expect(member.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));
    member.provider.disconnect();
  });

  it("deleting a project through one instance closes its members' live documents held by the other", async () => {
    const g = await createFixture(a.h, team);
    const res = await a.h.request(team.members.editor, 'POST', `/api/projects/${g.projectId}/items/${g.itemId}/phase`, { phase: 'joint' });
    expect(res.status).toBe(200);
    const coder = client(b, codingDocName(g.itemId, team.members.coder.userId), team.members.coder);
    const editor = client(b, itemDocName(g.itemId), team.members.editor);
    await eventually(() => expect([coder.provider.synced, editor.provider.synced]).toEqual([true, true]));
    expect((await a.h.request(team.members.owner, 'DELETE', `/api/projects/${g.projectId}`)).status).toBe(200);
    for (const c of [coder, editor]) await eventually(() => expect(c.closes.map((x) => x.code)).toContain(COLLAB_CLOSE_CODES.FORBIDDEN));
    coder.provider.disconnect();
    editor.provider.disconnect();
  });

  it("a logout through one instance closes that session's /yjs and /socket.io connections held by the other", async () => {
    const f = fixtures[1]!;
    const session: Session = { ...team.members.editor, cookie: await loginCookie(a.h, team.members.editor.email) };
    const doc = client(b, itemDocName(f.itemId), session);
    await eventually(() => expect(doc.provider.synced).toBe(true));
    const socket = connectSocket(b.wsUrl.replace(/^ws:/, 'http:').replace(/\/yjs$/, ''), { cookie: session.cookie });
    await socket.connected;
    // The same account's other session (the team's) keeps its connection.
    const other = client(b, itemDocName(f.itemId), team.members.editor);
    await eventually(() => expect(other.provider.synced).toBe(true));
    expect((await a.h.request(session, 'POST', '/api/auth/logout')).status).toBe(200);
    await eventually(() => expect(doc.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.UNAUTHENTICATED));
    await eventually(() => expect(socket.socket.connected).toBe(false));
    expect(other.closes).toEqual([]);
    doc.provider.disconnect();
  });

  it('re-reads the stored state when its Redis connection comes back (pub/sub loses what is published meanwhile)', async () => {
    const f = fixtures[1]!;
    const name = itemDocName(f.itemId);
    const onB = client(b, name, team.members.owner);
    await eventually(() => expect(onB.provider.synced).toBe(true));
    // An update that is stored but was never published: only the re-read can bring it to B.
    const extra = new Y.Doc();
    extra.getMap('resync').set('stored', 'while B was away');
    await appendDocUpdates({ ctx: { db: db() }, input: { docName: name, itemId: f.itemId, updates: [Y.encodeStateAsUpdate(extra)] } });
    extra.destroy();
    // Cut B's fan-out connection (only that one, found by its name); ioredis reconnects.
    const admin = new Redis(redisUrl!);
    try {
      const list = String(await admin.call('CLIENT', 'LIST'));
      const line = list.split('\n').find((l) => l.includes(`name=concord:collab:${b.server.deps.fanout.instanceId} `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id, 'B subscribes (and publishes) under its own connection name').toBeDefined();
      await admin.call('CLIENT', 'KILL', 'ID', id!);
    } finally {
      admin.disconnect();
    }
    await eventually(() => expect(onB.doc.getMap('resync').get('stored')).toBe('while B was away'));
    // And the fan-out works again: an edit through A reaches B's client.
    const onA = client(a, name, team.members.editor);
    await eventually(() => expect(onA.provider.synced).toBe(true));
    onA.doc.getMap('resync').set('through A', 'after the reconnect');
    await eventually(() => expect(onB.doc.getMap('resync').get('through A')).toBe('after the reconnect'));
  });

  it('drops the presence of a stopped instance\'s clients on the other instance at once', async () => {
    const name = itemDocName(fixtures[0]!.itemId);
    const onA = client(a, name, team.members.editor);
    const onB = client(b, name, team.members.owner);
    onA.provider.awareness.setLocalStateField('user', { name: 'Editor', color: '#445566' });
    const id = onA.doc.clientID;
    await eventually(() => expect(onB.provider.awareness.getStates().get(id)).toMatchObject({ user: { id: team.members.editor.userId, name: 'editor' } }));
    onA.provider.shouldConnect = false;
    await a.close();
    // Well before y-protocols' 30 s presence timeout.
    await eventually(() => expect(onB.provider.awareness.getStates().has(id)).toBe(false), 5_000);
  });
});

/** The latest clock of `clientId`'s own state that the server echoed on this socket (awareness messages). */
function echoOf(ws: WebSocket, clientId: number): { clock: number; stop(): void } {
  const seen = { clock: -1, stop: () => ws.removeEventListener('message', onMessage) };
  function onMessage(event: MessageEvent) {
    const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
    if (decoding.readVarUint(decoder) !== 1) return; // not an awareness message
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    for (let n = decoding.readVarUint(update); n > 0; n--) {
      const id = decoding.readVarUint(update);
      const clock = decoding.readVarUint(update);
      decoding.readVarString(update);
      if (id === clientId) seen.clock = Math.max(seen.clock, clock);
    }
  }
  ws.addEventListener('message', onMessage);
  return seen;
}
