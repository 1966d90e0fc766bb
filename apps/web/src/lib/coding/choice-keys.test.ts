import { NA, type FieldDefinition } from '@concord/shared';
import { describe, expect, it } from 'vitest';
import { choicesOf } from '$lib/coding-form.ts';
import { choiceKeys, DIGIT_PAUSE_MS, DigitEntry, keysHint, matchTyped, stepNote, type DigitStep } from './choice-keys.ts';

const base = { help: '', required: false };
// The shapes of issue 13's findings: 15 narrative frames, and the -3..+3 civic impact scale.
const frames: FieldDefinition = {
  ...base,
  key: 'frames',
  label: 'Narrative frames',
  type: 'multiple_choice',
  allowNa: false,
  options: Array.from({ length: 15 }, (_, i) => ({ value: `f${i + 1}`, label: `Frame ${i + 1}`, parent: null, help: '' })),
};
const impact: FieldDefinition = {
  ...base,
  key: 'impact',
  label: 'Civic impact score',
  type: 'ordinal',
  allowNa: false,
  scale: [-3, -2, -1, 0, 1, 2, 3].map((value) => ({ value, label: `p${value}` })),
};
const popularity: FieldDefinition = {
  ...base,
  key: 'popularity',
  label: 'Popularity',
  type: 'ordinal',
  allowNa: true,
  scale: [1, 2, 3].map((value) => ({ value, label: `p${value}` })),
};
const tenPoints: FieldDefinition = { ...impact, key: 'ten', label: 'Ten', scale: Array.from({ length: 11 }, (_, value) => ({ value, label: `p${value}` })) };
const dimension: FieldDefinition = {
  ...base,
  key: 'dimension',
  label: 'Dimension',
  type: 'single_choice',
  allowNa: true,
  options: ['a', 'b', 'c'].map((value) => ({ value, label: value, parent: null, help: '' })),
};

/** The value each key sequence picks (typed in one go, each key 10 ms after the last), or what is left waiting. */
function typeKeys(field: FieldDefinition, typed: string): { picked: unknown[]; last: DigitStep } {
  const entry = new DigitEntry();
  const picked: unknown[] = [];
  let last: DigitStep = { kind: 'none', typed: '' };
  [...typed].forEach((key, i) => {
    last = entry.press(field, key, i * 10);
    if (last.kind === 'pick') picked.push(choicesOf(field)[last.index]!.value);
  });
  return { picked, last };
}

describe('choiceKeys', () => {
  it('numbers options by their place, N/A last, and scale points by their own value', () => {
    expect(choiceKeys(frames)).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    expect(choiceKeys(dimension)).toEqual(['1', '2', '3', '4']);
    expect(choiceKeys(impact)).toEqual(['-3', '-2', '-1', '0', '1', '2', '3']);
    // A scale's N/A has no value to type.
    expect(choiceKeys(popularity)).toEqual(['1', '2', '3', '']);
  });
});

describe('digits on a scale follow its labels (issue 13: `1` picked -3)', () => {
  it('picks -3 for - 3, +3 for 3 or + 3, and 0 for 0, each at once', () => {
    expect(typeKeys(impact, '-3').picked).toEqual([-3]);
    expect(typeKeys(impact, '3').picked).toEqual([3]);
    expect(typeKeys(impact, '+3').picked).toEqual([3]);
    expect(typeKeys(impact, '0').picked).toEqual([0]);
    expect(typeKeys(impact, '1').picked).toEqual([1]);
  });

  it('waits after - for the digit, and picks nothing for a value the scale lacks', () => {
    expect(typeKeys(impact, '-').last).toMatchObject({ kind: 'wait', index: null, longer: ['-3', '-2', '-1'] });
    expect(typeKeys(impact, '-4').last).toEqual({ kind: 'none', typed: '-4' });
    expect(typeKeys(impact, '7').last).toEqual({ kind: 'none', typed: '7' });
    // `+` and `-` mean nothing on a scale without negative points.
    expect(typeKeys(popularity, '+').last.kind).toBe('none');
    expect(typeKeys(popularity, '-').last.kind).toBe('none');
    expect(typeKeys(popularity, '0').last.kind).toBe('none');
  });

  it('waits on 1 of a 0-10 scale (it may be 10), and takes 10 from two digits', () => {
    expect(typeKeys(tenPoints, '1').last).toMatchObject({ kind: 'wait', index: 1, longer: ['10'] });
    expect(typeKeys(tenPoints, '10').picked).toEqual([10]);
    expect(typeKeys(tenPoints, '5').picked).toEqual([5]);
  });
});

describe('more than nine options: two-digit entry (issue 13: digits reached 9 of 15 frames)', () => {
  it('picks 2-9 at once and 10-15 from two digits', () => {
    expect(typeKeys(frames, '2').picked).toEqual(['f2']);
    expect(typeKeys(frames, '9').picked).toEqual(['f9']);
    expect(typeKeys(frames, '12').picked).toEqual(['f12']);
    expect(typeKeys(frames, '15').picked).toEqual(['f15']);
  });

  it('waits on 1 (it may be 10-15), showing option 1 as what a pause picks', () => {
    const { picked, last } = typeKeys(frames, '1');
    expect(picked).toEqual([]);
    expect(last).toMatchObject({ kind: 'wait', index: 0, longer: ['10', '11', '12', '13', '14', '15'] });
  });

  it('picks nothing for a number past the last option, nor for 0', () => {
    expect(typeKeys(frames, '16')).toEqual({ picked: [], last: { kind: 'none', typed: '16' } });
    expect(typeKeys(frames, '0').last.kind).toBe('none');
  });

  it('keeps a short field as it was: each digit picks at once, N/A by its place', () => {
    expect(typeKeys(dimension, '4').picked).toEqual([NA]);
    expect(typeKeys(dimension, '21').picked).toEqual(['b', 'a']);
  });
});

describe('DigitEntry', () => {
  it('settles a wait with the choice the typed keys name, once', () => {
    const entry = new DigitEntry();
    expect(entry.press(frames, '1', 0).kind).toBe('wait');
    expect(entry.waitingOn).toBe('frames');
    expect(entry.settle()).toEqual({ fieldKey: 'frames', index: 0, typed: '1' });
    expect(entry.waitingOn).toBeNull();
    expect(entry.settle()).toBeNull();
  });

  it('starts afresh after the pause, on another field, and after cancel', () => {
    const entry = new DigitEntry();
    entry.press(frames, '1', 0);
    expect(entry.press(frames, '2', DIGIT_PAUSE_MS)).toEqual({ kind: 'pick', index: 1, typed: '2' });
    entry.press(frames, '1', 0);
    expect(entry.press(impact, '2', 10)).toEqual({ kind: 'pick', index: 5, typed: '2' });
    entry.press(frames, '1', 0);
    entry.cancel();
    expect(entry.settle()).toBeNull();
    expect(entry.press(frames, '3', 10)).toEqual({ kind: 'pick', index: 2, typed: '3' });
  });

  it('settles a lone - with nothing', () => {
    const entry = new DigitEntry();
    entry.press(impact, '-', 0);
    expect(entry.settle()).toEqual({ fieldKey: 'impact', index: null, typed: '-' });
  });
});

describe('what is said', () => {
  it('tells what a wait is for, why nothing was picked, and nothing on a pick (the option takes the focus)', () => {
    expect(stepNote(frames, matchTyped(choiceKeys(frames), '1'))).toBe('Typed 1: type on for 10 to 15, or wait for 1.');
    expect(stepNote(impact, matchTyped(choiceKeys(impact), '-'))).toBe('Typed -: type on for -3, -2 or -1.');
    expect(stepNote(frames, matchTyped(choiceKeys(frames), '16'))).toBe('No choice 16 in Narrative frames.');
    expect(stepNote(frames, matchTyped(choiceKeys(frames), '12'))).toBe('');
  });

  it('explains the keys where places 1-9 are not the whole story', () => {
    expect(keysHint(frames)).toBe("Keys: type an option's number, 1 to 15 (two digits from 10).");
    expect(keysHint(impact)).toBe('Keys: type a score, -3 to 3.');
    expect(keysHint(dimension)).toBe('');
  });
});
