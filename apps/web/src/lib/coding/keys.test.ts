import type { CodingValue, FieldDefinition } from '@concord/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIGIT_PAUSE_MS } from './choice-keys.ts';
import { CodingKeys, type CodingKeyActions } from './keys.ts';

const frames: FieldDefinition = {
  key: 'frames',
  label: 'Narrative frames',
  help: '',
  required: false,
  type: 'multiple_choice',
  allowNa: false,
  options: Array.from({ length: 15 }, (_, i) => ({ value: `f${i + 1}`, label: `Frame ${i + 1}`, parent: null, help: '' })),
};

/** An element of the form as the keys see it: inside field `fieldKey`, a text area when `typing`. */
const target = (fieldKey: string | null, typing = false) => ({
  isContentEditable: false,
  closest: (selector: string) => {
    if (selector === '[data-field]') return fieldKey ? { dataset: { field: fieldKey } } : null;
    return typing ? {} : null;
  },
});

function setup(frozen = false) {
  const chosen: [string, CodingValue][] = [];
  const notes: string[] = [];
  const focused: string[] = [];
  const calls: string[] = [];
  const actions: CodingKeyActions = {
    fields: [frames],
    frozen,
    submit: () => calls.push('submit'),
    undo: () => calls.push('undo'),
    go: () => true,
    nextUncoded: () => calls.push('next uncoded'),
    choose: (field, choice) => chosen.push([field.key, choice]),
    announce: (_, text) => notes.push(text),
  };
  const keys = new CodingKeys((id) => focused.push(id));
  const press = (key: string, on = target('frames'), mods: { ctrlKey?: boolean; metaKey?: boolean } = {}) => {
    const event = { key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods, target: on, defaultPrevented: false, preventDefault() { event.defaultPrevented = true; } };
    keys.onKey(event as unknown as KeyboardEvent, actions);
    return event.defaultPrevented;
  };
  return { chosen, notes, focused, calls, keys, press };
}

describe('CodingKeys', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('two digits pick the 12th frame at once and focus it', () => {
    const { chosen, focused, press } = setup();
    expect(press('1')).toBe(true);
    press('2');
    expect(chosen).toEqual([['frames', 'f12']]);
    expect(focused.at(-1)).toBe('f-frames-11');
  });

  it('a lone 1 says what it waits for, and picks the first frame after the pause', () => {
    const { chosen, notes, press } = setup();
    press('1');
    expect(notes.at(-1)).toBe('Typed 1: type on for 10 to 15, or wait for 1.');
    vi.advanceTimersByTime(DIGIT_PAUSE_MS - 1);
    expect(chosen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(chosen).toEqual([['frames', 'f1']]);
    expect(notes.at(-1)).toBe('');
  });

  it('Enter ends the wait at once (without submitting); another key or cancel forgets it', () => {
    const one = setup();
    one.press('1');
    expect(one.press('Enter')).toBe(true);
    expect(one.chosen).toEqual([['frames', 'f1']]);
    expect(one.calls).toEqual([]);

    const two = setup();
    two.press('1');
    two.press('ArrowDown');
    vi.advanceTimersByTime(DIGIT_PAUSE_MS);
    expect(two.chosen).toEqual([]);
    two.press('1');
    two.keys.cancel();
    vi.advanceTimersByTime(DIGIT_PAUSE_MS);
    expect(two.chosen).toEqual([]);
  });

  it('Shift alone (digits of some layouts) keeps the wait', () => {
    const { chosen, press } = setup();
    press('1');
    press('Shift');
    press('3');
    expect(chosen).toEqual([['frames', 'f13']]);
  });

  it('Ctrl/Cmd+Z undoes outside text inputs only; digits pick nothing in a frozen form or outside a field', () => {
    const { calls, chosen, press } = setup();
    expect(press('z', target('frames'), { ctrlKey: true })).toBe(true);
    expect(press('z', target(null), { metaKey: true })).toBe(true);
    expect(press('z', target('note', true), { ctrlKey: true })).toBe(false);
    expect(calls).toEqual(['undo', 'undo']);
    expect(press('3', target(null))).toBe(false);
    expect(chosen).toEqual([]);
    const frozen = setup(true);
    expect(frozen.press('3')).toBe(false);
    expect(frozen.chosen).toEqual([]);
  });
});
