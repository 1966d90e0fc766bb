/**
 * Turns one import row (CSV cells or JSON values) into item values, or problems.
 * Pure, so the rules are tested without a database.
 */
import { hasNul, IMPORT_TARGETS, MAX_ATTACHMENT_NAME, NUL_MESSAGE, parsePlatform, readHttpUrl, type ErrorDetail, type ImportMapping, type ImportTarget, type Platform } from '@concord/shared';
import { parseAttachments, parseCount, parseList, readDate, type SlashDate } from './cells.ts';

export interface AttachmentLink {
  name: string;
  url: string;
}

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
  translationLanguage: string | null;
  translationTitle: string | null;
  translationBody: string | null;
  /** Linked incidents by name (an Airtable linked-record cell); the first is the primary one. */
  incidentNames: string[];
  /** Actors by name or alias (a linked-record cell): created in the project when it has none of that name. */
  actorNames: string[];
  /** The archived copy's link (Wayback Machine, archive.today…). */
  archivedUrl: string | null;
  /** Attachment links (an Airtable attachment cell), recorded as the item's attachments, never fetched. */
  attachments: AttachmentLink[];
  raw: Record<string, string>;
  /** A slash date read once the file's day/month order is known; `publishedAt` is null until then. */
  pendingDate: SlashDate | null;
}

/** Header names commonly used in Airtable exports, tried when a target is not mapped explicitly. */
const ALIASES: Record<ImportTarget, string[]> = {
  // Airtable's own record id first: its exports always carry it and it never changes.
  externalId: ['record id', 'externalid', 'external id', 'id', 'item id'],
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
  actors: ['actors', 'actor', 'sources', 'speakers'],
  // Airtable bases name a translated column after its language ("Title (English)").
  translationLanguage: ['translation language', 'translation lang', 'language (translation)'],
  translationTitle: ['translation title', 'translated title', 'title (english)', 'title english', 'english title', 'headline (english)'],
  translationBody: ['translation', 'translation body', 'translated text', 'text (english)', 'body (english)', 'english text', 'english translation'],
  attachments: ['attachments', 'attachment', 'files'],
  archivedUrl: ['archivedurl', 'archived url', 'archive url', 'archived link', 'archive link', 'archived copy', 'wayback', 'wayback url', 'wayback link'],
};

export type ResolvedMapping = Partial<Record<ImportTarget, number>>;

/** Resolves target -> column index. Explicitly mapped headers must exist; `title` is required. */
export function resolveMapping(header: string[], mapping: ImportMapping): { columns: ResolvedMapping; errors: ErrorDetail[] } {
  const normalized = header.map((h) => h.trim().toLowerCase());
  const columns: ResolvedMapping = {};
  const errors: ErrorDetail[] = [];
  // Explicit mappings first: a column mapped to one target is not taken by another's alias.
  const claimed = new Set<number>();
  header.forEach((h, i) => {
    if (hasNul(h)) errors.push({ column: `column ${i + 1}`, message: `the header name ${NUL_MESSAGE}` });
  });
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

/** A link, or the first link of an Airtable attachment cell (`name (url)`). */
function parseUrl(text: string): string | null {
  return readHttpUrl(parseAttachments(text)?.[0]?.url ?? text);
}

/** The name a bare link gives its attachment: the last part of its path, else its host. */
function nameOfLink(url: string): string {
  const { pathname, hostname } = new URL(url);
  const last = pathname.split('/').filter(Boolean).at(-1) ?? '';
  try {
    return decodeURIComponent(last) || hostname;
  } catch {
    return last; // a stray % that is no escape
  }
}

/** Airtable's API (a JSON import) gives attachments as `[{url, filename}, …]`; links as strings are taken too. */
function jsonAttachments(text: string): AttachmentLink[] | null {
  if (!text.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const links: AttachmentLink[] = [];
  for (const v of value) {
    if (typeof v === 'string') links.push({ name: '', url: v });
    else if (v && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string') {
      const { url, filename, name } = v as { url: string; filename?: unknown; name?: unknown };
      links.push({ name: typeof filename === 'string' ? filename : typeof name === 'string' ? name : '', url });
    } else return null;
  }
  return links;
}

/** An attachment cell: Airtable's `name (url), …`, bare links separated by commas or white space, or a JSON list. */
function readAttachments(text: string): AttachmentLink[] | string {
  const links = jsonAttachments(text) ?? parseAttachments(text) ?? text.split(/[\s,]+/).filter(Boolean).map((url) => ({ name: '', url }));
  for (const link of links) {
    if (readHttpUrl(link.url) === null) return `"${link.url.slice(0, 80)}" is not an http(s) link or a "name (url)" attachment`;
    if (!link.name) link.name = nameOfLink(link.url).slice(0, MAX_ATTACHMENT_NAME);
    if (link.name.length > MAX_ATTACHMENT_NAME) return `the attachment name "${link.name.slice(0, 40)}…" is longer than ${MAX_ATTACHMENT_NAME} characters`;
  }
  return links;
}

/**
 * An object with the header's names as keys, in the header's order ('' each), made once per
 * header: a row's raw cells are a copy of it filled in (one object of a known shape per row, not
 * ten properties added one by one). A column named __proto__ is an own key like any other (as
 * Object.fromEntries made it), not the prototype; of repeated names the last cell wins.
 */
const rawTemplates = new WeakMap<readonly string[], Record<string, string>>();
function rawTemplate(header: readonly string[]): Record<string, string> {
  let template = rawTemplates.get(header);
  if (!template) {
    template = {};
    for (const name of header) Object.defineProperty(template, name, { value: '', enumerable: true, writable: true, configurable: true });
    rawTemplates.set(header, template);
  }
  return template;
}

/** The row's cells by header name, as stored (this runs once per row of a 100,000-row file). */
function rawCells(header: string[], cells: string[]): Record<string, string> {
  const raw = { ...rawTemplate(header) };
  // An own __proto__ key is set as a value here: assignment finds the own data property first.
  for (let i = 0; i < header.length; i++) raw[header[i]!] = cells[i] ?? '';
  return raw;
}

/** True when every cell is blank: such a row is skipped and counted, not a problem. */
export function isEmptyRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

const LIMITS = {
  title: 2000,
  author: 500,
  language: 35,
  externalId: 300,
  incident: 300,
  actors: 300,
  body: 1_000_000,
  translationLanguage: 35,
  translationTitle: 2000,
  translationBody: 1_000_000,
} as const;

type TextTarget = keyof typeof LIMITS & ImportTarget;
type CountTarget = 'reach' | 'likes' | 'shares' | 'comments';

/**
 * One row being converted: its cells, where to report, and its problems. The helpers are methods
 * of one object per row rather than closures made per row (four closures per row were a visible
 * share of a 100,000-row import's allocations).
 */
class RowReader {
  readonly errors: ErrorDetail[] = [];
  constructor(
    private readonly cells: string[],
    private readonly header: string[],
    private readonly columns: ResolvedMapping,
    private readonly row: number,
  ) {}

  cell(t: ImportTarget): string {
    const at = this.columns[t];
    return at === undefined ? '' : (this.cells[at] ?? '').trim();
  }

  fail(t: ImportTarget, message: string) {
    this.errors.push({ row: this.row, column: this.header[this.columns[t]!] ?? t, message });
  }

  text(t: TextTarget): string | null {
    const v = this.cell(t);
    if (v.length > LIMITS[t]) this.fail(t, `longer than ${LIMITS[t]} characters`);
    return v || null;
  }

  count(t: CountTarget): number | null {
    const v = this.cell(t);
    if (!v) return null;
    const n = parseCount(v);
    if (typeof n === 'string') this.fail(t, n);
    return typeof n === 'number' ? n : null;
  }
}

/**
 * Converts one row. `row` is 1-based over data rows; errors name it and the column. A slash
 * date is left in `pendingDate`: its day/month order is the file's, decided after all rows.
 */
export function convertRow(
  cells: string[],
  header: string[],
  columns: ResolvedMapping,
  row: number,
): { item: ImportedItem } | { errors: ErrorDetail[] } {
  const r = new RowReader(cells, header, columns, row);
  const { errors } = r;
  if (cells.length !== header.length) {
    errors.push({ row, message: `has ${cells.length} cells, the header has ${header.length}` });
  }
  // Every cell is stored (raw), so a NUL anywhere in the row fails it, naming where.
  for (let i = 0; i < cells.length; i++) {
    if (hasNul(cells[i]!)) errors.push({ row, column: header[i] ?? `column ${i + 1}`, message: NUL_MESSAGE });
  }
  const title = r.text('title');
  if (!title) r.fail('title', 'title is empty');
  let url: string | null = null;
  const urlCell = r.cell('url');
  if (urlCell) {
    url = parseUrl(urlCell);
    if (!url) r.fail('url', `"${urlCell}" is not an http(s) URL`);
  }
  let archivedUrl: string | null = null;
  const archivedCell = r.cell('archivedUrl');
  if (archivedCell) {
    // The API's rule (httpUrlSchema, here without zod: readHttpUrl), as for the item's link.
    archivedUrl = parseUrl(archivedCell);
    if (!archivedUrl) r.fail('archivedUrl', `"${archivedCell}" is not an http(s) URL`);
  }
  let platform: Platform | null = null;
  const platformCell = r.cell('platform');
  if (platformCell) {
    platform = parsePlatform(platformCell);
    if (!platform) r.fail('platform', `unknown platform "${platformCell}"`);
  }
  let publishedAt: Date | null = null;
  let pendingDate: SlashDate | null = null;
  const dateCell = r.cell('publishedAt');
  if (dateCell) {
    const d = readDate(dateCell);
    if (typeof d === 'string') r.fail('publishedAt', d);
    else if (d instanceof Date) publishedAt = d;
    else pendingDate = d.slash;
  }
  let attachments: AttachmentLink[] = [];
  const attachmentsCell = r.cell('attachments');
  if (attachmentsCell) {
    const links = readAttachments(attachmentsCell);
    if (typeof links === 'string') r.fail('attachments', links);
    else attachments = links;
  }
  const incidentNames = parseList(r.cell('incident'));
  for (const name of incidentNames) if (name.length > LIMITS.incident) r.fail('incident', `the incident name "${name.slice(0, 40)}…" is longer than ${LIMITS.incident} characters`);
  const actorNames = parseList(r.cell('actors'));
  for (const name of actorNames) {
    if (name.length > LIMITS.actors) r.fail('actors', `the actor name "${name.slice(0, 40)}…" is longer than ${LIMITS.actors} characters`);
    // "|" separates actors in exports (as it does set values).
    if (name.includes('|')) r.fail('actors', `the actor name "${name}" contains "|"`);
  }
  const item: ImportedItem = {
    externalId: r.text('externalId'),
    title: title ?? '',
    url,
    archivedUrl,
    platform,
    author: r.text('author'),
    publishedAt,
    language: r.text('language'),
    body: r.text('body') ?? '',
    reach: r.count('reach'),
    likes: r.count('likes'),
    shares: r.count('shares'),
    comments: r.count('comments'),
    translationLanguage: r.text('translationLanguage'),
    translationTitle: r.text('translationTitle'),
    translationBody: r.text('translationBody'),
    incidentNames,
    actorNames,
    attachments,
    raw: rawCells(header, cells),
    pendingDate,
  };
  return errors.length ? { errors } : { item };
}
