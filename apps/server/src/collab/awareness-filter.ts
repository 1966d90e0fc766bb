/**
 * Presence is relayed only after it has been rewritten to the allow-list of
 * `AwarenessState` (@concord/shared): who (the identity the server stamps: the authenticated
 * user's id, the account's name and a colour from the id) and which field they are on.
 * Anything else a client puts in its awareness state, such as a value it is typing, or a name
 * of its choosing, is dropped here, so presence cannot leak coded values or impersonate.
 * Whether the field is shown to others at all is decided per phase in room-presence.ts.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AWARENESS_COLOR, AWARENESS_FIELD_KEY, AWARENESS_NAME_MAX, type AwarenessState } from '@concord/shared';
import { ProtocolError } from './protocol.ts';

/** Who a presence state is about, as the server knows it. */
export type PresenceIdentity = Required<AwarenessState>['user'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The allow-listed state: the server's identity, and the focused field when it is well-formed. */
export function sanitizeAwarenessState(state: unknown, identity: PresenceIdentity): AwarenessState {
  const input = isObject(state) ? state : {};
  const out: AwarenessState = { user: { id: identity.id, name: identity.name.slice(0, AWARENESS_NAME_MAX), color: identity.color } };
  if (input.focus === null) out.focus = null;
  else if (isObject(input.focus) && typeof input.focus.fieldKey === 'string' && AWARENESS_FIELD_KEY.test(input.focus.fieldKey)) {
    out.focus = { fieldKey: input.focus.fieldKey };
  }
  return out;
}

/** What others see of a state while presence is blind (the independent phase): the identity only. */
export function blindAwarenessState(state: AwarenessState): AwarenessState {
  return state.user ? { user: state.user } : {};
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: AwarenessState | null;
}

/** Decodes an awareness update and rewrites every state; throws ProtocolError on malformed input. */
export function filterAwarenessUpdate(update: Uint8Array, identity: PresenceIdentity): AwarenessEntry[] {
  return decodeAndSanitize(update, () => identity);
}

/**
 * Presence from another server process: it was filtered there (with the identity its
 * connection authenticated); it is rewritten again here with that identity, so whatever
 * arrives on the channel holds nothing beyond the allow-list. States without one are dropped.
 */
export function filterRemoteAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  return decodeAndSanitize(update, (state) => {
    const user = isObject(state) && isObject(state.user) ? state.user : {};
    const { id, name, color } = user;
    if (typeof id !== 'string' || id.length === 0 || typeof name !== 'string' || typeof color !== 'string' || !AWARENESS_COLOR.test(color)) return null;
    return { id, name, color };
  });
}

function decodeAndSanitize(update: Uint8Array, identityOf: (state: unknown) => PresenceIdentity | null): AwarenessEntry[] {
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
      const identity = identityOf(state);
      if (identity !== null) entries.push({ clientId, clock, state: sanitizeAwarenessState(state, identity) });
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
