import { describe, expect, it } from 'vitest';
import type { AwarenessState } from '@concord/shared';
import { FocusPresence, othersPresent, type PresenceAwareness } from './presence.ts';

/** An awareness that records every state it would send (y-websocket sends on each set, changed or not). */
function recording(clientID = 1): PresenceAwareness & { sent: (AwarenessState | null)[]; states: Map<number, unknown> } {
  const states = new Map<number, unknown>();
  const sent: (AwarenessState | null)[] = [];
  return {
    clientID,
    states,
    sent,
    getStates: () => states,
    setLocalState(state) {
      if (state === null) states.delete(clientID);
      else states.set(clientID, state);
      sent.push(state);
    },
    setLocalStateField(field, value) {
      const next = { ...(states.get(clientID) as AwarenessState), [field]: value };
      states.set(clientID, next);
      sent.push(next);
    },
  };
}

const me = { id: 'usr_me', name: 'Me' };

describe('FocusPresence', () => {
  it('publishes a field only when it changes: moving within a field (arrow keys in a radio group) sends nothing', () => {
    const awareness = recording();
    const presence = new FocusPresence({ awareness, phase: 'joint', me });
    presence.focus('impact');
    // focusout to the next radio of the same field, focusin on it, three times
    for (let i = 0; i < 3; i++) {
      presence.focus('impact');
      presence.focus('impact');
    }
    presence.focus('frames');
    presence.focus(null);
    expect(awareness.sent.map((s) => s && s.focus)).toEqual([null, { fieldKey: 'impact' }, { fieldKey: 'frames' }, null]);
    presence.leave();
    expect(awareness.sent.at(-1)).toBeNull();
  });

  it('never publishes a field while the item is coded blind', () => {
    const awareness = recording();
    const presence = new FocusPresence({ awareness, phase: 'independent', me });
    for (const key of ['impact', null, 'impact', 'frames']) presence.focus(key);
    expect(awareness.sent).toHaveLength(1);
    expect(awareness.sent[0]).toMatchObject({ user: { id: 'usr_me', name: 'Me' }, focus: null });
  });
});

describe('othersPresent', () => {
  it('lists the others on the item, not this tab nor another tab of the same user', () => {
    const awareness = recording(1);
    awareness.states.set(1, { user: { id: 'usr_me', name: 'Me', color: '#000000' }, focus: null });
    awareness.states.set(2, { user: { id: 'usr_me', name: 'Me', color: '#000000' }, focus: null });
    awareness.states.set(3, { user: { id: 'usr_b', name: 'B', color: '#111111' }, focus: { fieldKey: 'impact' } });
    awareness.states.set(4, {});
    expect(othersPresent(awareness, 'usr_me')).toEqual([{ clientId: 3, id: 'usr_b', name: 'B', color: '#111111', fieldKey: 'impact' }]);
  });
});
