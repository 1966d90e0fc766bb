/**
 * Presence on an item: who else is on it (the awareness of the item document) and which field
 * this tab is on. Blind coding rules what is published (issue 11, finding 4): the field is
 * published only when it actually changes (moving between the options of one field, say with
 * the arrow keys of a radio group, publishes nothing, so nobody can count the moves), and never
 * while the item is coded blind (the server strips it too).
 */
import type { AwarenessState, Phase } from '@concord/shared';
import { AWARENESS_NAME_MAX } from '@concord/shared';
import { userColor } from '$lib/coding-form.ts';

/** Someone else on the item. */
export interface Present {
  clientId: number;
  id: string;
  name: string;
  color: string;
  fieldKey: string | null;
}

/** The part of a y-protocols Awareness presence needs (tested without a socket). */
export interface PresenceAwareness {
  clientID: number;
  getStates(): Map<number, unknown>;
  setLocalState(state: AwarenessState | null): void;
  setLocalStateField(field: 'focus', value: AwarenessState['focus']): void;
}

/** The others on the item: neither this tab nor another tab of the same user. */
export function othersPresent(awareness: PresenceAwareness, meId: string): Present[] {
  const list: Present[] = [];
  for (const [clientId, raw] of awareness.getStates()) {
    const state = raw as AwarenessState;
    if (!state.user || clientId === awareness.clientID || state.user.id === meId) continue;
    list.push({ clientId, id: state.user.id, name: state.user.name, color: state.user.color, fieldKey: state.focus?.fieldKey ?? null });
  }
  return list;
}

/** The codebook field an element belongs to (its `[data-field]` ancestor), or null. */
export function fieldOf(target: EventTarget | null): string | null {
  return (target as HTMLElement | null)?.closest?.<HTMLElement>('[data-field]')?.dataset.field ?? null;
}

/**
 * This tab's presence on one item: arrives with no field, publishes a field only when it
 * changes and the phase allows it, and leaves. One per visit of an item.
 */
export class FocusPresence {
  readonly #awareness: PresenceAwareness;
  readonly #blind: boolean;
  #published: string | null = null;

  constructor(input: { awareness: PresenceAwareness; phase: Phase; me: { id: string; name: string } }) {
    this.#awareness = input.awareness;
    this.#blind = input.phase === 'independent';
    const user = { id: input.me.id, name: input.me.name.slice(0, AWARENESS_NAME_MAX), color: userColor(input.me.id) };
    this.#awareness.setLocalState({ user, focus: null });
  }

  /** The field this tab is on (null: none). Publishes only a change, and nothing while the item is blind. */
  focus(fieldKey: string | null): void {
    const next = this.#blind ? null : fieldKey;
    if (next === this.#published) return;
    this.#published = next;
    this.#awareness.setLocalStateField('focus', next ? { fieldKey: next } : null);
  }

  /** Off the item for the others (the document itself may stay open). */
  leave(): void {
    this.#awareness.setLocalState(null);
  }
}
