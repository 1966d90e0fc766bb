import { describe, expect, it } from 'vitest';
import type { ItemRow } from '@concord/shared';
import { OVERSCAN, ROW_HEIGHT, rowWindow, scrollToShow, sortRows } from '$lib/item-table.ts';

describe('rowWindow', () => {
  it('renders the visible rows plus the overscan, clamped to the list', () => {
    // 400 px show 10 rows (+1 for a partly visible one).
    expect(rowWindow({ scrollTop: 0, height: 400, count: 10_000 })).toEqual({ start: 0, end: 11 + OVERSCAN });
    expect(rowWindow({ scrollTop: 100 * ROW_HEIGHT, height: 400, count: 10_000 })).toEqual({ start: 100 - OVERSCAN, end: 111 + OVERSCAN });
    expect(rowWindow({ scrollTop: 9_995 * ROW_HEIGHT, height: 400, count: 10_000 })).toEqual({ start: 9_995 - OVERSCAN, end: 10_000 });
  });

  it('renders everything for short lists and nothing for empty ones', () => {
    expect(rowWindow({ scrollTop: 0, height: 800, count: 5 })).toEqual({ start: 0, end: 5 });
    expect(rowWindow({ scrollTop: 0, height: 800, count: 0 })).toEqual({ start: 0, end: 0 });
  });

  it('stays valid when scrolled past the end (the list shrank under the viewport)', () => {
    const w = rowWindow({ scrollTop: 50_000, height: 400, count: 30 });
    expect(w.start).toBeLessThanOrEqual(w.end);
    expect(w.end).toBe(30);
  });
});

describe('rowWindow in blocks', () => {
  it('widens the window to multiples of the block, so small scrolls keep the same rows', () => {
    // Visible rows 100..110, overscan 10 → 90..121, widened to 88..128 in blocks of 8.
    expect(rowWindow({ scrollTop: 100 * ROW_HEIGHT, height: 400, count: 10_000, block: 8 })).toEqual({ start: 88, end: 128 });
    expect(rowWindow({ scrollTop: 101 * ROW_HEIGHT, height: 400, count: 10_000, block: 8 })).toEqual({ start: 88, end: 128 });
    expect(rowWindow({ scrollTop: 0, height: 400, count: 25, block: 8 })).toEqual({ start: 0, end: 24 });
    expect(rowWindow({ scrollTop: 0, height: 400, count: 20, block: 8 })).toEqual({ start: 0, end: 20 });
  });
});

describe('scrollToShow', () => {
  it('scrolls up or down just enough, and not at all for a visible row', () => {
    expect(scrollToShow({ index: 5, scrollTop: 400, height: 400 })).toBe(5 * ROW_HEIGHT);
    expect(scrollToShow({ index: 30, scrollTop: 0, height: 400 })).toBe(31 * ROW_HEIGHT - 400);
    expect(scrollToShow({ index: 3, scrollTop: 0, height: 400 })).toBe(0);
  });
});

const row = (id: string, title: string, extra: Partial<ItemRow> = {}): ItemRow => ({
  id,
  externalId: null,
  title,
  url: null,
  platform: null,
  author: null,
  publishedAt: null,
  incidentId: extra.incidentId ?? null,
  incidentIds: extra.incidentId ? [extra.incidentId] : [],
  archivedAt: null,
  phase: 'independent',
  ...extra,
});

describe('sortRows', () => {
  const rows = [
    row('a', 'Item 10', { publishedAt: '2022-01-03T00:00:00.000Z', incidentId: 'inc_b' }),
    row('b', 'item 9', { incidentId: 'inc_a' }),
    row('c', 'Item 10', { publishedAt: '2022-01-01T00:00:00.000Z' }),
  ];
  const names = new Map([
    ['inc_a', 'Arrest'],
    ['inc_b', 'Election'],
  ]);
  const ids = (r: ItemRow[]) => r.map((x) => x.id);

  it('sorts titles naturally and case-insensitively, keeping ties in project order', () => {
    expect(ids(sortRows(rows, 'title', 'asc', names))).toEqual(['b', 'a', 'c']);
    expect(ids(sortRows(rows, 'title', 'desc', names))).toEqual(['a', 'c', 'b']);
  });

  it('puts empty values last in both directions', () => {
    expect(ids(sortRows(rows, 'publishedAt', 'asc', names))).toEqual(['c', 'a', 'b']);
    expect(ids(sortRows(rows, 'publishedAt', 'desc', names))).toEqual(['a', 'c', 'b']);
  });

  it('sorts incidents by name, and the project order both ways', () => {
    expect(ids(sortRows(rows, 'incident', 'asc', names))).toEqual(['b', 'a', 'c']);
    expect(ids(sortRows(rows, 'order', 'desc', names))).toEqual(['c', 'b', 'a']);
  });
});
