import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvTable, spreadsheetSafe } from './csv.ts';

describe('spreadsheetSafe', () => {
  it('leaves plain numbers as numbers', () => {
    for (const n of ['-3', '-0.5', '+2', '0', '1e3', '-1.5E-3', '.5', '-.5']) expect(spreadsheetSafe(n)).toBe(n);
  });

  it('turns anything else that starts like a formula into text', () => {
    for (const s of ['=1+1', '+cmd|x', '-1+1', '-', '--1', '-3 ', '@SUM(A1)', '\t=1', '\r=1', '\n=1', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20A1']) {
      expect(spreadsheetSafe(s)).toBe(`'${s}`);
    }
  });

  it('leaves other text alone', () => {
    for (const s of ['', 'NA', '|', "it's", 'a=b', 'x@example.org', '2026-01-05T10:00:00.000Z', 'itm_123']) expect(spreadsheetSafe(s)).toBe(s);
  });
});

describe('csvTable', () => {
  it('quotes as RFC 4180 after neutralising, so a parser reads the safe cell back', () => {
    const rows = [['=HYPERLINK("http://x","a, b")', '-3', ' padded ', 'line\r\nbreak']];
    const csv = csvTable(['a', 'b', 'c', 'd'], rows);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parse(csv)).toEqual([['a', 'b', 'c', 'd'], [`'=HYPERLINK("http://x","a, b")`, '-3', ' padded ', 'line\r\nbreak']]);
  });
});
