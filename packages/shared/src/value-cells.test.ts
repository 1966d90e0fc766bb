import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from './schemas/codebook.ts';
import { formatValue, NA, type CodingValue } from './values.ts';
import { readValueCell, sameValue } from './value-cells.ts';

const frames: FieldDefinition = {
  key: 'frames',
  label: 'Frames',
  help: '',
  type: 'multiple_choice',
  required: false,
  allowNa: true,
  options: ['security', 'leader'].map((value) => ({ value, label: value, parent: null, help: '' })),
};
const impact: FieldDefinition = {
  key: 'impact',
  label: 'Impact',
  help: '',
  type: 'ordinal',
  required: false,
  allowNa: false,
  scale: [-1, 0, 1].map((value) => ({ value, label: String(value) })),
};

describe('reading a value cell', () => {
  it('reads back what formatValue writes', () => {
    for (const v of [['leader', 'security'], [], NA] as CodingValue[]) {
      expect(readValueCell(frames, formatValue(v))).toEqual({ ok: true, value: v });
    }
    expect(readValueCell(impact, formatValue(-1))).toEqual({ ok: true, value: -1 });
  });

  it('reads an empty cell as no value and refuses what the field does not take', () => {
    expect(readValueCell(impact, ' ')).toEqual({ ok: true, value: null });
    expect(readValueCell(impact, 'high')).toMatchObject({ ok: false });
    expect(readValueCell(impact, '5')).toMatchObject({ ok: false });
    expect(readValueCell(impact, 'NA')).toMatchObject({ ok: false });
    expect(readValueCell(frames, 'security|other')).toMatchObject({ ok: false });
  });
});

describe('the same answer', () => {
  it('compares sets as sets and N/A with N/A', () => {
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValue(['a'], ['a', 'b'])).toBe(false);
    expect(sameValue(NA, NA)).toBe(true);
    expect(sameValue(NA, 'a')).toBe(false);
    expect(sameValue(1, 1)).toBe(true);
    expect(sameValue('1', 1)).toBe(false);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue(null, 'a')).toBe(false);
  });
});
