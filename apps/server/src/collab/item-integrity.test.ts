import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ITEM_DOC } from '@concord/shared';
import { checkOnShadow, ItemDocGuard, plainlyAllowed, type ItemDocWriter } from './item-integrity.ts';

/** The update of one change on a client's document. */
function change(doc: Y.Doc, fn: () => void): Uint8Array | null {
  const updates: Uint8Array[] = [];
  const collect = (u: Uint8Array) => updates.push(u);
  doc.on('update', collect);
  doc.transact(fn);
  doc.off('update', collect);
  return updates.length ? Y.mergeUpdates(updates) : null;
}

const entry = (authorId: string, n: number) => ({ authorId, n });

interface Client {
  doc: Y.Doc;
  writer: ItemDocWriter;
  /** Updates not yet delivered to the server, in the order they were made. */
  outbox: Uint8Array[];
}

/** A seeded run of coders editing every root, forging authors, deleting others' entries, nesting types and sending out of order. */
function randomRun(seed: number, steps: number) {
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const server = new Y.Doc();
  const users = ['u0', 'u1', 'u2', 'u3'];
  const clients: Client[] = users.map((userId, i) => ({ doc: new Y.Doc(), writer: { userId, mayModerate: i === 3 }, outbox: [] }));
  const tally = { fast: 0, apply: 0, refuse: 0, wait: 0, checked: 0 };

  const resync = (c: Client) => {
    c.doc.destroy();
    c.doc = new Y.Doc();
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(server));
    c.outbox = [];
  };
  const edit = (c: Client) => {
    const d = c.doc;
    const author = random() < 0.1 ? pick(users) : c.writer.userId;
    const annotations = d.getArray<unknown>(ITEM_DOC.annotations);
    const memos = d.getMap<unknown>(ITEM_DOC.memos);
    const discussion = d.getArray<unknown>(ITEM_DOC.discussion);
    return change(d, () => {
      const ops = 1 + Math.floor(random() * 3);
      for (let k = 0; k < ops; k++) {
        const r = random();
        if (r < 0.2) annotations.insert(Math.floor(random() * (annotations.length + 1)), [entry(author, k), ...(random() < 0.3 ? [entry(author, k + 1)] : [])]);
        else if (r < 0.3 && annotations.length) {
          const at = Math.floor(random() * annotations.length);
          annotations.delete(at, Math.min(1 + Math.floor(random() * 2), annotations.length - at));
        }
        else if (r < 0.45) memos.set(`m${Math.floor(random() * 5)}`, entry(author, k));
        else if (r < 0.5) memos.delete(`m${Math.floor(random() * 5)}`);
        else if (r < 0.55) discussion.push([entry(author, k)]);
        else if (r < 0.57) annotations.push([random() < 0.5 ? 'not an object' : new Y.Map()]);
        else if (r < 0.59) memos.set('nested', new Y.Array());
        else if (r < 0.75) d.getMap('bench').set(`k${Math.floor(random() * 3)}`, { n: k });
        else if (r < 0.9) d.getText('memo').insert(Math.floor(random() * (d.getText('memo').length + 1)), 'abc');
        else if (d.getText('memo').length) d.getText('memo').delete(0, 1);
      }
    });
  };

  for (let step = 0; step < steps; step++) {
    const c = pick(clients);
    const r = random();
    if (r < 0.6) {
      const u = edit(c);
      if (u) c.outbox.push(u);
      continue;
    }
    if (!c.outbox.length) continue;
    // Deliver the oldest update, or (sometimes) a later one first, or everything the server lacks at once (a sync step 2).
    let update: Uint8Array;
    if (r < 0.68) update = Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(server));
    else if (r < 0.72) update = Y.encodeStateAsUpdate(c.doc);
    else update = c.outbox.splice(r < 0.8 ? Math.floor(random() * c.outbox.length) : 0, 1)[0]!;
    const fast = plainlyAllowed(server, update, c.writer);
    const exact = checkOnShadow(server, update, c.writer);
    tally.checked++;
    tally[exact.verdict]++;
    if (fast) tally.fast++;
    // Never more permissive than the exact check.
    if (fast && exact.verdict !== 'apply') throw new Error(`seed run: the fast path allowed an update the shadow check says ${exact.verdict} (step ${step})`);
    expect(new ItemDocGuard(server).check(update, c.writer).verdict).toBe(exact.verdict);
    if (exact.verdict === 'refuse') {
      resync(c);
      continue;
    }
    if (exact.verdict === 'apply') {
      Y.applyUpdate(server, update);
      for (const other of clients) if (other !== c && random() < 0.7) Y.applyUpdate(other.doc, update);
    }
    if (exact.verdict === 'wait') c.outbox.push(update);
    if (c.outbox.length > 20) resync(c);
  }
  return tally;
}

describe('item document authorship without a shadow document', () => {
  it('allows a coder\'s plain edits of their own entries (arrays, maps, replacing their own map entry, deletes) without a shadow', () => {
    const server = new Y.Doc();
    const coder = new Y.Doc();
    const writer = { userId: 'u1', mayModerate: false };
    const send = (u: Uint8Array | null) => {
      expect(u).not.toBeNull();
      expect(plainlyAllowed(server, u!, writer)).toBe(true);
      Y.applyUpdate(server, u!);
    };
    send(change(coder, () => coder.getArray(ITEM_DOC.annotations).push([entry('u1', 1), entry('u1', 2)])));
    send(change(coder, () => coder.getMap(ITEM_DOC.memos).set('m', entry('u1', 1))));
    send(change(coder, () => coder.getMap(ITEM_DOC.memos).set('m', entry('u1', 2))));
    send(change(coder, () => coder.getArray(ITEM_DOC.annotations).delete(0, 1)));
    send(change(coder, () => coder.getText('memo').insert(0, 'abc')));
    send(change(coder, () => coder.getText('memo').insert(1, 'xyz')));
    expect(server.getMap(ITEM_DOC.memos).get('m')).toEqual(entry('u1', 2));
  });

  it("leaves others' entries, forged authors, nested types and updates that build on missing content to the exact check", () => {
    const server = new Y.Doc();
    const other = new Y.Doc();
    Y.applyUpdate(server, change(other, () => {
      other.getArray(ITEM_DOC.annotations).push([entry('u2', 1)]);
      other.getMap(ITEM_DOC.memos).set('m', entry('u2', 1));
    })!);
    const writer = { userId: 'u1', mayModerate: false };
    /** Each case from its own client, which holds what the server holds. */
    const coderChange = (fn: (coder: Y.Doc) => void) => {
      const coder = new Y.Doc();
      Y.applyUpdate(coder, Y.encodeStateAsUpdate(server));
      return change(coder, () => fn(coder));
    };
    const cases = [
      coderChange((coder) => coder.getArray(ITEM_DOC.annotations).delete(0, 1)),
      coderChange((coder) => coder.getMap(ITEM_DOC.memos).set('m', entry('u1', 2))),
      coderChange((coder) => coder.getArray(ITEM_DOC.discussion).push([entry('u2', 3)])),
      coderChange((coder) => coder.getArray(ITEM_DOC.annotations).insert(0, [new Y.Map()])),
    ];
    const coder = new Y.Doc();
    for (const u of cases) {
      expect(plainlyAllowed(server, u!, writer)).toBe(false);
      expect(new ItemDocGuard(server).check(u!, writer).verdict).toBe('refuse');
    }
    const first = change(coder, () => coder.getText('memo').insert(0, 'ab'))!;
    const second = change(coder, () => coder.getText('memo').insert(1, 'c'))!;
    expect(plainlyAllowed(server, second, writer)).toBe(false);
    expect(new ItemDocGuard(server).check(second, writer).verdict).toBe('wait');
    expect(plainlyAllowed(server, first, writer)).toBe(true);
  });

  it('is never more permissive than the shadow check on seeded random edits, and decides most of them itself', () => {
    for (const seed of [1, 2, 3]) {
      const tally = randomRun(seed, 600);
      // The run covers every verdict, and the fast path takes a good share of what is allowed.
      expect(tally.refuse, `seed ${seed}`).toBeGreaterThan(0);
      expect(tally.wait, `seed ${seed}`).toBeGreaterThan(0);
      expect(tally.fast, `seed ${seed}`).toBeGreaterThan(tally.apply * 0.5);
    }
  });
});
