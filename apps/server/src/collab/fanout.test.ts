import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { filterRemoteAwarenessUpdate } from './awareness-filter.ts';
import * as Y from 'yjs';
import { createLocalFanout } from './fanout.ts';
import { decodeDocMessage, encodeDocMessage, isFrom, newSender } from './fanout-wire.ts';
import { encodeUpdate } from './protocol.ts';

/** Two small updates of one document, with their frames as a room relays them. */
function updateFrames() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getMap('m').set('a', 1);
  doc.getText('t').insert(0, 'héllo');
  return updates.map((update) => ({ update, frame: encodeUpdate(update) }));
}

function awarenessUpdate(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

describe('fan-out messages', () => {
  it('carry their type and round-trip their payload: a batch as its frames, in order, not merged', () => {
    const sender = newSender();
    const updates = updateFrames();
    const decoded = decodeDocMessage(encodeDocMessage(sender, { type: 'update', updates }));
    expect(decoded.type === 'update' && decoded.updates.map((u) => [Buffer.from(u.update), Buffer.from(u.frame)])).toEqual(
      updates.map((u) => [Buffer.from(u.update), Buffer.from(u.frame)]),
    );
    const awareness = new Uint8Array([1, 2, 3, 250]);
    const presence = decodeDocMessage(encodeDocMessage(sender, { type: 'awareness', update: awareness }));
    expect(presence.type === 'awareness' && Buffer.from(presence.update)).toEqual(Buffer.from(awareness));
    expect(decodeDocMessage(encodeDocMessage(sender, { type: 'hello' }))).toEqual({ type: 'hello' });
  });

  it('a received batch is read in place: the frames relayed and the updates applied are views of the message', () => {
    const data = encodeDocMessage(newSender(), { type: 'update', updates: updateFrames() });
    const decoded = decodeDocMessage(data);
    if (decoded.type !== 'update') throw new Error('not an update');
    for (const { update, frame } of decoded.updates) {
      expect(frame.buffer).toBe(data.buffer);
      expect(update.buffer).toBe(data.buffer);
      // The update is the end of its frame (the frame's header is its type and length).
      expect(update.byteOffset + update.byteLength).toBe(frame.byteOffset + frame.byteLength);
    }
    const doc = new Y.Doc();
    for (const { update } of decoded.updates) Y.applyUpdate(doc, update);
    expect([doc.getMap('m').get('a'), doc.getText('t').toString()]).toEqual([1, 'héllo']);
  });

  it("tell a process's own messages by their header; control messages (JSON) and others' are not its own", () => {
    const mine = newSender();
    const theirs = newSender();
    expect(isFrom(encodeDocMessage(mine, { type: 'hello' }), mine)).toBe(true);
    expect(isFrom(encodeDocMessage(mine, { type: 'update', updates: updateFrames() }), mine)).toBe(true);
    expect(isFrom(encodeDocMessage(theirs, { type: 'hello' }), mine)).toBe(false);
    const json = Buffer.from(JSON.stringify({ type: 'ack', origin: 'x', id: 'y', to: 'z' }));
    expect(isFrom(json, mine)).toBe(false);
    expect(isFrom(new Uint8Array([0, ...mine.subarray(0, 4)]), mine)).toBe(false);
  });

  it('refuse a truncated batch even inside a larger buffer (ioredis pools its buffers)', () => {
    const data = encodeDocMessage(newSender(), { type: 'update', updates: updateFrames() });
    const pool = new Uint8Array(data.byteLength + 64).fill(7);
    pool.set(data);
    expect(() => decodeDocMessage(pool.subarray(0, data.byteLength - 3))).toThrow(/truncated|Unexpected end/);
    expect(() => decodeDocMessage(pool.subarray(0, data.byteLength - 1))).toThrow(/truncated|Unexpected end/);
    expect(decodeDocMessage(pool.subarray(0, data.byteLength)).type).toBe('update');
    expect(() => decodeDocMessage(new Uint8Array([9, ...newSender()]))).toThrow(/type/);
  });

  it('without Redis: one process, nothing shared, nothing sent', async () => {
    const local = createLocalFanout();
    expect(local.shared).toBe(false);
    const received: unknown[] = [];
    const channel = await local.openDoc('item:x', (m) => received.push(m));
    channel.publish({ type: 'hello' });
    await local.broadcast({ type: 'itemAccessChanged', itemId: 'x' });
    expect(received).toEqual([]);
    expect(createLocalFanout().instanceId).not.toBe(local.instanceId);
  });
});

describe('presence from another process', () => {
  it('is rewritten to the allow-list again (values and unknown keys dropped), keeps removals, and drops states without a user id', () => {
    const entries = filterRemoteAwarenessUpdate(
      awarenessUpdate([
        { clientId: 1, clock: 3, state: { user: { id: 'usr_a', name: 'A', color: '#112233' }, focus: { fieldKey: 'frame' }, values: { frame: 'security' } } },
        { clientId: 2, clock: 4, state: null },
        { clientId: 3, clock: 1, state: { values: { frame: 'leader' } } },
      ]),
    );
    expect(entries).toEqual([
      { clientId: 1, clock: 3, state: { user: { id: 'usr_a', name: 'A', color: '#112233' }, focus: { fieldKey: 'frame' } } },
      { clientId: 2, clock: 4, state: null },
    ]);
  });
});
