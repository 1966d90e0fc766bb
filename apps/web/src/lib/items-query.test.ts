import { describe, expect, it } from 'vitest';
import { filtersSearch, itemsApiQuery, pageInfo, parseItemFilters, PAGE_SIZE } from '$lib/items-query.ts';

describe('parseItemFilters', () => {
  it('reads every filter from the URL', () => {
    const filters = parseItemFilters(new URLSearchParams('incident=inc_1&phase=joint&q=%20protest%20&page=3'));
    expect(filters).toEqual({ incident: 'inc_1', phase: 'joint', q: 'protest', page: 3 });
  });

  it('falls back to no filter and page 1 for missing or invalid values', () => {
    expect(parseItemFilters(new URLSearchParams(''))).toEqual({ incident: '', phase: '', q: '', page: 1 });
    expect(parseItemFilters(new URLSearchParams('phase=done&page=0'))).toMatchObject({ phase: '', page: 1 });
    expect(parseItemFilters(new URLSearchParams('page=2.5')).page).toBe(1);
    expect(parseItemFilters(new URLSearchParams('page=abc')).page).toBe(1);
  });

  it('caps the search text at the API limit of 200 characters', () => {
    expect(parseItemFilters(new URLSearchParams({ q: 'x'.repeat(500) })).q).toHaveLength(200);
  });
});

describe('itemsApiQuery', () => {
  it('turns the page into limit and offset and leaves empty filters out', () => {
    expect(itemsApiQuery({ incident: '', phase: '', q: '', page: 1 })).toEqual({ limit: String(PAGE_SIZE), offset: '0' });
    expect(itemsApiQuery({ incident: 'inc_1', phase: 'revealed', q: 'vpn', page: 3 })).toEqual({
      limit: '50',
      offset: '100',
      incident: 'inc_1',
      phase: 'revealed',
      q: 'vpn',
    });
  });
});

describe('filtersSearch', () => {
  it('round-trips through parseItemFilters', () => {
    const filters = { incident: 'inc_2', phase: 'independent' as const, q: 'a & b', page: 2 };
    const search = filtersSearch(filters);
    expect(search.startsWith('?')).toBe(true);
    expect(parseItemFilters(new URLSearchParams(search))).toEqual(filters);
  });

  it('is empty when nothing is filtered on the first page', () => {
    expect(filtersSearch({ incident: '', phase: '', q: '', page: 1 })).toBe('');
  });
});

describe('pageInfo', () => {
  it('describes full and partial pages', () => {
    expect(pageInfo(120, 1)).toEqual({ page: 1, pageCount: 3, from: 1, to: 50 });
    expect(pageInfo(120, 3)).toEqual({ page: 3, pageCount: 3, from: 101, to: 120 });
    expect(pageInfo(30, 1)).toEqual({ page: 1, pageCount: 1, from: 1, to: 30 });
  });

  it('has one empty page when there are no items', () => {
    expect(pageInfo(0, 1)).toEqual({ page: 1, pageCount: 1, from: 0, to: 0 });
  });

  it('shows no rows for a page past the end', () => {
    expect(pageInfo(30, 4)).toEqual({ page: 4, pageCount: 1, from: 0, to: 0 });
  });
});
