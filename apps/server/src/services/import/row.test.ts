import { describe, expect, it } from 'vitest';
import { convertRow, isEmptyRow, resolveMapping } from './row.ts';

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

  it('keeps every header as a raw cell, __proto__ and repeated names included (the last of a name wins)', () => {
    const odd = ['title', '__proto__', 'constructor', 'title'];
    const result = convertRow(['A', 'p', 'c', 'B'], odd, resolveMapping(odd, {}).columns, 1);
    if (!('item' in result)) throw new Error('expected an item');
    expect(Object.getPrototypeOf(result.item.raw)).toBe(Object.prototype);
    expect(Object.keys(result.item.raw)).toEqual(['title', '__proto__', 'constructor']);
    expect(JSON.stringify(result.item.raw)).toBe(JSON.stringify(Object.fromEntries(odd.map((h, i) => [h, ['A', 'p', 'c', 'B'][i]]))));
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

describe('Airtable rows', () => {
  const header = ['Record ID', 'Name', 'Link', 'Incident', 'Date', 'Post'];
  const { columns } = resolveMapping(header, {});

  it('takes Record ID as the external id', () => {
    expect(columns).toMatchObject({ externalId: 0, title: 1, url: 2, incident: 3, publishedAt: 4 });
  });

  it('reads a linked-record cell as several incidents, an attachment cell as its link, and keeps line breaks', () => {
    const result = convertRow(['rec1', 'Post', 'shot.png (https://dl.airtable.com/a/shot.png)', 'Inc A, "Inc, B"', '2024-07-05', 'line one\nline two'], header, columns, 1);
    expect(result).toEqual({
      item: expect.objectContaining({ externalId: 'rec1', url: 'https://dl.airtable.com/a/shot.png', incidentNames: ['Inc A', 'Inc, B'], publishedAt: new Date('2024-07-05T00:00:00Z') }),
    });
    expect((result as { item: { raw: Record<string, string> } }).item.raw.Post).toBe('line one\nline two');
  });

  it('leaves a slash date pending for the file to decide its order', () => {
    const result = convertRow(['rec2', 'Post', '', '', '7/5/2024 2:30pm', ''], header, columns, 2);
    expect(result).toEqual({ item: expect.objectContaining({ publishedAt: null, pendingDate: { text: '7/5/2024 2:30pm', first: 7, second: 5, year: 2024, minutes: 870 } }) });
  });

  it('reads an attachment column as links: `name (url)` entries or bare links named by their path, refusing anything else', () => {
    const h = ['Name', 'Attachments'];
    const { columns: cols } = resolveMapping(h, {});
    expect(cols).toMatchObject({ title: 0, attachments: 1 });
    expect(convertRow(['Post', 'a b.png (https://dl.airtable.com/x/a%20b.png),c.pdf (https://dl.airtable.com/y/c.pdf)'], h, cols, 1)).toEqual({
      item: expect.objectContaining({
        attachments: [
          { name: 'a b.png', url: 'https://dl.airtable.com/x/a%20b.png' },
          { name: 'c.pdf', url: 'https://dl.airtable.com/y/c.pdf' },
        ],
      }),
    });
    expect(convertRow(['Post', 'https://example.org/saved/page%201.html, https://example.org/'], h, cols, 1)).toEqual({
      item: expect.objectContaining({
        attachments: [
          { name: 'page 1.html', url: 'https://example.org/saved/page%201.html' },
          { name: 'example.org', url: 'https://example.org/' },
        ],
      }),
    });
    // A JSON import of Airtable's API records: a list of {url, filename}.
    expect(convertRow(['Post', JSON.stringify([{ id: 'att1', url: 'https://dl.airtable.com/z/p.pdf', filename: 'p.pdf', size: 10 }])], h, cols, 1)).toEqual({
      item: expect.objectContaining({ attachments: [{ name: 'p.pdf', url: 'https://dl.airtable.com/z/p.pdf' }] }),
    });
    expect(convertRow(['Post', 'see the shared folder'], h, cols, 2)).toEqual({ errors: [expect.objectContaining({ row: 2, column: 'Attachments' })] });
    expect(convertRow(['Post', ''], h, cols, 3)).toEqual({ item: expect.objectContaining({ attachments: [] }) });
  });

  it('knows a blank row', () => {
    expect(isEmptyRow(['', ' ', ''])).toBe(true);
    expect(isEmptyRow(['', 'x'])).toBe(false);
  });
});
