import { describe, expect, it } from 'vitest';
import { parseShares } from './reliability-planner.ts';

describe('parseShares', () => {
  it('reads value:weight pairs, a bare value counting 1', () => {
    expect(parseShares('-1:1, 0:3\n1')).toEqual({ shares: [{ value: '-1', weight: 1 }, { value: '0', weight: 3 }, { value: '1', weight: 1 }], error: null });
  });

  it('takes the weight after the last colon, so values may hold colons', () => {
    expect(parseShares('a:b:2, c:1').shares).toEqual([{ value: 'a:b', weight: 2 }, { value: 'c', weight: 1 }]);
  });

  it('is none when blank', () => {
    expect(parseShares('  \n ')).toEqual({ shares: null, error: null });
  });

  it('refuses a negative or missing weight, an empty value and a single value', () => {
    expect(parseShares('a:-1, b:1').error).toMatch(/at least 0/);
    expect(parseShares('a:x, b:1').error).toMatch(/must be a number/);
    expect(parseShares(':1, b:1').error).toMatch(/names no value/);
    expect(parseShares('a:1').error).toMatch(/at least two values/);
  });
});
