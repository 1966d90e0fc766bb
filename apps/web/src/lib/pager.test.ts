import { describe, expect, it } from 'vitest';
import { pageCount, pageSearch } from './pager.ts';

describe('pager', () => {
  it('keeps the filters and drops the page number on the first page', () => {
    expect(pageSearch('?status=all&page=3', 1)).toBe('?status=all');
    expect(pageSearch('?status=all', 2)).toBe('?status=all&page=2');
    expect(pageSearch('?frame=terror&page=2', 3)).toBe('?frame=terror&page=3');
    expect(pageSearch('', 1)).toBe('?');
    expect(pageSearch('?page=4', 0)).toBe('?');
  });

  it('counts at least one page', () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
  });
});
