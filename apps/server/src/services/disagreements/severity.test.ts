import { describe, expect, it } from 'vitest';
import { fieldDefinitionSchema, NA, type FieldDefinition } from '@concord/shared';
import { fieldDistance, spread } from './severity.ts';

const field = (input: unknown): FieldDefinition => fieldDefinitionSchema.parse(input);
const frames = field({
  key: 'frames',
  label: 'Frames',
  type: 'multiple_choice',
  allowNa: true,
  options: [
    { value: 'security', label: 'Security' },
    { value: 'terrorists', label: 'Protesters are terrorists', parent: 'security' },
    { value: 'coup', label: 'A foreign coup', parent: 'security' },
    { value: 'leader', label: 'Best leader' },
  ],
});
const impact = field({ key: 'impact', label: 'Impact', type: 'ordinal', scale: [-3, -2, -1, 0, 1, 2, 3].map((value) => ({ value, label: String(value) })) });
const reach = field({ key: 'reach', label: 'Reach', type: 'number' });

describe('fieldDistance', () => {
  it('scales ordinal differences to the scale range', () => {
    const d = fieldDistance(impact, 0);
    expect(d(-3, 3)).toBe(1);
    expect(d(0, 1)).toBeCloseTo(1 / 6, 15);
    expect(d(2, 2)).toBe(0);
  });

  it('puts a parent nearer its child than another parent, averaging MASI over hierarchy levels', () => {
    const d = fieldDistance(frames, 0);
    expect(d(['security'], ['terrorists'])).toBe(0.5);
    expect(d(['terrorists'], ['coup'])).toBe(0.5);
    expect(d(['security'], ['leader'])).toBe(1);
    expect(d(['terrorists', 'security'], ['security', 'terrorists'])).toBe(0);
    // Level 1: {security} = {security}; level 2: {security, terrorists} is a superset of {security}: MASI 1 - 1/2 x 2/3.
    expect(d(['security', 'terrorists'], ['security'])).toBeCloseTo((0 + (1 - (1 / 2) * (2 / 3))) / 2, 15);
    expect(d(NA, ['security'])).toBe(1);
    expect(d(NA, NA)).toBe(0);
  });

  it('scales numbers to the observed range when the field has no bounds', () => {
    expect(fieldDistance(reach, 200)(100, 150)).toBe(0.25);
    expect(fieldDistance(reach, 0)(1, 2)).toBe(1);
  });
});

describe('spread', () => {
  it('gives the largest and the mean pairwise distance', () => {
    expect(spread([-3, -3, 3], fieldDistance(impact, 0))).toEqual({ max: 1, mean: 2 / 3 });
    expect(spread([1], fieldDistance(impact, 0))).toEqual({ max: 0, mean: 0 });
  });
});
