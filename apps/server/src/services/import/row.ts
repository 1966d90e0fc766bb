/**
 * Turns one import row (CSV cells or JSON values) into item values, or problems.
 * Pure, so the rules are tested without a database.
 */
import { httpUrlSchema, IMPORT_TARGETS, parsePlatform, type ErrorDetail, type ImportMapping, type ImportTarget, type Platform } from '@concord/shared';

export interface ImportedItem {
  externalId: string | null;
  title: string;
  url: string | null;
  platform: Platform | null;
  author: string | null;
  publishedAt: Date | null;
  language: string | null;
  body: string;
  reach: number | null;
  likes: number | null;
  shares: number | null;
  comments: number | null;
  incidentName: string | null;
  raw: Record<string, string>;
}

/** Header names commonly used in Airtable exports, tried when a target is not mapped explicitly. */
const ALIASES: Record<ImportTarget, string[]> = {
  externalId: ['externalid', 'external id', 'id', 'item id'],
  title: ['title', 'headline', 'name'],
  url: ['url', 'link'],
  platform: ['platform', 'media platform', 'source platform'],
  author: ['author', 'account', 'source'],
  publishedAt: ['publishedat', 'published at', 'published', 'date'],
  language: ['language', 'lang'],
  body: ['body', 'text', 'content'],
  reach: ['reach', 'popularity', 'views'],
  likes: ['likes', 'reactions'],
  shares: ['shares', 'retweets'],
  comments: ['comments', 'replies'],
  incident: ['incident'],
};

export type ResolvedMapping = Partial<Record<ImportTarget, number>>;

/** Resolves target -> column index. Explicitly mapped headers must exist; `title` is required. */
export function resolveMapping(header: string[], mapping: ImportMapping): { columns: ResolvedMapping; errors: ErrorDetail[] } {
  const normalized = header.map((h) => h.trim().toLowerCase());
  const columns: ResolvedMapping = {};
  const errors: ErrorDetail[] = [];
  // Explicit mappings first: a column mapped to one target is not taken by another's alias.
  const claimed = new Set<number>();
  for (const target of IMPORT_TARGETS) {
    const explicit = mapping[target];
    if (explicit === undefined || explicit === null) continue;
    const at = normalized.indexOf(explicit.trim().toLowerCase());
    if (at === -1) errors.push({ column: explicit, message: `column "${explicit}" (mapped to ${target}) is not in the header` });
    else {
      columns[target] = at;
      claimed.add(at);
    }
  }
  for (const target of IMPORT_TARGETS) {
    if (mapping[target] !== undefined) continue;
    const at = ALIASES[target].map((a) => normalized.indexOf(a)).find((i) => i !== -1 && !claimed.has(i));
    if (at !== undefined) {
      columns[target] = at;
      claimed.add(at);
    }
  }
  if (columns.title === undefined && !errors.some((e) => e.message.includes('(mapped to title)'))) {
    errors.push({ column: 'title', message: 'no column for the required "title": map one (e.g. mapping.title = "Headline")' });
  }
  return { columns, errors };
}

const COUNT_RE = /^\d{1,3}(?:[,\s]\d{3})+$|^\d+$/;

function parseCount(text: string): number | string {
  if (!COUNT_RE.test(text)) return `"${text}" is not a whole number`;
  const n = Number(text.replace(/[,\s]/g, ''));
  return Number.isSafeInteger(n) ? n : `"${text}" is too large`;
}

const US_DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})\s*([ap]m)?)?$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601, or Airtable's M/D/YYYY [h:mm[am|pm]] (read as UTC). */
export function parseDate(text: string): Date | string {
  const us = US_DATE_RE.exec(text);
  if (us) {
    const [, m, d, y, hh, mm, ampm] = us;
    let hour = hh ? Number(hh) : 0;
    if (ampm) hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), hour, mm ? Number(mm) : 0));
    if (date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d)) return date;
    return `"${text}" is not a valid date`;
  }
  if (ISO_RE.test(text)) {
    const date = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length === 10 ? text : `${text}Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return `"${text}" is not a date (use YYYY-MM-DD, ISO 8601 or M/D/YYYY)`;
}

function parseUrl(text: string): string | null {
  const url = httpUrlSchema.safeParse(text);
  return url.success ? url.data : null;
}

const LIMITS = { title: 2000, author: 500, language: 35, externalId: 300, incident: 300, body: 1_000_000 } as const;

/** Converts one row. `row` is 1-based over data rows; errors name it and the column. */
export function convertRow(
  cells: string[],
  header: string[],
  columns: ResolvedMapping,
  row: number,
): { item: ImportedItem } | { errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const cell = (t: ImportTarget): string => {
    const at = columns[t];
    return at === undefined ? '' : (cells[at] ?? '').trim();
  };
  const fail = (t: ImportTarget, message: string) => errors.push({ row, column: header[columns[t]!] ?? t, message });
  const text = (t: keyof typeof LIMITS & ImportTarget): string | null => {
    const v = cell(t);
    if (v.length > LIMITS[t]) fail(t, `longer than ${LIMITS[t]} characters`);
    return v || null;
  };
  const num = (t: 'reach' | 'likes' | 'shares' | 'comments'): number | null => {
    const v = cell(t);
    if (!v) return null;
    const n = parseCount(v);
    if (typeof n === 'string') fail(t, n);
    return typeof n === 'number' ? n : null;
  };

  if (cells.length !== header.length) {
    errors.push({ row, message: `has ${cells.length} cells, the header has ${header.length}` });
  }
  const title = text('title');
  if (!title) fail('title', 'title is empty');
  let url: string | null = null;
  if (cell('url')) {
    url = parseUrl(cell('url'));
    if (!url) fail('url', `"${cell('url')}" is not an http(s) URL`);
  }
  let platform: Platform | null = null;
  if (cell('platform')) {
    platform = parsePlatform(cell('platform'));
    if (!platform) fail('platform', `unknown platform "${cell('platform')}"`);
  }
  let publishedAt: Date | null = null;
  if (cell('publishedAt')) {
    const d = parseDate(cell('publishedAt'));
    if (typeof d === 'string') fail('publishedAt', d);
    else publishedAt = d;
  }
  const item: ImportedItem = {
    externalId: text('externalId'),
    title: title ?? '',
    url,
    platform,
    author: text('author'),
    publishedAt,
    language: text('language'),
    body: text('body') ?? '',
    reach: num('reach'),
    likes: num('likes'),
    shares: num('shares'),
    comments: num('comments'),
    incidentName: text('incident'),
    raw: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])),
  };
  return errors.length ? { errors } : { item };
}
