import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeUpdate, MESSAGE_SYNC } from './protocol.ts';

/** The message as lib0's encoder writes it (y-websocket's own framing). */
function lib0Update(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('the y-websocket update message', () => {
  it('is framed byte for byte as lib0 frames it, at every length of the varuint', () => {
    for (const length of [0, 1, 127, 128, 129, 300, 16_383, 16_384, 16_385, 2_097_152]) {
      const update = new Uint8Array(length).map((_, i) => (i * 31 + 7) & 0xff);
      // Compared as buffers: toEqual walks megabytes element by element.
      expect(Buffer.from(encodeUpdate(update)).equals(Buffer.from(lib0Update(update))), `length ${length}`).toBe(true);
    }
  });

  it('decodes back to its payload', () => {
    // An empty Yjs update: no structs, an empty delete set.
    const update = new Uint8Array([0, 0]);
    const message = decodeMessage(encodeUpdate(update));
    expect(message.type).toBe('update');
    expect(message.type === 'update' && message.update).toEqual(update);
  });
});
