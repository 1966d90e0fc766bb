/**
 * The update log on the real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): rows of
 * several documents appended in one statement come back per document in append order and
 * byte for byte, and compaction keeps exactly the merged state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemDocName } from '@concord/shared';
import { createHarness, createProjectFixture, signUpTeam, type Harness, type ProjectFixture } from './harness.ts';
import { appendDocUpdateRows, compactDoc, loadDocUpdates } from '../src/services/collab/store.ts';

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
    await appendDocUpdateRows(ctx, rows);
    await appendDocUpdateRows(ctx, [{ docName: a, itemId: fixture.itemId, update: bytes(3) }]);

    const storedA = await loadDocUpdates(ctx, a);
    const storedB = await loadDocUpdates(ctx, b);
    expect(storedA.updates.map((u) => [...u])).toEqual([bytes(300), bytes(1), bytes(7), bytes(3)].map((u) => [...u]));
    expect(storedB.updates.map((u) => [...u])).toEqual([bytes(0), bytes(256)].map((u) => [...u]));
    expect(storedA.tailCount).toBe(4);
  });

  it('compacts the log into a snapshot with the same document state', async () => {
    const ctx = h.ctx(null);
    const name = `${itemDocName(fixture.itemId)}:compact`;
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 20; i++) source.getText('memo').insert(0, `edit ${i} `);
    source.getMap('annotations').set('a1', { from: 0, to: 4, frame: 'security' });
    await appendDocUpdateRows(
      ctx,
      updates.map((update) => ({ docName: name, itemId: fixture.itemId, update })),
    );

    const { merged } = await compactDoc(ctx, { docName: name, itemId: fixture.itemId });
    expect(merged).toBe(updates.length);
    const stored = await loadDocUpdates(ctx, name);
    expect(stored.tailCount).toBe(0);
    const loaded = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(loaded, u);
    expect(loaded.getText('memo').toString()).toBe(source.getText('memo').toString());
    expect(loaded.getMap('annotations').toJSON()).toEqual({ a1: { from: 0, to: 4, frame: 'security' } });
  });
});
