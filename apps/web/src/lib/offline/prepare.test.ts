import { describe, expect, it } from 'vitest';
import type { QueueEntry } from '@concord/shared';
import { itemsToStore, MAX_OFFLINE_ITEMS } from '$lib/offline/prepare.ts';

const entry = (id: string, status: QueueEntry['status'], phase: QueueEntry['phase'] = 'independent') => ({ id, status, phase }) as QueueEntry;

describe('which queue items are stored for offline work', () => {
  it('stores the items still to code, in queue order: not the submitted ones, nor revealed ones', () => {
    const queue = {
      entries: [entry('a', 'submitted'), entry('b', 'todo'), entry('c', 'in_progress'), entry('d', 'todo', 'revealed'), entry('e', 'in_progress', 'joint')],
    };
    expect(itemsToStore(queue).map((e) => e.id)).toEqual(['b', 'c', 'e']);
  });

  it(`stores at most ${MAX_OFFLINE_ITEMS} items, the first ones to code`, () => {
    const entries = Array.from({ length: MAX_OFFLINE_ITEMS + 5 }, (_, i) => entry(`i${i}`, 'todo'));
    const stored = itemsToStore({ entries });
    expect(stored).toHaveLength(MAX_OFFLINE_ITEMS);
    expect(stored[0]!.id).toBe('i0');
    expect(stored.at(-1)!.id).toBe(`i${MAX_OFFLINE_ITEMS - 1}`);
  });
});
