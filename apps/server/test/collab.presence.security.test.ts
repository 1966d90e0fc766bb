/**
 * Presence as a side channel (issue 11, finding 4), attacked the way it was found: coder B
 * listens on `item:<id>` with a raw WebSocket while coder A moves through a radio group.
 * While the item is coded blind, B must see "A is on this item" and nothing else: no field,
 * and no message per focus toggle (not even a clock that counts them). In the joint phase the
 * field is shown again. Names shown are the accounts', whatever a client claims.
 */
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { DEFAULT_COLLAB_LIMITS } from '../src/config.ts';
import { itemDocName, presenceColor } from '@concord/shared';
import { MESSAGE_AWARENESS } from '../src/collab/protocol.ts';
import { collabSuite, connectRaw, type RawClient } from './collab-helpers.ts';
import { eventually } from './testing.ts';

// The server's own presence renewal would be a message B sees at a moment of its choosing, not
// A's; it is pushed out of the test's way (its schedule never depends on a client anyway).
const t = collabSuite({ config: { collab: { ...DEFAULT_COLLAB_LIMITS, presenceRenewMs: 10 * 60_000 } } });

interface Seen {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Every presence entry in the frames a raw client received, in order. */
function presenceSeen(raw: RawClient): Seen[] {
  const seen: Seen[] = [];
  for (const frame of raw.received) {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) continue;
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const count = decoding.readVarUint(update);
    for (let i = 0; i < count; i++) {
      seen.push({ clientId: decoding.readVarUint(update), clock: decoding.readVarUint(update), state: JSON.parse(decoding.readVarString(update)) as Record<string, unknown> | null });
    }
  }
  return seen;
}

const setPhase = (phase: string) => t.s.h.request(t.team.members.editor, 'POST', `/api/projects/${t.f.projectId}/items/${t.f.itemId}/phase`, { phase });

describe('presence while the item is coded blind', () => {
  it('shows a listening coder that A is on the item, and nothing that moves with A\'s focus', async () => {
    const name = itemDocName(t.f.itemId);
    const listener = connectRaw(t.s.wsUrl, name, { cookie: t.team.coderB.cookie });
    await listener.opened;
    const a = t.client(name, { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(a.provider.synced && a.provider.wsconnected).toBe(true));
    const awareness = a.provider.awareness;
    const aId = a.doc.clientID;
    awareness.setLocalState({ user: { id: 'usr_forgedforgedforg', name: 'The Editor', color: '#ff0000' }, focus: null });
    const identity = { id: t.team.members.coder.userId, name: 'coder', color: presenceColor(t.team.members.coder.userId) };
    await eventually(() => expect(presenceSeen(listener).filter((s) => s.clientId === aId).length).toBe(1));

    // Five ArrowDown presses in a radio group: field, null, field... plus keys of A's choosing.
    for (let i = 0; i < 5; i++) {
      awareness.setLocalStateField('focus', { fieldKey: 'impact' });
      awareness.setLocalStateField('focus', null);
      awareness.setLocalStateField('focus', { fieldKey: 'impact' });
      awareness.setLocalStateField('cursor', { anchor: i, head: i + 1 });
      awareness.setLocalStateField('selection', { fieldKey: 'impact', option: i });
      awareness.setLocalStateField('user', { name: `option ${i}`, color: '#00ff00' });
    }
    // A leaves: its departure comes after every message A sent (one ordered socket).
    a.destroy();
    await eventually(() => expect(presenceSeen(listener).filter((s) => s.clientId === aId).at(-1)?.state).toBeNull());

    const ofA = presenceSeen(listener).filter((s) => s.clientId === aId);
    // Arrival and departure, nothing between; the arrival shows who, as the server knows them.
    expect(ofA.map((s) => s.state)).toEqual([{ user: identity }, null]);
    expect(ofA[1]!.clock - ofA[0]!.clock).toBe(0);
    expect(JSON.stringify(presenceSeen(listener))).not.toMatch(/impact|cursor|selection|option|focus|forged|The Editor/);
    listener.ws.close();
  });

  it('shows the field again in the joint phase, strips it on the way back, on open connections', async () => {
    const name = itemDocName(t.f.itemId);
    const listener = t.client(name, { cookie: t.team.coderB.cookie });
    const a = t.client(name, { cookie: t.team.members.coder.cookie });
    await eventually(() => expect(a.provider.synced && listener.provider.synced).toBe(true));
    const aId = a.doc.clientID;
    const identity = { id: t.team.members.coder.userId, name: 'coder', color: presenceColor(t.team.members.coder.userId) };
    a.provider.awareness.setLocalState({ user: { name: 'x', color: '#000000' }, focus: { fieldKey: 'impact' } });
    await eventually(() => expect(listener.provider.awareness.getStates().get(aId)).toEqual({ user: identity }));

    expect((await setPhase('joint')).status).toBe(200);
    // A's last field is shown once the item is no longer blind, without A doing anything.
    await eventually(() => expect(listener.provider.awareness.getStates().get(aId)).toEqual({ user: identity, focus: { fieldKey: 'impact' } }));
    a.provider.awareness.setLocalStateField('focus', { fieldKey: 'frame' });
    await eventually(() => expect(listener.provider.awareness.getStates().get(aId)).toEqual({ user: identity, focus: { fieldKey: 'frame' } }));

    expect((await setPhase('independent')).status).toBe(200);
    await eventually(() => expect(listener.provider.awareness.getStates().get(aId)).toEqual({ user: identity }));
    a.provider.awareness.setLocalStateField('focus', { fieldKey: 'impact' });
    // A newcomer is told the same: who, no field.
    const late = t.client(name, { cookie: t.team.members.editor.cookie });
    await eventually(() => expect(late.provider.awareness.getStates().get(aId)).toEqual({ user: identity }));
    expect(listener.provider.awareness.getStates().get(aId)).toEqual({ user: identity });
  });
});
