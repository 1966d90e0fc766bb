/**
 * How a room relays a committed batch to its connections: framed once, each connection sent
 * the updates it did not send itself, in commit order, in as few writes as that allows (the
 * whole batch in one when it sent none of it).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from './protocol.ts';
import { memoryRoom, RecordingPeer } from './room-testing.ts';

const target = { kind: 'item', itemId: 'itm_bbbbbbbbbbbbbbbb' } as const;
const peer = (userId: string) => new RecordingPeer(userId, target);
const room = () => memoryRoom(target);

/** An update of each writer's own client, each changing the document. */
function edit(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText('memo').insert(0, text);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('a committed batch relayed', () => {
  it('goes to each connection without its own updates, in commit order, the runs between them one write each', async () => {
    const r = await room();
    const [a, b, c] = [peer('usr_a'), peer('usr_b'), peer('usr_c')];
    for (const p of [a, b, c]) r.join(p);
    const [docA, docB] = [new Y.Doc(), new Y.Doc()];
    // One batch: a, b, a, a (applied in one turn, stored together).
    const updates = [edit(docA, 'a1'), edit(docB, 'b1'), edit(docA, 'a2'), edit(docA, 'a3')];
    const senders = [a, b, a, a];
    for (const p of [a, b, c]) p.writes.length = 0; // sync step 1 on join
    updates.forEach((u, i) => r.applyClientUpdate(senders[i]!, u));
    await r.flushed();
    const m = updates.map((u) => Buffer.from(encodeUpdate(u)));
    expect(c.writes).toEqual([[m[0], m[1], m[2], m[3]]]);
    expect(a.writes).toEqual([[m[1]]]);
    expect(b.writes).toEqual([[m[0]], [m[2], m[3]]]);
    expect(r.doc.getText('memo').length).toBe(8);
    r.destroy();
  });

  it('keeps the order of batches: the next batch after the one before', async () => {
    const r = await room();
    const [a, c] = [peer('usr_a'), peer('usr_c')];
    r.join(a);
    r.join(c);
    c.writes.length = 0;
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) {
      updates.push(edit(doc, `x${i}`));
      r.applyClientUpdate(a, updates[i]!);
      // A turn between some of them, so they go in several batches.
      if (i % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
    }
    await r.flushed();
    expect(c.writes.length).toBeGreaterThan(1);
    expect(c.writes.flat()).toEqual(updates.map((u) => Buffer.from(encodeUpdate(u))));
    r.destroy();
  });
});
