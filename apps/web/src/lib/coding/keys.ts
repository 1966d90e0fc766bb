/**
 * Keyboard keys of the coding view: Ctrl/Cmd+Enter submits, j/k go to the next/previous item,
 * n to the next item of one's queue not yet submitted, 1-9 pick the n-th choice of the focused field. Keys typed into a text input are left alone.
 */
import type { CodingValue, FieldDefinition } from '@concord/shared';
import { isChoiceField, nthChoice } from '$lib/coding-form.ts';
import { isTyping } from '$lib/typing.ts';
import { fieldOf } from './presence.ts';

export interface CodingKeyActions {
  fields: readonly FieldDefinition[];
  /** The form is read-only (digits pick nothing). */
  frozen: boolean;
  submit: () => void;
  /** Goes to the next (j) or previous (k) item; false when there is none. */
  go: (direction: 'next' | 'prev') => boolean;
  /** Goes to the next uncoded item of the caller's queue. */
  nextUncoded: () => void;
  choose: (field: FieldDefinition, choice: CodingValue) => void;
}

export function onCodingKey(event: KeyboardEvent, actions: CodingKeyActions): void {
  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
    event.preventDefault();
    actions.submit();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
  if (event.key === 'j' || event.key === 'k') {
    if (actions.go(event.key === 'j' ? 'next' : 'prev')) event.preventDefault();
    return;
  }
  if (event.key === 'n') {
    event.preventDefault();
    actions.nextUncoded();
    return;
  }
  if (/^[1-9]$/.test(event.key)) {
    const key = fieldOf(event.target);
    const field = actions.fields.find((f) => f.key === key);
    if (!field || !isChoiceField(field) || actions.frozen) return;
    const choice = nthChoice(field, Number(event.key));
    if (choice === null) return;
    event.preventDefault();
    actions.choose(field, choice);
    document.getElementById(`f-${field.key}-${Number(event.key) - 1}`)?.focus();
  }
}
