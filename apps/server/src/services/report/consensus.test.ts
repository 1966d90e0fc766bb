import { describe, expect, it } from 'vitest';
import { fieldDefinitionSchema, NA } from '@concord/shared';
import { consensusValue } from './consensus.ts';

const frames = fieldDefinitionSchema.parse({
  key: 'frames',
  label: 'Frames',
  type: 'multiple_choice',
  allowNa: true,
  options: [{ value: 'a', label: 'A' }, { value: 'a1', label: 'A1', parent: 'a' }, { value: 'b', label: 'B' }],
});
const impact = fieldDefinitionSchema.parse({ key: 'impact', label: 'Impact', type: 'ordinal', scale: [1, 2, 3].map((value) => ({ value, label: String(value) })) });

describe('consensusValue', () => {
  it('takes the decided value over any votes, and leaves out a decision of no value', () => {
    expect(consensusValue(impact, [1, 1, 1], { value: 3 })).toBe(3);
    expect(consensusValue(impact, [1, 1, 1], { value: null })).toBeNull();
  });

  it('takes the value more than half of the coders submitted, else none', () => {
    expect(consensusValue(impact, [2, 2, 2])).toBe(2);
    expect(consensusValue(impact, [2, 3, 2])).toBe(2);
    expect(consensusValue(impact, [1, 2, 3])).toBeNull();
    expect(consensusValue(impact, [1, 2])).toBeNull();
    expect(consensusValue(impact, [])).toBeNull();
    // 9 is no point of the scale (an older codebook): not a vote.
    expect(consensusValue(impact, [9, 9, 1])).toBe(1);
  });

  it('decides each option of a multiple choice on its own', () => {
    expect(consensusValue(frames, [['a1', 'b'], ['a1'], ['b', 'a']])).toEqual(['a1', 'b']);
    expect(consensusValue(frames, [['a'], ['b'], ['a1']])).toBeNull();
    expect(consensusValue(frames, [NA, NA, ['a']])).toEqual(NA);
  });
});
