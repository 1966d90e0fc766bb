import { describe, expect, it } from 'vitest';
import { planAssignments } from './sampling.ts';

const items = Array.from({ length: 101 }, (_, i) => `itm_${String(i).padStart(3, '0')}`);
const coders = ['a', 'b', 'c', 'd', 'e'];
const load = (plan: { coderId: string }[]) => {
  const counts = new Map<string, number>();
  for (const p of plan) counts.set(p.coderId, (counts.get(p.coderId) ?? 0) + 1);
  return [...counts.values()];
};

describe('planAssignments', () => {
  it('gives every item k distinct coders, with loads within one of each other', () => {
    const plan = planAssignments(items, coders, { type: 'k', k: 3 }, 42);
    expect(plan).toHaveLength(303);
    for (const item of items) {
      const mine = plan.filter((p) => p.itemId === item).map((p) => p.coderId);
      expect(new Set(mine).size).toBe(3);
    }
    const loads = load(plan);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });

  it('sends a p% sample to every coder and the rest to one each', () => {
    const plan = planAssignments(items, coders, { type: 'sample', percent: 20 }, 7);
    const perItem = new Map<string, number>();
    for (const p of plan) perItem.set(p.itemId, (perItem.get(p.itemId) ?? 0) + 1);
    const overlapped = [...perItem.values()].filter((n) => n === coders.length).length;
    expect(overlapped).toBe(Math.round(0.2 * items.length));
    expect([...perItem.values()].every((n) => n === 1 || n === coders.length)).toBe(true);
    expect(plan).toHaveLength(overlapped * coders.length + (items.length - overlapped));
  });

  it('is reproducible from the seed, whatever the input order', () => {
    const a = planAssignments(items, coders, { type: 'sample', percent: 30 }, 99);
    const b = planAssignments([...items].reverse(), [...coders].reverse(), { type: 'sample', percent: 30 }, 99);
    expect(b).toEqual(a);
    expect(planAssignments(items, coders, { type: 'sample', percent: 30 }, 100)).not.toEqual(a);
  });
});
