/**
 * Number keys on a choice field (issue 13, item 9): an option is picked by its position (1, 2, …,
 * two digits from 10 on), a scale point by its own value as its label shows it (`-` `3` picks -3,
 * `3` picks +3, `0` picks 0). Digits wait for a second one only while the typed ones could still
 * grow into another key (`1` on a field of 15 options), then pick after a pause (or Enter).
 * Letters are not typed ahead: j, k, n and t are the coding view's keys. No DOM and no timers here.
 */
import type { FieldDefinition } from '@concord/shared';
import { choicesOf } from '$lib/coding-form.ts';

/** The pause after which typed digits that could still grow pick what they say. */
export const DIGIT_PAUSE_MS = 800;

/**
 * The keys that pick each choice of `field`, in `choicesOf` order ('' for none): positions from 1
 * for options (N/A last, as listed), the signed value for scale points (N/A of a scale has none).
 */
export function choiceKeys(field: FieldDefinition): string[] {
  const choices = choicesOf(field);
  if (field.type !== 'ordinal') return choices.map((_, i) => String(i + 1));
  return choices.map((c) => (typeof c.value === 'number' ? String(c.value) : ''));
}

/** What the keys typed so far on one field do. */
export type DigitStep =
  /** Pick the choice at `index` now. */
  | { kind: 'pick'; index: number; typed: string }
  /** Keep waiting for another digit; `index` is what the typed keys pick if none comes (null: nothing yet). */
  | { kind: 'wait'; index: number | null; typed: string; longer: string[] }
  /** The typed keys pick nothing on this field. */
  | { kind: 'none'; typed: string };

/** Whether `key` is one this module reads (a digit, or a sign that starts a scale value). */
export function isDigitKey(key: string): boolean {
  return /^[0-9+-]$/.test(key);
}

/** The step for `typed` (already joined) against a field's keys. A leading `+` is the positive value. */
export function matchTyped(keys: readonly string[], typed: string): DigitStep {
  const wanted = typed.startsWith('+') ? typed.slice(1) : typed;
  if (wanted === '') {
    // `+` only means something where a scale also has negative points.
    const signed = typed === '+' && keys.some((k) => k.startsWith('-'));
    return signed ? { kind: 'wait', index: null, typed, longer: keys.filter((k) => k !== '' && !k.startsWith('-')) } : { kind: 'none', typed };
  }
  const exact = keys.findIndex((k) => k !== '' && k === wanted);
  const longer = keys.filter((k) => k !== '' && k !== wanted && k.startsWith(wanted));
  if (longer.length > 0) return { kind: 'wait', index: exact === -1 ? null : exact, typed, longer };
  if (exact !== -1) return { kind: 'pick', index: exact, typed };
  return { kind: 'none', typed };
}

/**
 * Digits typed on the focused field. `press` joins a key to the ones before it when it comes on
 * the same field within DIGIT_PAUSE_MS of a step that waits; `settle` ends the wait (the pause
 * passed, or Enter) with what the typed keys pick; `cancel` forgets them (another key, a click).
 */
export class DigitEntry {
  #fieldKey = '';
  #typed = '';
  #at = Number.NEGATIVE_INFINITY;
  #pending: number | null = null;
  #waiting = false;

  /** The field the pending keys are on, or null when nothing waits. */
  get waitingOn(): string | null {
    return this.#waiting ? this.#fieldKey : null;
  }

  press(field: FieldDefinition, key: string, now: number): DigitStep {
    const keys = choiceKeys(field);
    const joins = this.#waiting && this.#fieldKey === field.key && now - this.#at < DIGIT_PAUSE_MS;
    const typed = (joins ? this.#typed : '') + key;
    const step = matchTyped(keys, typed);
    this.#fieldKey = field.key;
    this.#typed = typed;
    this.#at = now;
    this.#waiting = step.kind === 'wait';
    this.#pending = step.kind === 'wait' ? step.index : null;
    return step;
  }

  /** The wait is over: the index the typed keys pick (null: none), and nothing waits any more. */
  settle(): { fieldKey: string; index: number | null; typed: string } | null {
    if (!this.#waiting) return null;
    const out = { fieldKey: this.#fieldKey, index: this.#pending, typed: this.#typed };
    this.cancel();
    return out;
  }

  cancel(): void {
    this.#waiting = false;
    this.#pending = null;
    this.#typed = '';
  }
}

const spoken = (list: readonly string[]): string =>
  list.length > 3 ? `${list[0]} to ${list.at(-1)}` : list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : (list[0] ?? '');

/** What a screen reader hears (and the field shows) after a step; '' for a pick, whose option gets the focus. */
export function stepNote(field: FieldDefinition, step: DigitStep): string {
  if (step.kind === 'pick') return '';
  if (step.kind === 'none') return `No choice ${step.typed} in ${field.label}.`;
  const then = step.index === null ? '' : `, or wait for ${choiceKeys(field)[step.index]}`;
  return `Typed ${step.typed}: type on for ${spoken(step.longer)}${then}.`;
}

/** How digits pick on a field, when that needs saying ('' when 1-9 pick by place, as everywhere). */
export function keysHint(field: FieldDefinition): string {
  const keys = choiceKeys(field).filter((k) => k !== '');
  if (field.type === 'ordinal') return `Keys: type a score, ${keys[0]} to ${keys.at(-1)}.`;
  return keys.length > 9 ? `Keys: type an option's number, 1 to ${keys.length} (two digits from 10).` : '';
}
