import { describe, expect, it } from 'vitest';
import { isHttpUrl, readHttpUrl, safeHref } from './http-url.ts';
import { httpUrlSchema } from './schemas/http-url.ts';

const HOSTILE = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  ' javascript:alert(1)',
  '\u0000javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'blob:https://example.org/uuid',
  '//evil.example/relative',
  '/items/1',
  'not a url',
  '',
];

describe('item links', () => {
  it('take http and https only', () => {
    for (const url of HOSTILE) expect(isHttpUrl(url), JSON.stringify(url)).toBe(false);
    for (const url of ['http://example.org', 'https://example.org/a?b#c', 'HTTPS://EXAMPLE.ORG']) expect(isHttpUrl(url), url).toBe(true);
  });

  it('render as a link only when safe, whatever was stored before the check', () => {
    for (const url of HOSTILE) expect(safeHref(url), JSON.stringify(url)).toBeNull();
    expect(safeHref(null)).toBeNull();
    expect(safeHref(undefined)).toBeNull();
    expect(safeHref('https://t.me/channel/1')).toBe('https://t.me/channel/1');
  });

  it('are trimmed and length-checked by the schema', () => {
    expect(httpUrlSchema.parse('  https://example.org/a  ')).toBe('https://example.org/a');
    expect(httpUrlSchema.safeParse(` ${'javascript:alert(1)'}`).success).toBe(false);
    expect(httpUrlSchema.safeParse(`https://example.org/${'a'.repeat(4000)}`).success).toBe(false);
  });

  it('read without zod exactly as the schema reads them', () => {
    const cases = [
      ...HOSTILE,
      'http://example.org',
      '  https://example.org/a  ',
      '\thttps://example.org/tab\n',
      'https://example.org/\u0000nul',
      `https://example.org/${'a'.repeat(3980)}`,
      `https://example.org/${'a'.repeat(4000)}`,
      `   https://example.org/${'a'.repeat(3980)}   `,
    ];
    for (const text of cases) {
      const parsed = httpUrlSchema.safeParse(text);
      expect(readHttpUrl(text), JSON.stringify(text.slice(0, 40))).toBe(parsed.success ? parsed.data : null);
    }
    expect(readHttpUrl('  https://example.org/a ')).toBe('https://example.org/a');
  });
});
