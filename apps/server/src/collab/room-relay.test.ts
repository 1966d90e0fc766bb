/**
 * How a room relays a committed batch to its connections: framed once, each connection sent
 * the updates it did not send itself, in commit order, in as few writes as that allows (the
 * whole batch in one when it sent none of it).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { itemDocName, type DocName } from '@concord/shared';
import { DEFAULT_COLLAB_LIMITS } from '../config.ts';
import { createLogger } from '../logger.ts';
import { noopMetrics } from '../metrics.ts';
import { createLocalFanout } from './fanout.ts';
import type { Peer } from './peer.ts';
import { encodeUpdate } from './protocol.ts';
import { loadRoom } from './room-loader.ts';
import type { Frames } from './ws-frame.ts';

const itemId = 'itm_bbbbbbbbbbbbbbbb';
const target: DocName = { kind: 'item', itemId };
const name = itemDocName(itemId);

/** Records each write: the messages it carried. */
class WritesPeer implements Peer {
  readonly clientIds = new Set<number>();
  readonly closed = false;
  readonly writes: Buffer[][] = [];
  readonly actor: Peer['actor'];
  readonly access: Peer['access'];
  constructor(userId: string) {
    this.actor = { userId, isAdmin: false };
    this.access = { name, doc: target, projectId: 'prj_bbbbbbbbbbbbbbbb', itemId, phase: 'joint', role: 'coder', userName: userId, moderates: false, mode: 'write', readOnly: null, content: true };
  }
  start(): void {}
  send(data: Uint8Array): void {
    this.writes.push([Buffer.from(data)]);
  }
  sendFrames(frames: Frames, from: number, to: number): void {
    this.writes.push(frames.messages.slice(from, to).map((m) => Buffer.from(m)));
  }
  close(code: string, reason: string): void {
    throw new Error(`closed: ${code} ${reason}`);
  }
}

async function room() {
  return loadRoom(name, target, {
    logger: createLogger({ logLevel: 'silent' }),
    limits: DEFAULT_COLLAB_LIMITS,
    persistence: {
      onLoadDocument: () => Promise.resolve({ updates: [], tailCount: 0, bytes: 0 }),
      onReloadDocument: () => Promise.resolve({ updates: [], tailCount: 0, bytes: 0 }),
      onStoreDocument: () => Promise.resolve({ invalid: [] }),
      onCompactDocument: () => Promise.resolve({ bytes: 0 }),
    },
    itemPhase: () => Promise.resolve('joint'),
    onBroken: () => {
      throw new Error('broken');
    },
    fanout: createLocalFanout(),
    metrics: noopMetrics,
  });
}

/** An update of each writer's own client, each changing the document. */
function edit(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText('memo').insert(0, text);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('a committed batch relayed', () => {
  it('goes to each connection without its own updates, in commit order, the runs between them one write each', async () => {
    const r = await room();
    const [a, b, c] = [new WritesPeer('usr_a'), new WritesPeer('usr_b'), new WritesPeer('usr_c')];
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
    const [a, c] = [new WritesPeer('usr_a'), new WritesPeer('usr_c')];
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
