import { describe, expect, it } from 'vitest';
import { fieldUnits, frameUnits } from './span-units.ts';

describe('span units', () => {
  it('merges overlapping tags of one frame and keeps touching ones apart', () => {
    const tags = [
      { from: 0, to: 5, frame: 'a' },
      { from: 3, to: 8, frame: 'a' },
      { from: 8, to: 10, frame: 'a' },
      { from: 2, to: 4, frame: 'b' },
    ];
    expect(frameUnits(tags, 'a')).toEqual([
      { start: 0, end: 8, value: 'a' },
      { start: 8, end: 10, value: 'a' },
    ]);
  });

  it('cuts the field at every boundary and values a piece by its frames, in codebook order', () => {
    const { units, combinedLength } = fieldUnits(
      [
        { from: 0, to: 10, frame: 'b' },
        { from: 5, to: 15, frame: 'a' },
        { from: 20, to: 25, frame: 'a' },
      ],
      ['a', 'b'],
    );
    expect(units).toEqual([
      { start: 0, end: 5, value: 'b' },
      { start: 5, end: 10, value: 'a + b' },
      { start: 10, end: 15, value: 'a' },
      { start: 20, end: 25, value: 'a' },
    ]);
    expect(combinedLength).toBe(5);
  });

  it('gives no units for no tags', () => {
    expect(fieldUnits([], ['a'])).toEqual({ units: [], combinedLength: 0 });
  });
});
