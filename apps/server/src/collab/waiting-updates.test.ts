import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildsOnMissing, WaitingUpdates } from './waiting-updates.ts';

/** Every update a document emits, in order. */
function recorder(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return updates;
}

const stateOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
/** Yjs's own answer: whether applying the update leaves it waiting for missing content. */
function yjsWaits(doc: Y.Doc, update: Uint8Array): boolean {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(copy, update);
  const waits = copy.store.pendingStructs !== null || copy.store.pendingDs !== null;
  copy.destroy();
  return waits;
}

describe('whether an update builds on content a document lacks', () => {
  it('agrees with Yjs for updates that arrive after only part of a seeded edit history (maps, arrays, text, nested types, deletes)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const writers = [new Y.Doc(), new Y.Doc()];
    const history = writers.map(recorder);
    for (let step = 0; step < 60; step++) {
      const doc = writers[step % 2]!;
      const choice = Math.floor(random() * 5);
      if (choice === 0) doc.getMap('memos').set(`k${Math.floor(random() * 4)}`, { step });
      else if (choice === 1) doc.getArray('annotations').insert(0, [{ step }]);
      else if (choice === 2 && doc.getArray('annotations').length) doc.getArray('annotations').delete(0, 1);
      else if (choice === 3) doc.getText('memo').insert(Math.floor(random() * (doc.getText('memo').length + 1)), 'ab');
      else doc.getMap('nested').set('m', new Y.Map([['step', step]]));
      // Exchange now and then, so edits build on the other writer's.
      if (random() < 0.3) {
        Y.applyUpdate(writers[0]!, Y.encodeStateAsUpdate(writers[1]!));
        Y.applyUpdate(writers[1]!, Y.encodeStateAsUpdate(writers[0]!));
      }
    }
    const all = history.flat();
    let waiting = 0;
    // A server that has the first i updates of each writer receives a later one.
    for (let i = 0; i < all.length; i += 3) {
      const server = new Y.Doc();
      for (const u of all.slice(0, i)) Y.applyUpdate(server, u);
      for (const later of all.slice(i, i + 6)) {
        const expected = yjsWaits(server, later);
        expect(buildsOnMissing(later, stateOf(server))).toBe(expected);
        if (expected) waiting++;
      }
      server.destroy();
    }
    // The history did exercise both answers.
    expect(waiting).toBeGreaterThan(0);
  });

  it('holds a connection’s update until what it builds on arrives, keeping its later updates after it, within a bound', () => {
    const client = new Y.Doc();
    const sent = recorder(client);
    client.getMap('memos').set('a', 1);
    client.getMap('memos').set('a', 2); // builds on (replaces) the first
    client.getMap('memos').set('b', 3);
    const server = new Y.Doc();
    const waiting = new WaitingUpdates<string>(1024);
    expect(buildsOnMissing(sent[1]!, stateOf(server))).toBe(true);
    expect(waiting.hold('c1', sent[1]!)).toBe(true);
    // A later update of the same connection joins the held one, in order.
    const joined = waiting.withHeld('c1', sent[2]!);
    expect(waiting.size).toBe(0);
    expect(waiting.hold('c1', joined)).toBe(true);
    expect(waiting.takeReady(stateOf(server))).toEqual([]);
    Y.applyUpdate(server, sent[0]!);
    const ready = waiting.takeReady(stateOf(server));
    expect(ready.map(([key]) => key)).toEqual(['c1']);
    Y.applyUpdate(server, ready[0]![1]);
    expect(server.getMap('memos').toJSON()).toEqual({ a: 2, b: 3 });
    expect(server.store.pendingStructs).toBeNull();
    expect(new WaitingUpdates<string>(4).hold('c2', sent[1]!)).toBe(false);
  });
});
