import { describe, expect, it } from 'vitest';
import type { CsvByteSource } from './byte-window.ts';
import { parseReliabilityCsv } from './parse.ts';
import { errorOf } from './test-helpers.ts';

const encoder = new TextEncoder();

/** `text`'s bytes handed out `piece` at a time into a window of `windowBytes`, as a file read in pieces. */
function source(text: string, windowBytes: number, piece = 3): CsvByteSource {
  const bytes = encoder.encode(text);
  let at = 0;
  return {
    windowBytes,
    read: (into, offset) => {
      const n = Math.min(piece, into.length - offset, bytes.length - at);
      into.set(bytes.subarray(at, at + n), offset);
      at += n;
      return n;
    },
  };
}

/** Every construct the wide scanner treats apart, so that some window boundary falls inside each. */
const TRICKY = [
  '\uFEFF\r\n unit , A ,"B ""2""",C\r\n',
  '1, a ,"b",\r\n',
  '\r\n',
  '2,"x, ""y""",a,  é  \n',
  '3,,,\n',
  '4,"multi\r\nline",ü,a\r\n',
  '  ,  , ,\n',
  '5,a-longer-code ,Aa,BB\r',
  '6,BB,"",a\n',
  '7,a,b,"c\n',
  'd"',
].join('');

describe('the wide layout read in pieces', () => {
  it('gives what the whole text gives, wherever the windows end', () => {
    const whole = parseReliabilityCsv(TRICKY, { keepUnitIds: true });
    // A row of blank cells is a unit with every code missing (only an empty line is skipped).
    expect(whole.units).toEqual(['1', '2', '3', '4', '', '5', '6', '7']);
    expect(whole.data.coders).toEqual(['A', 'B "2"', 'C']);
    for (let windowBytes = 1; windowBytes <= TRICKY.length + 1; windowBytes++) {
      for (const piece of [1, 2, 7, 1000]) {
        const parsed = parseReliabilityCsv(source(TRICKY, windowBytes, piece), { keepUnitIds: true });
        expect({ ...parsed, windowBytes, piece }).toEqual({ ...whole, windowBytes, piece });
      }
    }
  });

  it('reads an input that ends with a line break, wherever the windows end (nothing stale read twice)', () => {
    const text = `u,A,B\n${Array.from({ length: 40 }, (_, u) => `${u},${u % 3 ? 'a' : 'b'},b\n`).join('')}`;
    const whole = parseReliabilityCsv(text, { keepUnitIds: true });
    expect(whole.data.nUnits).toBe(40);
    for (let windowBytes = 1; windowBytes <= text.length + 1; windowBytes++) {
      for (const piece of [1, 5, 1000]) {
        expect(parseReliabilityCsv(source(text, windowBytes, piece), { keepUnitIds: true })).toEqual(whole);
      }
    }
  });

  it('reports the same line and column for a bad row, wherever the windows end', () => {
    const text = `u,A,B\r\n1,"a\nb",c\r\n${'2,a,b\r\n'.repeat(5)}3,a\r\n4,a,b\r\n`;
    expect(errorOf(() => parseReliabilityCsv(text, {}))).toMatchObject({ code: 'RAGGED_ROW', line: 9, column: 3 });
    for (let windowBytes = 1; windowBytes <= text.length; windowBytes += 1) {
      expect(errorOf(() => parseReliabilityCsv(source(text, windowBytes), {}))).toMatchObject({ code: 'RAGGED_ROW', line: 9, column: 3 });
    }
  });

  it('refuses a quote left open at the end of the input, and an empty input', () => {
    for (const windowBytes of [1, 4, 64]) {
      expect(errorOf(() => parseReliabilityCsv(source('u,A,B\n1,a,b\n2,"a,b\n', windowBytes), {}))).toMatchObject({ code: 'UNTERMINATED_QUOTE', line: 3 });
      expect(errorOf(() => parseReliabilityCsv(source('\n \n', windowBytes), {}))).toMatchObject({ code: 'EMPTY_INPUT' });
    }
  });

  it('reads a long file whole, wherever the windows end', () => {
    const text = 'unit,coder,value\r\n1,A,a\r\n1,B,"b"\r\n2,A,a\n2,B,a';
    const whole = parseReliabilityCsv(text, {});
    for (let windowBytes = 1; windowBytes <= text.length; windowBytes++) {
      expect(parseReliabilityCsv(source(text, windowBytes), {})).toEqual(whole);
    }
  });
});
