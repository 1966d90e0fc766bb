import { describe, expect, it } from 'vitest';
import { convertRow, parseDate, resolveMapping } from './row.ts';

describe('parseDate', () => {
  it('reads ISO dates and Airtable US dates as UTC', () => {
    expect(parseDate('2022-01-05')).toEqual(new Date('2022-01-05T00:00:00Z'));
    expect(parseDate('2022-11-05T10:00:00+06:00')).toEqual(new Date('2022-11-05T04:00:00Z'));
    expect(parseDate('1/5/2022 3:04pm')).toEqual(new Date('2022-01-05T15:04:00Z'));
    expect(parseDate('12/31/2022 12:00am')).toEqual(new Date('2022-12-31T00:00:00Z'));
  });

  it('rejects impossible and unknown dates', () => {
    expect(typeof parseDate('2/30/2022')).toBe('string');
    expect(typeof parseDate('yesterday')).toBe('string');
    expect(typeof parseDate('2022-13-45')).toBe('string');
  });
});

describe('resolveMapping', () => {
  it('finds Airtable-style headers by alias, and explicit mappings first', () => {
    const { columns, errors } = resolveMapping(['Headline', 'Link', 'Media platform', 'Date', 'My text'], { body: 'my text' });
    expect(errors).toEqual([]);
    expect(columns).toMatchObject({ title: 0, url: 1, platform: 2, publishedAt: 3, body: 4 });
  });

  it('leaves a target mapped to null out, and gives no alias a column mapped explicitly elsewhere', () => {
    const { columns, errors } = resolveMapping(['Title', 'Text', 'Reach'], { title: 'Text', reach: null });
    expect(errors).toEqual([]);
    expect(columns).toEqual({ title: 1 });
  });

  it('requires a title column', () => {
    expect(resolveMapping(['url'], {}).errors).toEqual([expect.objectContaining({ column: 'title' })]);
  });
});

describe('convertRow', () => {
  const header = ['title', 'reach', 'platform'];
  const { columns } = resolveMapping(header, {});
  it('parses counts with thousands separators and keeps the raw row', () => {
    const result = convertRow(['A post', '12,345', 'Telegram'], header, columns, 1);
    expect(result).toEqual({ item: expect.objectContaining({ title: 'A post', reach: 12345, platform: 'telegram', raw: { title: 'A post', reach: '12,345', platform: 'Telegram' } }) });
  });

  it('reports every problem of a row with its row and column', () => {
    const result = convertRow(['', '1.5', 'myspace'], header, columns, 7);
    expect(result).toEqual({
      errors: [
        { row: 7, column: 'title', message: 'title is empty' },
        { row: 7, column: 'platform', message: 'unknown platform "myspace"' },
        { row: 7, column: 'reach', message: '"1.5" is not a whole number' },
      ],
    });
  });
});
