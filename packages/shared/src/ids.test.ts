import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('gives prefixed base32 ids, all distinct across many refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('item'));
    for (const id of ids.slice(0, 300)) expect(id).toMatch(/^itm_[a-z2-7]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every character of the alphabet shows up in every position (the bytes are not reused).
    const firsts = new Set(ids.map((id) => id[4]));
    expect(firsts.size).toBe(32);
  });
});
