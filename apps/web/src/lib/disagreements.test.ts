import { describe, expect, it } from 'vitest';
import { groupByItem, handleOf, inboxApiQuery, inboxNeighbours, mentionParts, moveSelection, parseInboxFilters, severityPercent } from './disagreements.ts';

describe('inbox filters', () => {
  it('read the URL, default to open, and leave empty filters out of the API query', () => {
    const f = parseInboxFilters(new URLSearchParams('field=civic_impact&coder=&status=bogus'));
    expect(f).toEqual({ field: 'civic_impact', incident: '', coder: '', status: 'open', page: 1 });
    expect(inboxApiQuery(f)).toEqual({ status: 'open', group: 'item', field: 'civic_impact' });
    expect(inboxApiQuery(parseInboxFilters(new URLSearchParams('incident=inc_1&coder=a@b.c&status=all')))).toEqual({ status: 'all', group: 'item', incident: 'inc_1', coder: 'a@b.c' });
  });

  it('page by whole items: page 3 skips 50 items; a bad page is page 1', () => {
    const f = parseInboxFilters(new URLSearchParams('status=all&page=3'));
    expect(f.page).toBe(3);
    expect(inboxApiQuery(f, true)).toEqual({ status: 'all', group: 'item', limit: '25', offset: '50' });
    expect(parseInboxFilters(new URLSearchParams('page=-2')).page).toBe(1);
    expect(parseInboxFilters(new URLSearchParams('page=x')).page).toBe(1);
  });
});

describe('grouping by item', () => {
  it('gathers consecutive rows of an item and keeps each row’s index in the list', () => {
    const rows = [{ itemId: 'a' }, { itemId: 'a' }, { itemId: 'b' }, { itemId: 'c' }, { itemId: 'c' }];
    expect(groupByItem(rows).map((g) => [g.itemId, g.rows.map((r) => r.index)])).toEqual([
      ['a', [0, 1]],
      ['b', [2]],
      ['c', [3, 4]],
    ]);
    expect(groupByItem([])).toEqual([]);
  });
});

describe('keyboard selection', () => {
  it('starts at the first (j) or last (k) row and stays inside the list', () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(-1, -1, 3)).toBe(2);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(1, 1, 3)).toBe(2);
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});

describe('severity and mentions', () => {
  it('shows severity as a clamped percentage', () => {
    expect(severityPercent(2 / 3)).toBe(67);
    expect(severityPercent(1)).toBe(100);
    expect(severityPercent(1.2)).toBe(100);
  });

  it('cuts a body into text and the mentions of known members only', () => {
    const members = [{ userId: 'u1', email: 'coder1@demo.concord', name: 'Aida Coder' }];
    expect(mentionParts('Ask @coder1. Not @nobody', members)).toEqual([
      { text: 'Ask ', userId: null },
      { text: '@coder1', userId: 'u1' },
      { text: '. Not @nobody', userId: null },
    ]);
    expect(mentionParts('plain', members)).toEqual([{ text: 'plain', userId: null }]);
    expect(handleOf(members[0]!)).toBe('coder1');
  });
});

describe('previous and next in the inbox', () => {
  const order = [
    { itemId: 'a', fieldKey: 'x' },
    { itemId: 'a', fieldKey: 'y' },
    { itemId: 'b', fieldKey: 'x' },
  ];
  it('walks the inbox order, and after a decision took the row out, goes on with the first open one', () => {
    expect(inboxNeighbours(order, 'a', 'y')).toEqual({ prev: order[0], next: order[2], inList: true });
    expect(inboxNeighbours(order, 'a', 'x')).toEqual({ prev: null, next: order[1], inList: true });
    expect(inboxNeighbours(order, 'c', 'x')).toEqual({ prev: null, next: order[0], inList: false });
    expect(inboxNeighbours([], 'c', 'x')).toEqual({ prev: null, next: null, inList: false });
  });
});
