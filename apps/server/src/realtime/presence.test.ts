import { describe, expect, it } from 'vitest';
import { presenceList } from './presence.ts';

const socket = (userId: string, displayName: string, presence: Record<string, string | null>) => ({ data: { userId, displayName, presence } });

describe('presenceList', () => {
  it('lists each user once per item, drops "on the project" for users on an item, and ignores other projects', () => {
    const list = presenceList('prj_1', [
      socket('usr_b', 'Bea', { prj_1: 'itm_2' }),
      socket('usr_b', 'Bea', { prj_1: null }),
      socket('usr_a', 'Ann', { prj_1: 'itm_1', prj_9: 'itm_9' }),
      socket('usr_a', 'Ann', { prj_1: 'itm_1' }),
      socket('usr_a', 'Ann', { prj_1: 'itm_3' }),
      socket('usr_c', 'Cem', { prj_1: null }),
      socket('usr_d', 'Dan', {}),
    ]);
    expect(list).toEqual([
      { userId: 'usr_a', displayName: 'Ann', itemId: 'itm_1' },
      { userId: 'usr_a', displayName: 'Ann', itemId: 'itm_3' },
      { userId: 'usr_b', displayName: 'Bea', itemId: 'itm_2' },
      { userId: 'usr_c', displayName: 'Cem', itemId: null },
      { userId: 'usr_d', displayName: 'Dan', itemId: null },
    ]);
  });
});
