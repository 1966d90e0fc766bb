import { describe, expect, it } from 'vitest';
import { parseAttachments, parseCount, parseList, readDate, resolveSlashDate, slashEvidence, type SlashDate } from './cells.ts';

describe('parseList (linked records, multi-selects)', () => {
  it('splits on commas, with or without a space', () => {
    expect(parseList('Inc A, Inc B')).toEqual(['Inc A', 'Inc B']);
    expect(parseList('Inc A,Inc B')).toEqual(['Inc A', 'Inc B']);
    expect(parseList('Inc A')).toEqual(['Inc A']);
    expect(parseList('')).toEqual([]);
  });

  it("reads Airtable's quoting: entries with commas and doubled quotes", () => {
    expect(parseList('"Smith, John",Doe')).toEqual(['Smith, John', 'Doe']);
    expect(parseList('"The ""Arrest"" case", Other')).toEqual(['The "Arrest" case', 'Other']);
    expect(parseList('5" screen, tablet')).toEqual(['5" screen', 'tablet']);
  });

  it('drops empty entries and repeats', () => {
    expect(parseList('A, , A,B,')).toEqual(['A', 'B']);
  });
});

describe('parseAttachments', () => {
  it('reads name (url) lists', () => {
    expect(parseAttachments('shot 1.png (https://dl.airtable.com/x/shot1.png),page.pdf (https://dl.airtable.com/y/page.pdf)')).toEqual([
      { name: 'shot 1.png', url: 'https://dl.airtable.com/x/shot1.png' },
      { name: 'page.pdf', url: 'https://dl.airtable.com/y/page.pdf' },
    ]);
  });

  it('is null for anything else', () => {
    expect(parseAttachments('https://example.org/a')).toBeNull();
    expect(parseAttachments('a note (see below)')).toBeNull();
    expect(parseAttachments('')).toBeNull();
  });
});

describe('parseCount', () => {
  it('reads Airtable number formats', () => {
    expect(parseCount('1200')).toBe(1200);
    expect(parseCount('1,200')).toBe(1200);
    expect(parseCount('1 200 000')).toBe(1_200_000);
    expect(parseCount('1200.00')).toBe(1200);
  });

  it('refuses fractions and words', () => {
    expect(parseCount('1.5')).toBe('"1.5" is not a whole number');
    expect(parseCount('many')).toBe('"many" is not a whole number');
    expect(parseCount('99999999999999999999')).toBe('"99999999999999999999" is too large');
  });
});

describe('readDate', () => {
  const utc = (s: string) => new Date(`${s}Z`);

  it('reads ISO dates and date-times', () => {
    expect(readDate('2022-01-05')).toEqual(utc('2022-01-05T00:00:00'));
    expect(readDate('2022-11-05T10:00:00+06:00')).toEqual(utc('2022-11-05T04:00:00'));
    expect(readDate('2024-07-05 14:30')).toEqual(utc('2024-07-05T14:30:00'));
  });

  it("reads Airtable's friendly dates and times", () => {
    expect(readDate('July 5, 2024')).toEqual(utc('2024-07-05T00:00:00'));
    expect(readDate('July 5, 2024 2:30pm')).toEqual(utc('2024-07-05T14:30:00'));
    expect(readDate('5 July 2024 14:30')).toEqual(utc('2024-07-05T14:30:00'));
    expect(readDate('Sep 30, 2024')).toEqual(utc('2024-09-30T00:00:00'));
  });

  it('reads a slash date in the order given, with 12- or 24-hour times', () => {
    expect(readDate('7/5/2024', 'mdy')).toEqual(utc('2024-07-05T00:00:00'));
    expect(readDate('7/5/2024', 'dmy')).toEqual(utc('2024-05-07T00:00:00'));
    expect(readDate('1/5/2022 3:04pm', 'mdy')).toEqual(utc('2022-01-05T15:04:00'));
    expect(readDate('12/31/2022 12:00am', 'mdy')).toEqual(utc('2022-12-31T00:00:00'));
    expect(readDate('31/12/2022 23:59', 'dmy')).toEqual(utc('2022-12-31T23:59:00'));
  });

  it('without an order, returns the slash date for the file to decide', () => {
    expect(readDate('7/5/2024 2:30pm')).toEqual({ slash: { text: '7/5/2024 2:30pm', first: 7, second: 5, year: 2024, minutes: 870 } });
  });

  it('rejects impossible and unknown dates', () => {
    expect(readDate('2/30/2022', 'mdy')).toBe('"2/30/2022" is not a valid date');
    expect(readDate('13/25/2022', 'mdy')).toBe('"13/25/2022" is not a valid date');
    expect(readDate('1/5/2022 13:00pm')).toBe('"1/5/2022 13:00pm" is not a valid date');
    expect(readDate('2022-13-45')).toBe('"2022-13-45" is not a valid date');
    expect(readDate('2022-02-30')).toBe('"2022-02-30" is not a valid date');
    expect(readDate('Smarch 5, 2024')).toBe('"Smarch 5, 2024" is not a valid date');
    expect(readDate('yesterday')).toMatch(/^"yesterday" is not a date/);
  });

  it('reads a date alone from its digits as Date reads it: every month 00-13 and day 00-32 of years around the edges', () => {
    // What readDate did before its digit reading (Date parses YYYY-MM-DD as UTC; a rolled-over day is no date).
    const byDate = (text: string) => {
      const date = new Date(text);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? date : `"${text}" is not a valid date`;
    };
    let compared = 0;
    for (const year of ['0000', '0050', '0099', '0100', '0999', '1000', '1900', '1970', '2000', '2023', '2024', '2100', '9999']) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(readDate(text), text).toEqual(byDate(text));
          compared += 1;
        }
      }
    }
    expect(compared).toBe(13 * 14 * 33);
  });
});

describe('slash dates', () => {
  const d = (first: number, second: number): SlashDate => ({ text: `${first}/${second}/2024`, first, second, year: 2024, minutes: 0 });

  it('say what they tell about the order', () => {
    expect(slashEvidence(d(25, 12))).toBe('dmy');
    expect(slashEvidence(d(12, 25))).toBe('mdy');
    expect(slashEvidence(d(7, 5))).toBe('ambiguous');
    expect(slashEvidence(d(5, 5))).toBe('either');
  });

  it('resolve in an order, or say they do not fit it', () => {
    expect(resolveSlashDate(d(25, 12), 'dmy')).toEqual(new Date('2024-12-25T00:00:00Z'));
    expect(resolveSlashDate(d(25, 12), 'mdy')).toBe('"25/12/2024" is not a valid date');
  });
});
