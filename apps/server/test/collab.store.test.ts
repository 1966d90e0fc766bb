/**
 * The update log on the real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): rows of
 * several documents appended in one statement come back per document in append order and
 * byte for byte, and compaction keeps exactly the merged state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemDocName } from '@concord/shared';
import { createHarness, createProjectFixture, signUpTeam, type Harness, type ProjectFixture } from './harness.ts';
import { createDatabasePersistence, type StoreBatch } from '../src/collab/persistence.ts';
import { appendDocUpdateRows, compactDoc, loadDocUpdates, MERGE_SLICE_UPDATES, mergeStoredState } from '../src/services/collab/store.ts';

let h: Harness;
let fixture: ProjectFixture;

beforeAll(async () => {
  h = await createHarness();
  fixture = await createProjectFixture(h, await signUpTeam(h));
});
afterAll(() => h?.close());

describe('update log', () => {
  it('stores interleaved rows of several documents in order, byte for byte', async () => {
    const ctx = h.ctx(null);
    const [a, b] = [itemDocName(fixture.itemId), `${itemDocName(fixture.itemId)}:other`];
    // Every byte value, including 0x00 and 0xff, and an empty update.
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) % 256);
    const rows = [300, 0, 1, 256, 7].map((n, i) => ({ docName: i % 2 ? b : a, itemId: fixture.itemId, update: bytes(n) }));
    await appendDocUpdateRows({ ctx, rows });
    await appendDocUpdateRows({ ctx, rows: [{ docName: a, itemId: fixture.itemId, update: bytes(3) }] });

    const storedA = await loadDocUpdates({ ctx, docName: a });
    const storedB = await loadDocUpdates({ ctx, docName: b });
    expect(storedA.updates.map((u) => [...u])).toEqual([bytes(300), bytes(1), bytes(7), bytes(3)].map((u) => [...u]));
    expect(storedB.updates.map((u) => [...u])).toEqual([bytes(0), bytes(256)].map((u) => [...u]));
    expect(storedA.tailCount).toBe(4);
  });

  it('stores updates joined to a batch still waiting for its group commit with it, in order (persistence.onJoinBatch)', async () => {
    const ctx = h.ctx(null);
    const persistence = createDatabasePersistence({ db: ctx.db, logger: ctx.logger, shared: false });
    const batch: StoreBatch = { name: `${itemDocName(fixture.itemId)}:joined`, doc: { kind: 'item', itemId: fixture.itemId }, updates: [Uint8Array.of(1)], codingValues: () => ({}) };
    const stored = persistence.onStoreDocument(batch);
    // Nothing in flight: its commit starts a microtask from now, so it can still be joined.
    expect(persistence.onJoinBatch(batch, [Uint8Array.of(2), Uint8Array.of(3)])).toBe(true);
    await stored;
    expect(persistence.onJoinBatch(batch, [Uint8Array.of(4)])).toBe(false);
    const log = await loadDocUpdates({ ctx, docName: batch.name });
    expect(log.updates.map((u) => [...u])).toEqual([[1], [2], [3]]);
  });

  it('merges a long log in slices, other callbacks running between them, into the state of every update applied', async () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 3.5 * MERGE_SLICE_UPDATES; i++) {
      source.getText('memo').insert(i % 7, `e${i} `);
      if (i % 5 === 0) source.getText('memo').delete(0, 2);
      source.getMap('annotations').set(`a${i % 13}`, { from: i, to: i + 3 });
    }
    const snapshot = Y.encodeStateAsUpdate(new Y.Doc());
    // Callbacks of other work (socket reads, relays) get turns while the compaction merges.
    let turns = 0;
    let ticking = true;
    const tick = () => (turns++, ticking && setImmediate(tick));
    setImmediate(tick);
    const state = await mergeStoredState(snapshot, updates);
    ticking = false;
    expect(turns).toBeGreaterThanOrEqual(3);
    const merged = new Y.Doc();
    Y.applyUpdate(merged, state);
    expect(merged.getText('memo').toString()).toBe(source.getText('memo').toString());
    expect(merged.getMap('annotations').toJSON()).toEqual(source.getMap('annotations').toJSON());
    expect(Y.encodeStateVector(merged)).toEqual(Y.encodeStateVector(source));
  });

  it('compacts the log into a snapshot with the same document state', async () => {
    const ctx = h.ctx(null);
    const name = `${itemDocName(fixture.itemId)}:compact`;
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 20; i++) source.getText('memo').insert(0, `edit ${i} `);
    source.getMap('annotations').set('a1', { from: 0, to: 4, frame: 'security' });
    await appendDocUpdateRows({
      ctx,
      rows: updates.map((update) => ({ docName: name, itemId: fixture.itemId, update })),
    });

    const { merged } = await compactDoc({ ctx, input: { docName: name, itemId: fixture.itemId } });
    expect(merged).toBe(updates.length);
    const stored = await loadDocUpdates({ ctx, docName: name });
    expect(stored.tailCount).toBe(0);
    const loaded = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(loaded, u);
    expect(loaded.getText('memo').toString()).toBe(source.getText('memo').toString());
    expect(loaded.getMap('annotations').toJSON()).toEqual({ a1: { from: 0, to: 4, frame: 'security' } });
  });

  it('a load that races a compaction sees the whole document, before or after it, never neither', async () => {
    const ctx = h.ctx(null);
    // Another process compacting on unload while this one loads: the load must not read the
    // snapshot before that commit and the log after it. Several rounds, on PostgreSQL the pool
    // interleaves them (PGlite runs a transaction alone, so there it passes either way).
    for (let round = 0; round < 10; round++) {
      const name = `${itemDocName(fixture.itemId)}:race-${round}`;
      const source = new Y.Doc();
      const updates: Uint8Array[] = [];
      source.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 30; i++) source.getArray<number>('tokens').push([i]);
      await appendDocUpdateRows({ ctx, rows: updates.map((update) => ({ docName: name, itemId: fixture.itemId, update })) });

      // Loads one after another for as long as the compaction runs: one of them straddles its commit.
      let compacted = false;
      const compaction = compactDoc({ ctx, input: { docName: name, itemId: fixture.itemId } }).finally(() => (compacted = true));
      let loads = 0;
      do {
        const stored = await loadDocUpdates({ ctx, docName: name });
        const loaded = new Y.Doc();
        for (const u of stored.updates) Y.applyUpdate(loaded, u);
        expect(loaded.getArray<number>('tokens').length, `round ${round}, load ${loads}`).toBe(30);
        loads++;
      } while (!compacted);
      expect((await compaction).merged).toBe(updates.length);
    }
  });
});
