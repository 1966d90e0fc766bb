/**
 * The binary messages of a document's Redis channels (fanout.ts): its membership channel
 * (`join`, `leave`, every process's own `join` included, dropped on the header) and each
 * process's inbox of the document (the rest). The format is made for the receiver: a fixed
 * header it can test without decoding anything, then the payload.
 *
 *     [type: 1 byte][sender: 8 bytes][payload]
 *
 * - `update`: a committed batch as its sender relays it to its own connections, the
 *   y-websocket sync-update frames of its updates back to back (each frame carries its
 *   length). Not merged (`Y.mergeUpdates` cost a few percent of the CPU under load); the
 *   receiver applies the update inside each frame and relays the frame itself, encoding
 *   nothing again.
 * - `awareness`: an awareness update (visible states, already filtered by the sender).
 * - `hello`: no payload.
 * - `join` (on the membership channel), `here` (to the joiner's inbox: "I have it open too"),
 *   `leave` (membership): no payload; fanout.ts keeps them to itself.
 */
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import { MESSAGE_SYNC, SYNC_UPDATE } from './protocol.ts';

/** A stored update with its y-websocket frame (protocol.ts `encodeUpdate`), as relayed to clients. */
export interface UpdateFrame {
  frame: Uint8Array;
  update: Uint8Array;
}

export type DocMessage =
  /** A batch of updates, published only after it was persisted by its sender, in the order it was applied. */
  | { type: 'update'; updates: readonly UpdateFrame[] }
  /** An awareness update (states already rewritten by awareness-filter.ts; removals have state null). */
  | { type: 'awareness'; update: Uint8Array }
  /** The sender opened the document: the others answer with their connections' presence. */
  | { type: 'hello' };

/** Who has a document open (fanout.ts): never handed to a room. */
export type MembershipMessage =
  /** `id` names this join: its answers carry it back (an answer to an earlier join of the same process must not count). */
  | { type: 'join'; id: Uint8Array }
  | { type: 'here'; id: Uint8Array }
  | { type: 'leave' };
export type WireMessage = DocMessage | MembershipMessage;

const DOC_TYPES = ['update', 'awareness', 'hello', 'join', 'here', 'leave'] as const;
const SENDER_BYTES = 8;
const HEADER_BYTES = 1 + SENDER_BYTES;

/** A process's sender id on document channels (random, so two processes never share one). */
export const newSender = (): Buffer => randomBytes(SENDER_BYTES);

export function encodeDocMessage(sender: Uint8Array, message: WireMessage): Buffer {
  const parts =
    message.type === 'update' ? message.updates.map((u) => u.frame) : message.type === 'awareness' ? [message.update] : message.type === 'join' || message.type === 'here' ? [message.id] : [];
  let length = HEADER_BYTES;
  for (const part of parts) length += part.byteLength;
  // One allocation, handed to ioredis as is.
  const data = Buffer.allocUnsafe(length);
  data[0] = DOC_TYPES.indexOf(message.type);
  data.set(sender, 1);
  let at = HEADER_BYTES;
  for (const part of parts) {
    data.set(part, at);
    at += part.byteLength;
  }
  return data;
}

/** Whether `data` is a document message of `sender` (a process's own, come back from Redis). */
export function isFrom(data: Uint8Array, sender: Uint8Array): boolean {
  if (data.byteLength < HEADER_BYTES || data[0]! >= DOC_TYPES.length) return false;
  for (let i = 0; i < SENDER_BYTES; i++) if (data[1 + i] !== sender[i]) return false;
  return true;
}

/** The sender id of a document message, as hex (its inbox channels are named after it: fanout.ts). */
export function senderOf(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset + 1, SENDER_BYTES).toString('hex');
}

/** The message in `data`; its frames and updates are views of `data`, not copies. */
export function decodeDocMessage(data: Uint8Array): WireMessage {
  const type = DOC_TYPES[data[0] ?? DOC_TYPES.length];
  if (!type || data.byteLength < HEADER_BYTES) throw new Error('unknown fan-out message type');
  const payload = data.subarray(HEADER_BYTES);
  if (type === 'hello' || type === 'leave') return { type };
  if (type === 'join' || type === 'here') return { type, id: payload };
  if (type === 'awareness') return { type, update: payload };
  const updates: UpdateFrame[] = [];
  const decoder = decoding.createDecoder(payload);
  while (decoding.hasContent(decoder)) {
    const start = decoder.pos;
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC || decoding.readVarUint(decoder) !== SYNC_UPDATE) throw new Error('not an update frame');
    const update = decoding.readVarUint8Array(decoder);
    // lib0 reads views of the whole ArrayBuffer, which may run on past `payload` (ioredis pools its buffers).
    if (decoder.pos > payload.byteLength) throw new Error('truncated update frame');
    updates.push({ frame: payload.subarray(start, decoder.pos), update });
  }
  return { type, updates };
}
