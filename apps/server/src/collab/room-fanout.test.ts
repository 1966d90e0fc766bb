/**
 * A room's side of the fan-out, with an in-memory store and a fan-out that records what is
 * published: a committed batch goes out once, as the very frames the room's own connections
 * get, not merged; another process's batch is applied update by update and its frames are
 * relayed as they came, nothing encoded again.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocMessage, Fanout } from './fanout.ts';
import { encodeUpdate } from './protocol.ts';
import type { Room } from './room.ts';
import { memoryRoom, RecordingPeer } from './room-testing.ts';

const target = { kind: 'item', itemId: 'itm_aaaaaaaaaaaaaaaa' } as const;

/** A shared fan-out that records the room's publishes; `deliver` plays another process's message. */
async function roomWithFanout(): Promise<{ room: Room; published: DocMessage[]; deliver(message: DocMessage): void }> {
  const published: DocMessage[] = [];
  let onMessage: (message: DocMessage) => void = () => {};
  const fanout: Fanout = {
    instanceId: 'test',
    shared: true,
    openDoc: (_name, handler) => {
      onMessage = handler;
      return Promise.resolve({ publish: (m) => published.push(m), close() {} });
    },
    broadcast: () => Promise.resolve(),
    onControl() {},
    onResync() {},
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const room = await memoryRoom(target, fanout);
  return { room, published, deliver: (m) => onMessage(m) };
}

/** Two updates of another client, each as its own transaction. */
function twoUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getMap('bench').set('a', 1);
  doc.getText('memo').insert(0, 'abc');
  return updates;
}

describe('a room and the other processes', () => {
  it('publishes a committed batch once, as the frames its own connections are sent, in order and not merged', async () => {
    const { room, published } = await roomWithFanout();
    const writer = new RecordingPeer('usr_w', target);
    const reader = new RecordingPeer('usr_r', target);
    room.join(writer);
    room.join(reader);
    published.length = 0; // the hello
    const [u1, u2] = twoUpdates();
    room.applyClientUpdate(writer, u1!);
    room.applyClientUpdate(writer, u2!);
    await room.flushed();
    expect(published).toHaveLength(1);
    const message = published[0]!;
    if (message.type !== 'update') throw new Error(`published ${message.type}`);
    expect(message.updates.map((u) => u.update)).toEqual([u1, u2]);
    expect(message.updates.map((u) => Buffer.from(u.frame))).toEqual([Buffer.from(encodeUpdate(u1!)), Buffer.from(encodeUpdate(u2!))]);
    // The reader got the same frame objects; the writer no echo.
    expect(reader.sent.slice(-2)).toEqual(message.updates.map((u) => u.frame));
    expect(reader.sent.at(-1)).toBe(message.updates[1]!.frame);
    expect(writer.sent.filter((m) => message.updates.some((u) => u.frame === m))).toEqual([]);
    room.destroy();
  });

  it("applies another process's batch update by update and relays its messages as they came; a repeat changes and relays nothing", async () => {
    const { room, deliver } = await roomWithFanout();
    const peer = new RecordingPeer('usr_p', target);
    room.join(peer);
    const updates = twoUpdates().map((update) => ({ update, frame: encodeUpdate(update) }));
    const before = peer.sent.length;
    deliver({ type: 'update', updates });
    expect(peer.sent.slice(before)).toHaveLength(2);
    // The same bytes, framed for the WebSocket once for every connection (ws-frame.ts).
    expect(peer.sent.slice(before).map((m) => Buffer.from(m))).toEqual(updates.map((u) => Buffer.from(u.frame)));
    expect([room.doc.getMap('bench').get('a'), room.doc.getText('memo').toString()]).toEqual([1, 'abc']);
    deliver({ type: 'update', updates });
    expect(peer.sent).toHaveLength(before + 2);
    room.destroy();
  });
});
