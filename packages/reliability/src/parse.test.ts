import { describe, expect, it } from 'vitest';
import { forEachCsvRow, parseReliabilityCsv } from './parse.ts';
import { errorOf } from './test-helpers.ts';

describe('parseReliabilityCsv', () => {
  it('reads the wide layout with BOM, CRLF, blank lines, quotes and trimming', () => {
    const { data, units } = parseReliabilityCsv('\uFEFFunit, A ,B\r\n1, a ,"b"\r\n\r\n2,"x, ""y""",a\n3,,\n', { keepUnitIds: true });
    expect(data.coders).toEqual(['A', 'B']);
    expect(units).toEqual(['1', '2', '3']);
    expect(data.categories).toEqual(['a', 'b', 'x, "y"']);
    expect(Array.from(data.values)).toEqual([0, 1, 2, 0, -1, -1]);
  });

  it('reads every row of a wide file whose later rows are much shorter than its first 64 KiB', () => {
    // The code array is sized from the first rows' length, so this file outgrows it several times.
    const long = Array.from({ length: 500 }, (_, u) => `${'unit-with-a-long-identifier-'.repeat(8)}${u},a,b`);
    const short = Array.from({ length: 40_000 }, (_, u) => `${u},b,${u % 2 ? 'a' : ''}`);
    const { data } = parseReliabilityCsv(['u,A,B', ...long, ...short].join('\n'), {});
    expect(data.nUnits).toBe(40_500);
    expect(Array.from(data.values.subarray(0, 2))).toEqual([0, 1]);
    expect(Array.from(data.values.subarray(-4))).toEqual([1, -1, 1, 0]);
  });

  it('tells apart short codes whose hashes collide, and trims blanks after a code', () => {
    // "Aa" and "BB" have the same 31-multiplier hash, so they meet in the short-code cache.
    const { data } = parseReliabilityCsv('u,A,B\n1,Aa,BB\n2,BB ,Aa\t\n3, a-longer-code  ,a-longer-code\n4,BB,\n', {});
    expect(data.categories).toEqual(['Aa', 'BB', 'a-longer-code']);
    expect(Array.from(data.values)).toEqual([0, 1, 1, 0, 2, 2, 1, -1]);
  });

  it('reads bytes and strings alike, including non-ASCII labels', () => {
    const text = 'unit,A,B\n1,é,ü\n2,ü,ü\n';
    const fromText = parseReliabilityCsv(text, {});
    const fromBytes = parseReliabilityCsv(new TextEncoder().encode(text), {});
    expect(fromBytes.data).toEqual(fromText.data);
    expect(fromText.data.categories).toEqual(['é', 'ü']);
  });

  it('orders numeric labels numerically and keeps a declared order', () => {
    expect(parseReliabilityCsv('u,A,B\n1,10,9\n2,2,1\n', {}).data.categories).toEqual(['1', '2', '9', '10']);
    expect(parseReliabilityCsv('u,A,B\n1,b,a\n', { categories: ['b', 'a', 'c'] }).data.categories).toEqual(['b', 'a', 'c']);
  });

  it('reads set values; a lone | is the empty set', () => {
    const { data } = parseReliabilityCsv('u,A,B\n1,a|b,b| a\n2,|,c\n3,,a\n', { sets: true });
    expect(data.categories).toEqual(['a', 'b', 'c']);
    expect(data.sets.map((s) => Array.from(s))).toEqual([[0, 1], [], [2], [0]]);
    expect(Array.from(data.values)).toEqual([0, 0, 1, 2, -1, 3]);
  });

  it('reads the long layout by header names in any order', () => {
    const { data, units } = parseReliabilityCsv('value,coder,unit\na,A,u1\nb,B,u1\na,B,u2\n', { layout: 'long' });
    expect(units).toEqual(['u1', 'u2']);
    expect(data.coders).toEqual(['A', 'B']);
    expect(Array.from(data.values)).toEqual([0, 1, -1, 0]);
  });

  it('reports positions in errors', () => {
    expect(errorOf(() => parseReliabilityCsv('u,A,B\n1,a,b\n2,a\n', {}))).toMatchObject({ code: 'RAGGED_ROW', line: 3, column: 3 });
    expect(errorOf(() => parseReliabilityCsv('u,A,B\n1,a,b\n2,a,b,c\n', {}))).toMatchObject({ code: 'RAGGED_ROW', line: 3, column: 4 });
    expect(errorOf(() => parseReliabilityCsv('u,A,B\n1,"a\n', {}))).toMatchObject({ code: 'UNTERMINATED_QUOTE', line: 2 });
    expect(errorOf(() => parseReliabilityCsv('', {}))).toMatchObject({ code: 'EMPTY_INPUT' });
    expect(errorOf(() => parseReliabilityCsv('u,A,B\n1,a,b\n2,"q",z\n', { categories: ['a', 'b', 'q'] }))).toMatchObject({
      code: 'UNKNOWN_CATEGORY',
      line: 3,
      column: 3,
    });
  });

  it('counts lines inside quoted fields', () => {
    expect(errorOf(() => parseReliabilityCsv('u,A,B\n1,"multi\nline",b\n2,a\n', {}))).toMatchObject({ line: 4 });
  });
});

describe('forEachCsvRow', () => {
  it('yields records with their starting line', () => {
    const seen: [string[], number][] = [];
    forEachCsvRow('a,b\n\n"c\nd",e\r\nf', (fields, line) => seen.push([[...fields], line]));
    expect(seen).toEqual([[['a', 'b'], 1], [['c\nd', 'e'], 3], [['f'], 5]]);
  });
});
