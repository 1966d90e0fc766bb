import { describe, expect, it } from 'vitest';
import { NA, type FieldDefinition } from '@concord/shared';
import {
  choicesOf,
  describeValue,
  initials,
  isCodingValue,
  isSelected,
  missingRequired,
  neighbours,
  orderOptions,
  parseNumber,
  pick,
  readValues,
  userColor,
} from '$lib/coding-form.ts';

const opt = (value: string, label: string, parent: string | null = null) => ({ value, label, parent, help: '' });
const base = { help: '', required: false, allowNa: false };

const frames: FieldDefinition = {
  ...base,
  key: 'frames',
  label: 'Frames',
  type: 'multiple_choice',
  required: true,
  options: [opt('child_b', 'Child B', 'parent_b'), opt('parent_a', 'Parent A'), opt('parent_b', 'Parent B'), opt('child_a', 'Child A', 'parent_a'), opt('grandchild', 'Grandchild', 'child_a')],
};
const dimension: FieldDefinition = { ...base, key: 'dimension', label: 'Dimension', type: 'single_choice', required: true, allowNa: true, options: [opt('speech', 'Speech'), opt('access', 'Access')] };
const impact: FieldDefinition = {
  ...base,
  key: 'impact',
  label: 'Impact',
  type: 'ordinal',
  scale: [
    { value: -1, label: 'Harmful' },
    { value: 0, label: 'Neutral' },
    { value: 1, label: 'Beneficial' },
  ],
};
const count: FieldDefinition = { ...base, key: 'count', label: 'Count', type: 'number', min: 0, max: 10, integer: true };
const note: FieldDefinition = { ...base, key: 'note', label: 'Note', type: 'text', maxLength: 5 };
const fields = [frames, dimension, impact, count, note];

describe('orderOptions', () => {
  it('puts children (and their children) right under their parent, indented', () => {
    const ordered = orderOptions(frames.type === 'multiple_choice' ? frames.options : []).map(({ option, depth }) => [option.value, depth]);
    expect(ordered).toEqual([
      ['parent_a', 0],
      ['child_a', 1],
      ['grandchild', 2],
      ['parent_b', 0],
      ['child_b', 1],
    ]);
  });

  it('shows options whose parent is unknown at the top level', () => {
    expect(orderOptions([opt('a', 'A', 'missing')]).map((o) => o.depth)).toEqual([0]);
  });
});

describe('choicesOf', () => {
  it('lists scale points in order, and N/A last when the field allows it', () => {
    expect(choicesOf(impact).map((c) => c.value)).toEqual([-1, 0, 1]);
    expect(choicesOf(dimension).map((c) => c.value)).toEqual(['speech', 'access', NA]);
    expect(choicesOf(count)).toEqual([]);
  });
});

describe('pick', () => {
  it('replaces the value of single choice and ordinal fields', () => {
    expect(pick(dimension, 'speech', 'access')).toBe('access');
    expect(pick(impact, undefined, 0)).toBe(0);
    expect(pick(dimension, 'speech', NA)).toEqual(NA);
  });

  it('toggles options of a multiple choice field; N/A replaces the set and toggles off', () => {
    expect(pick(frames, undefined, 'parent_a')).toEqual(['parent_a']);
    expect(pick(frames, ['parent_a'], 'child_a')).toEqual(['parent_a', 'child_a']);
    expect(pick(frames, ['parent_a', 'child_a'], 'parent_a')).toEqual(['child_a']);
    expect(pick(frames, ['child_a'], 'child_a')).toEqual([]);
    expect(pick(frames, ['child_a'], NA)).toEqual(NA);
    expect(pick(frames, NA, NA)).toBeUndefined();
    expect(pick(frames, NA, 'parent_b')).toEqual(['parent_b']);
  });
});

describe('isSelected', () => {
  it('knows set membership, single values and N/A', () => {
    expect(isSelected(['a', 'b'], 'b')).toBe(true);
    expect(isSelected(['a'], 'b')).toBe(false);
    expect(isSelected(0, 0)).toBe(true);
    expect(isSelected(NA, NA)).toBe(true);
    expect(isSelected('speech', NA)).toBe(false);
    expect(isSelected(undefined, 'a')).toBe(false);
  });
});

describe('readValues: form state from a coding document', () => {
  it('keeps values that fit the codebook and reports the rest', () => {
    const { values, invalid } = readValues(fields, [
      ['frames', ['parent_a', 'child_a']],
      ['dimension', { na: true }],
      ['impact', 5],
      ['count', 3],
      ['note', 'far too long'],
      ['unknown', 'x'],
      ['count2', { na: true, extra: 1 }],
    ]);
    expect(values).toEqual({ frames: ['parent_a', 'child_a'], dimension: NA, count: 3 });
    expect(invalid.sort()).toEqual(['count2', 'impact', 'note', 'unknown']);
  });

  it('recognises the CodingValue shapes', () => {
    expect(isCodingValue('x')).toBe(true);
    expect(isCodingValue(Number.NaN)).toBe(false);
    expect(isCodingValue(['a', 1])).toBe(false);
    expect(isCodingValue({ na: true })).toBe(true);
    expect(isCodingValue({ na: false })).toBe(false);
    expect(isCodingValue(null)).toBe(false);
  });
});

describe('missingRequired', () => {
  it('lists required fields without a value; N/A and the empty set count as values', () => {
    expect(missingRequired(fields, {}).map((f) => f.key)).toEqual(['frames', 'dimension']);
    expect(missingRequired(fields, { frames: [], dimension: NA })).toEqual([]);
  });
});

describe('parseNumber', () => {
  it('clears on empty input and checks the bounds with the shared checkValue', () => {
    expect(parseNumber(count, ' ')).toEqual({ value: undefined });
    expect(parseNumber(count, '4')).toEqual({ value: 4 });
    expect(parseNumber(count, 'abc')).toEqual({ error: 'Enter a number.' });
    expect(parseNumber(count, '11')).toEqual({ error: 'field "count" must be at most 10' });
    expect(parseNumber(count, '1.5')).toEqual({ error: 'field "count" expects an integer' });
  });
});

describe('describeValue', () => {
  it('shows labels, scale points, N/A and missing', () => {
    expect(describeValue(frames, ['parent_a', 'child_b'])).toBe('Parent A; Child B');
    expect(describeValue(frames, [])).toBe('(none)');
    expect(describeValue(impact, 1)).toBe('1 · Beneficial');
    expect(describeValue(dimension, NA)).toBe('N/A');
    expect(describeValue(dimension, undefined)).toBe('—');
    expect(describeValue(note, 'hi')).toBe('hi');
  });
});

describe('presence and navigation helpers', () => {
  it('gives every user a stable #rrggbb colour and initials', () => {
    expect(userColor('usr_a')).toMatch(/^#[0-9a-f]{6}$/);
    expect(userColor('usr_a')).toBe(userColor('usr_a'));
    expect(initials('Aida Coder')).toBe('AC');
    expect(initials('  olga ')).toBe('O');
    expect(initials('')).toBe('?');
  });

  it('finds the previous and next item', () => {
    expect(neighbours(['a', 'b', 'c'], 'b')).toEqual({ prev: 'a', next: 'c' });
    expect(neighbours(['a', 'b', 'c'], 'a')).toEqual({ prev: null, next: 'b' });
    expect(neighbours(['a'], 'x')).toEqual({ prev: null, next: null });
  });
});
