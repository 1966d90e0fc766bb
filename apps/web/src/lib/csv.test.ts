import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '$lib/csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and a BOM', () => {
    const text = '\uFEFFid,title,body\r\n1,"Arrest, day one","He said ""no""\nand left"\n2,plain,\r\n';
    expect(parseCsv(text)).toEqual([
      ['id', 'title', 'body'],
      ['1', 'Arrest, day one', 'He said "no"\nand left'],
      ['2', 'plain', ''],
    ]);
  });

  it('skips empty lines, as the server does, so row numbers match', () => {
    expect(parseCsv('title\n\na\n\n\nb')).toEqual([['title'], ['a'], ['b']]);
  });

  it('keeps ragged rows as they are', () => {
    expect(parseCsv('a,b\n1\n1,2,3\n')).toEqual([['a', 'b'], ['1'], ['1', '2', '3']]);
  });
});

describe('toCsv', () => {
  it('round-trips through parseCsv', () => {
    const records = [
      ['title', 'body', 'reach'],
      ['Arrest, day one', 'He said "no"\r\nand left', '1 200'],
      ['', ' padded ', 'x'],
    ];
    expect(parseCsv(toCsv(records))).toEqual(records);
  });
});
