/**
 * Keyboard keys of the coding view: Ctrl/Cmd+Enter submits, Ctrl/Cmd+Z undoes the coder's last
 * change, j/k go to the next/previous item, n to the next item of one's queue not yet submitted,
 * digits pick a choice of the focused field (choice-keys.ts: positions, two digits from 10, a
 * scale's own values). Keys typed into a text input are left alone (its own undo included).
 */
import type { CodingValue, FieldDefinition } from '@concord/shared';
import { choicesOf, isChoiceField } from '$lib/coding-form.ts';
import { isTyping } from '$lib/typing.ts';
import { DIGIT_PAUSE_MS, DigitEntry, isDigitKey, stepNote } from './choice-keys.ts';
import { fieldOf } from './presence.ts';

const MODIFIERS = new Set(['Shift', 'CapsLock', 'AltGraph', 'Dead']);

export interface CodingKeyActions {
  fields: readonly FieldDefinition[];
  /** The form is read-only (digits pick nothing). */
  frozen: boolean;
  submit: () => void;
  /** Undoes the coder's last change of the form. */
  undo: () => void;
  /** Goes to the next (j) or previous (k) item; false when there is none. */
  go: (direction: 'next' | 'prev') => boolean;
  /** Goes to the next uncoded item of the caller's queue. */
  nextUncoded: () => void;
  choose: (field: FieldDefinition, choice: CodingValue) => void;
  /** Says what typed digits wait for or why they pick nothing ('' clears it), on the field they were typed on. */
  announce: (fieldKey: string, text: string) => void;
}

/** The keys of one coding view: holds the digits typed on a field until they pick (one per page). */
export class CodingKeys {
  readonly #entry = new DigitEntry();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #actions: CodingKeyActions | null = null;
  readonly #focus: (elementId: string) => void;

  /** `focus` moves the focus to a choice's input (the DOM's, unless a test watches it). */
  constructor(focus: (elementId: string) => void = (id) => document.getElementById(id)?.focus()) {
    this.#focus = focus;
  }

  onKey(event: KeyboardEvent, actions: CodingKeyActions): void {
    this.#actions = actions;
    const command = event.ctrlKey || event.metaKey;
    if (command && event.key === 'Enter') {
      event.preventDefault();
      this.#settle();
      actions.submit();
      return;
    }
    if (isTyping(event.target)) return;
    if (command && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      this.cancel();
      actions.undo();
      return;
    }
    // A modifier pressed alone (Shift types the digits of some layouts) leaves typed digits waiting.
    if (command || event.altKey || MODIFIERS.has(event.key)) return;
    if (isDigitKey(event.key)) {
      this.#digit(event);
      return;
    }
    if (this.#entry.waitingOn !== null && event.key === 'Enter') {
      // Enter ends the wait at once (and must not submit the form meanwhile).
      event.preventDefault();
      this.#settle();
      return;
    }
    this.cancel();
    if (event.key === 'j' || event.key === 'k') {
      if (actions.go(event.key === 'j' ? 'next' : 'prev')) event.preventDefault();
      return;
    }
    if (event.key === 'n') {
      event.preventDefault();
      actions.nextUncoded();
    }
  }

  /** Forgets digits that wait (another key, a click, the item is left). */
  cancel(): void {
    clearTimeout(this.#timer);
    const on = this.#entry.waitingOn;
    this.#entry.cancel();
    if (on !== null) this.#actions?.announce(on, '');
  }

  #digit(event: KeyboardEvent): void {
    const actions = this.#actions!;
    const key = fieldOf(event.target);
    const field = actions.fields.find((f) => f.key === key);
    if (!field || !isChoiceField(field) || actions.frozen) return;
    event.preventDefault();
    clearTimeout(this.#timer);
    const step = this.#entry.press(field, event.key, performance.now());
    actions.announce(field.key, stepNote(field, step));
    if (step.kind === 'pick') this.#pick(field, step.index);
    else if (step.kind === 'wait') {
      if (step.index !== null) this.#focusChoice(field, step.index);
      this.#timer = setTimeout(() => this.#settle(), DIGIT_PAUSE_MS);
    }
  }

  #settle(): void {
    clearTimeout(this.#timer);
    const settled = this.#entry.settle();
    const actions = this.#actions;
    if (!settled || !actions) return;
    const field = actions.fields.find((f) => f.key === settled.fieldKey);
    if (!field) return;
    actions.announce(field.key, settled.index === null ? `No choice ${settled.typed} in ${field.label}.` : '');
    if (settled.index !== null && !actions.frozen) this.#pick(field, settled.index);
  }

  #pick(field: FieldDefinition, index: number): void {
    const choice = choicesOf(field)[index];
    if (!choice) return;
    this.#actions!.choose(field, choice.value);
    this.#focusChoice(field, index);
  }

  #focusChoice(field: FieldDefinition, index: number): void {
    this.#focus(`f-${field.key}-${index}`);
  }
}
