/**
 * Server-to-client WebSocket frames (RFC 6455 §5.2) built once for every receiver. A server's
 * frames are unmasked, so the same bytes suit every connection; a batch's frames sit back to
 * back in one buffer, so a receiver gets them in one socket write, however many there are
 * (connection.ts says when that write may go past ws). Binary, unfragmented, no extension.
 */
import { updateMessageLength, writeUpdateMessage } from './protocol.ts';

/** FIN and opcode 2 (binary): one whole binary message per frame. */
const FIN_BINARY = 0x82;

function headerLength(payload: number): number {
  return payload < 126 ? 2 : payload < 0x10000 ? 4 : 10;
}

function writeHeader(target: Buffer, at: number, payload: number): number {
  target[at] = FIN_BINARY;
  if (payload < 126) {
    target[at + 1] = payload;
    return at + 2;
  }
  if (payload < 0x10000) {
    target[at + 1] = 126;
    target.writeUInt16BE(payload, at + 2);
    return at + 4;
  }
  // A 64-bit length; messages are far below 2^48 bytes, as ws assumes too.
  target[at + 1] = 127;
  target.writeUInt16BE(0, at + 2);
  target.writeUIntBE(payload, at + 4, 6);
  return at + 10;
}

/** y-websocket messages framed for the wire once, for any number of receivers. */
export class Frames {
  /** @param starts where each frame starts in `wire`, then `wire`'s length */
  private constructor(
    /** Every frame, back to back. */
    readonly wire: Buffer,
    /** The messages themselves, views of `wire` (what ws.send would be given; what the fan-out publishes). */
    readonly messages: readonly Uint8Array[],
    private readonly starts: readonly number[],
  ) {}

  get length(): number {
    return this.messages.length;
  }

  /** The frames of messages `from` to `to` (exclusive): a view, or `wire` itself when all. */
  wireOf(from: number, to: number): Buffer {
    if (from === 0 && to === this.messages.length) return this.wire;
    return this.wire.subarray(this.starts[from], this.starts[to]);
  }

  /** Sync update messages of `updates`, in order, each built straight into its frame. */
  static ofUpdates(updates: readonly Uint8Array[]): Frames {
    return Frames.build(updates, (u) => updateMessageLength(u.byteLength), writeUpdateMessage);
  }

  /** Messages encoded already (another process's relay frames), copied once behind their headers. */
  static ofMessages(messages: readonly Uint8Array[]): Frames {
    return Frames.build(
      messages,
      (m) => m.byteLength,
      (target, at, m) => {
        target.set(m, at);
        return at + m.byteLength;
      },
    );
  }

  private static build(items: readonly Uint8Array[], messageLength: (item: Uint8Array) => number, write: (target: Buffer, at: number, item: Uint8Array) => number): Frames {
    const lengths = items.map(messageLength);
    let total = 0;
    for (const length of lengths) total += headerLength(length) + length;
    // Every byte is written below; small buffers come from Node's pool, as ws's own headers do.
    const wire = Buffer.allocUnsafe(total);
    const messages: Uint8Array[] = [];
    const starts: number[] = [];
    let at = 0;
    for (let i = 0; i < items.length; i++) {
      starts.push(at);
      const body = writeHeader(wire, at, lengths[i]!);
      at = write(wire, body, items[i]!);
      messages.push(wire.subarray(body, at));
    }
    starts.push(at);
    return new Frames(wire, messages, starts);
  }
}
