/**
 * Relayed frames byte for byte as ws frames a server's binary message (`Sender.frame`, what
 * `ws.send` writes) around the message lib0 encodes, at every length form of the header.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { MESSAGE_SYNC, SYNC_UPDATE } from './protocol.ts';
import { Frames } from './ws-frame.ts';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
/** ws exports its Sender (index.js, wrapper.mjs); @types/ws does not declare it. */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/** What ws writes for `ws.send(message)` on a server socket without extensions. */
function wsFrame(message: Uint8Array): Buffer {
  const list = Sender.frame(Buffer.from(message), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false });
  return Buffer.concat(list);
}

function lib0Update(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

const bytes = (length: number, seed: number) => new Uint8Array(length).map((_, i) => (i * 31 + seed) & 0xff);

// Payload lengths around the 7-bit, 16-bit and 64-bit header forms (the message adds 2-5 bytes to an update).
const LENGTHS = [0, 1, 120, 121, 122, 123, 124, 125, 126, 127, 300, 65_530, 65_531, 65_532, 65_533, 65_534, 65_535, 65_536, 70_000];

describe('frames built once for every receiver', () => {
  it("are ws's frames of lib0's update messages, byte for byte", () => {
    for (const length of LENGTHS) {
      const update = bytes(length, 7);
      const frames = Frames.ofUpdates([update]);
      expect(frames.wire.equals(wsFrame(lib0Update(update))), `length ${length}`).toBe(true);
      expect(Buffer.from(frames.messages[0]!).equals(Buffer.from(lib0Update(update))), `length ${length}`).toBe(true);
    }
  });

  it("are ws's frames of messages encoded already", () => {
    for (const length of LENGTHS) {
      const message = bytes(length, 3);
      expect(Frames.ofMessages([message]).wire.equals(wsFrame(message)), `length ${length}`).toBe(true);
    }
  });

  it('put a batch back to back, and give any run of it', () => {
    const updates = [bytes(10, 1), bytes(200, 2), bytes(70_000, 3), bytes(0, 4)];
    const frames = Frames.ofUpdates(updates);
    const each = updates.map((u) => wsFrame(lib0Update(u)));
    expect(frames.length).toBe(4);
    expect(frames.wire.equals(Buffer.concat(each))).toBe(true);
    expect(frames.wireOf(0, 4)).toBe(frames.wire);
    for (let from = 0; from < 4; from++) {
      for (let to = from + 1; to <= 4; to++) expect(frames.wireOf(from, to).equals(Buffer.concat(each.slice(from, to))), `${from}-${to}`).toBe(true);
    }
    // Compared as buffers: toEqual walks large buffers element by element.
    updates.forEach((u, i) => expect(Buffer.from(frames.messages[i]!).equals(Buffer.from(lib0Update(u))), `message ${i}`).toBe(true));
  });

  // A receiver that lags keeps its queued writes, and so what they point into, alive: that must be
  // the batch's own frames, never the socket chunks its updates were read from (views, as ws gives them).
  it('hold none of the buffers their updates or messages came in', () => {
    const chunk = Buffer.alloc(64 * 1024, 5);
    const sources = [chunk.subarray(10, 60), chunk.subarray(100, 400), chunk.subarray(1000, 71_000)];
    for (const frames of [Frames.ofUpdates(sources), Frames.ofMessages(sources)]) {
      const held = [frames.wire, ...frames.messages, frames.wireOf(0, 1), frames.wireOf(1, 3)];
      for (const view of held) expect(view.buffer).toBe(frames.wire.buffer);
      expect(frames.wire.buffer).not.toBe(chunk.buffer);
    }
  });
});
