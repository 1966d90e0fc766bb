import { describe, expect, it } from 'vitest';
import { NUL_MESSAGE, text } from './common.ts';

describe('text()', () => {
  it('is one schema for every call, so the ~470 fields built on it add no schema of their own to a server', () => {
    expect(text()).toBe(text());
  });

  it('refuses NUL, and what is built on it does too without changing the shared schema', () => {
    const short = text().max(3);
    expect(short).not.toBe(text());
    expect(short.safeParse('a\u0000').error?.issues.map((i) => i.message)).toEqual([NUL_MESSAGE]);
    expect(short.safeParse('abcd').success).toBe(false);
    expect(text().safeParse('abcd').success).toBe(true);
    expect(text().optional().safeParse(undefined).success).toBe(true);
    expect(text().safeParse(undefined).success).toBe(false);
  });
});
