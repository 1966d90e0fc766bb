/**
 * The y-websocket wire protocol as data: inbound frames decode into a discriminated union
 * (or a ProtocolError), outbound frames are built here. Message types 0 (sync) and 1
 * (awareness) carry Yjs payloads; 3 asks for the awareness states.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** A Yjs update as `Y.decodeUpdate` reads it (its structs and delete set). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type InboundMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  /** `decoded`: the validating decode's result, so the item-document check need not decode again. */
  | { type: 'syncStep2'; update: Uint8Array; decoded: DecodedUpdate }
  | { type: 'update'; update: Uint8Array; decoded: DecodedUpdate }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' };

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Decodes one frame; anything malformed, unknown or with trailing bytes is a ProtocolError. */
export function decodeMessage(data: Uint8Array): InboundMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const messageType = decoding.readVarUint(decoder);
    let message: InboundMessage;
    if (messageType === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP_1) message = { type: 'syncStep1', stateVector: payload };
      else if (step === SYNC_STEP_2) message = { type: 'syncStep2', update: payload, decoded: Y.decodeUpdate(payload) };
      else if (step === SYNC_UPDATE) message = { type: 'update', update: payload, decoded: Y.decodeUpdate(payload) };
      else throw new ProtocolError(`unknown sync step ${step}`);
    } else if (messageType === MESSAGE_AWARENESS) {
      message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    } else if (messageType === MESSAGE_QUERY_AWARENESS) {
      message = { type: 'queryAwareness' };
    } else {
      throw new ProtocolError(`unknown message type ${messageType}`);
    }
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message');
    if (message.type === 'syncStep1') Y.decodeStateVector(message.stateVector);
    return message;
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`malformed message: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP_1);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP_2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
  return encoding.toUint8Array(encoder);
}

/** The length of a sync update message for a payload of `length` bytes (the two type bytes, lib0's varuint, the payload). */
export function updateMessageLength(length: number): number {
  let lengthBytes = 1;
  for (let n = length; n > 0x7f; n = Math.floor(n / 0x80)) lengthBytes++;
  return 2 + lengthBytes + length;
}

/** Writes the sync update message of `update` into `target` at `at` (`updateMessageLength` bytes); returns the end. */
export function writeUpdateMessage(target: Uint8Array, at: number, update: Uint8Array): number {
  target[at++] = MESSAGE_SYNC;
  target[at++] = SYNC_UPDATE;
  let n = update.byteLength;
  for (; n > 0x7f; n = Math.floor(n / 0x80)) target[at++] = 0x80 | (n & 0x7f);
  target[at++] = n;
  target.set(update, at);
  return at + update.byteLength;
}

/**
 * A sync update message in one buffer of the exact size, without lib0's growing encoder (a
 * 100-byte buffer, then a copy). Relayed updates are framed with `writeUpdateMessage` directly
 * into their WebSocket frames (ws-frame.ts).
 */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const message = new Uint8Array(updateMessageLength(update.byteLength));
  writeUpdateMessage(message, 0, update);
  return message;
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
