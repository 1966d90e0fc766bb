/**
 * Presence is relayed only after it has been rewritten to the allow-list of
 * `AwarenessState` (@concord/shared): who (with the authenticated user id) and which field
 * they are on. Anything else a client puts in its awareness state, such as a value it is
 * typing, is dropped here, so presence cannot leak coded values during blind coding.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AWARENESS_COLOR, AWARENESS_FIELD_KEY, AWARENESS_NAME_MAX, type AwarenessState } from '@concord/shared';
import { ProtocolError } from './protocol.ts';

const DEFAULT_COLOR = '#808080';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function sanitizeAwarenessState(state: unknown, userId: string): AwarenessState | null {
  if (state === null) return null;
  const input = isObject(state) ? state : {};
  const user = isObject(input.user) ? input.user : {};
  const out: AwarenessState = {
    user: {
      id: userId,
      name: typeof user.name === 'string' ? user.name.slice(0, AWARENESS_NAME_MAX) : '',
      color: typeof user.color === 'string' && AWARENESS_COLOR.test(user.color) ? user.color : DEFAULT_COLOR,
    },
  };
  if (input.focus === null) out.focus = null;
  else if (isObject(input.focus) && typeof input.focus.fieldKey === 'string' && AWARENESS_FIELD_KEY.test(input.focus.fieldKey)) {
    out.focus = { fieldKey: input.focus.fieldKey };
  }
  return out;
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: AwarenessState | null;
}

/** Decodes an awareness update and rewrites every state; throws ProtocolError on malformed input. */
export function filterAwarenessUpdate(update: Uint8Array, userId: string): AwarenessEntry[] {
  return decodeAndSanitize(update, () => userId);
}

/**
 * Presence from another server process: it was filtered there (with the user id its
 * connection authenticated); it is rewritten again here with that id, so whatever arrives on
 * the channel holds nothing beyond the allow-list. States without a user id are dropped.
 */
export function filterRemoteAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  return decodeAndSanitize(update, (state) => {
    const user = isObject(state) && isObject(state.user) ? state.user : {};
    return typeof user.id === 'string' && user.id.length > 0 ? user.id : null;
  });
}

function decodeAndSanitize(update: Uint8Array, userIdOf: (state: unknown) => string | null): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      if (state === null) {
        entries.push({ clientId, clock, state: null });
        continue;
      }
      const userId = userIdOf(state);
      if (userId !== null) entries.push({ clientId, clock, state: sanitizeAwarenessState(state, userId) });
    }
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the awareness update');
    return entries;
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`malformed awareness update: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}
