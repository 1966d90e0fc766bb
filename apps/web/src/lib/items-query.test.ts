import { describe, expect, it } from 'vitest';
import { filtersSearch, isFiltered, itemsApiQuery, NO_FILTERS, parseItemFilters } from '$lib/items-query.ts';

describe('parseItemFilters', () => {
  it('reads every filter from the URL', () => {
    const filters = parseItemFilters(new URLSearchParams('incident=inc_1&platform=telegram&phase=joint&coder=usr_1&q=%20protest%20'));
    expect(filters).toEqual({ incident: 'inc_1', platform: 'telegram', phase: 'joint', coder: 'usr_1', q: 'protest' });
  });

  it('falls back to no filter for missing or invalid values', () => {
    expect(parseItemFilters(new URLSearchParams(''))).toEqual(NO_FILTERS);
    expect(parseItemFilters(new URLSearchParams('phase=done&platform=myspace'))).toEqual(NO_FILTERS);
  });

  it('caps the search text at the API limit of 200 characters', () => {
    expect(parseItemFilters(new URLSearchParams({ q: 'x'.repeat(500) })).q).toHaveLength(200);
  });
});

describe('itemsApiQuery', () => {
  it('leaves empty filters out', () => {
    expect(itemsApiQuery(NO_FILTERS)).toEqual({});
    expect(itemsApiQuery({ ...NO_FILTERS, phase: 'revealed', q: 'vpn' })).toEqual({ phase: 'revealed', q: 'vpn' });
  });
});

describe('filtersSearch', () => {
  it('round-trips through parseItemFilters', () => {
    const filters = { incident: 'inc_2', platform: 'news' as const, phase: 'independent' as const, coder: 'usr_9', q: 'a & b' };
    const search = filtersSearch(filters);
    expect(search.startsWith('?')).toBe(true);
    expect(parseItemFilters(new URLSearchParams(search))).toEqual(filters);
    expect(isFiltered(filters)).toBe(true);
  });

  it('is empty when nothing is filtered', () => {
    expect(filtersSearch(NO_FILTERS)).toBe('');
    expect(isFiltered(NO_FILTERS)).toBe(false);
  });
});
