import { describe, expect, it } from 'vitest';
import { fieldDefinitionSchema, type FieldDefinition } from './codebook.ts';
import { codingValueSchema } from './coding.ts';
import { checkValue, formatValue, NA } from '../values.ts';
import { newId } from '../ids.ts';

const field = (input: unknown): FieldDefinition => fieldDefinitionSchema.parse(input);

const frames = field({
  key: 'frames',
  label: 'Frames',
  type: 'multiple_choice',
  options: [
    { value: 'security', label: 'National security trumps human rights' },
    { value: 'terrorists', label: 'Protesters are terrorists', parent: 'security' },
  ],
});
const impact = field({ key: 'impact', label: 'Impact', type: 'ordinal', allowNa: false, scale: [-1, 0, 1].map((value) => ({ value, label: String(value) })) });
const reach = field({ key: 'reach', label: 'Reach', type: 'number', min: 0, integer: true, allowNa: true });

describe('checkValue', () => {
  it('accepts values that fit the field', () => {
    expect(checkValue(frames, ['security', 'terrorists'])).toBeNull();
    expect(checkValue(impact, -1)).toBeNull();
    expect(checkValue(reach, 12)).toBeNull();
    expect(checkValue(reach, NA)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(checkValue(frames, ['nope'])).toBe('"nope" is not an option of "frames"');
    expect(checkValue(frames, ['security', 'security'])).toBe('field "frames" has a repeated option');
    expect(checkValue(frames, 'security')).toBe('field "frames" expects a list of option values');
    expect(checkValue(impact, 2)).toBe('2 is not a point of the "impact" scale');
    expect(checkValue(impact, NA)).toBe('field "impact" does not allow N/A');
    expect(checkValue(reach, 1.5)).toBe('field "reach" expects an integer');
    expect(checkValue(reach, -1)).toBe('field "reach" must be at least 0');
  });
});

describe('codebook fields', () => {
  it('rejects unknown parents, self-parents and duplicate options', () => {
    const bad = fieldDefinitionSchema.safeParse({
      key: 'f',
      label: 'F',
      type: 'single_choice',
      options: [
        { value: 'a', label: 'A', parent: 'a' },
        { value: 'b', label: 'B', parent: 'zzz' },
        { value: 'b', label: 'B again' },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message).sort()).toEqual(['duplicate option "b"', 'unknown parent option "a"', 'unknown parent option "zzz"']);
  });

  it('forbids "|" in option values, since exports join set values with it', () => {
    expect(fieldDefinitionSchema.safeParse({ key: 'f', label: 'F', type: 'single_choice', options: [{ value: 'a|b', label: 'x' }] }).success).toBe(false);
  });
});

describe('formatValue', () => {
  it('writes the export cell: sorted sets joined with |, N/A as NA, missing as empty', () => {
    expect(formatValue(['terrorists', 'security'])).toBe('security|terrorists');
    expect(formatValue(NA)).toBe('NA');
    expect(formatValue(null)).toBe('');
    expect(formatValue([])).toBe('|');
    expect(formatValue(-3)).toBe('-3');
  });

  it('round-trips through the value schema', () => {
    for (const v of ['x', 3, ['a'], NA]) expect(codingValueSchema.parse(v)).toEqual(v);
    expect(codingValueSchema.safeParse({ na: false }).success).toBe(false);
  });
});

describe('newId', () => {
  it('is prefixed and unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('item')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^itm_[a-z2-7]{16}$/);
  });
});
