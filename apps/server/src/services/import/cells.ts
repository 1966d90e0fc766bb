/**
 * Cells read the way Airtable writes them in a CSV export (after the CSV layer has removed
 * the cell's own quotes). Pure functions: a value, or a message saying why not.
 *
 * - Linked records and multi-selects: `Inc A,Inc B` or `Inc A, Inc B`; an entry holding a
 *   comma is quoted, with inner quotes doubled: `"Smith, John",Doe`.
 * - Attachments: `name (url)`, several separated by commas.
 * - Numbers: `1200`, `1,200`, `1 200`, and a zero fraction (`1200.00`, a number field with
 *   decimals shown).
 * - Dates: ISO (`2024-07-05`, `2024-07-05T10:00:00Z`, `2024-07-05 14:30`), Airtable's
 *   "Local"/"US"/"European" `7/5/2024` with an optional `2:30pm` or `14:30`, and "Friendly"
 *   `July 5, 2024` / `5 July 2024`. A slash date is day/month or month/day by the file's
 *   `DateOrder`; `readDate` without an order returns the parts for the caller to decide,
 *   because one file's dates have one order and a single `7/5/2024` cannot tell it.
 * Times without a zone are read as UTC (Airtable's "GMT for all collaborators" export).
 */
import type { DateOrder } from '@concord/shared';

/** Splits a linked-record or multi-select cell into its entries (trimmed, empty ones and repeats dropped). */
export function parseList(cell: string): string[] {
  if (!cell.includes('"')) return unquotedList(cell);
  const out: string[] = [];
  let entry = '';
  let quoted = false;
  let wasQuoted = false;
  const end = () => {
    const value = wasQuoted ? entry : entry.trim();
    if (value && !out.includes(value)) out.push(value);
    entry = '';
    wasQuoted = false;
  };
  for (let i = 0; i < cell.length; i++) {
    const ch = cell[i]!;
    if (quoted) {
      if (ch !== '"') entry += ch;
      else if (cell[i + 1] === '"') {
        entry += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && entry.trim() === '') {
      // An opening quote only at the start of an entry; elsewhere it is text (`5" screen`).
      quoted = true;
      wasQuoted = true;
      entry = '';
    } else if (ch === ',') end();
    else if (!wasQuoted) entry += ch;
  }
  end();
  return out;
}

/** parseList without quotes (nearly every cell): split and trim, not a string built a character at a time. */
function unquotedList(cell: string): string[] {
  const out: string[] = [];
  for (const part of cell.split(',')) {
    const value = part.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

const ATTACHMENT_RE = /\s*(.*?)\s*\((https?:\/\/[^\s()]+)\)\s*(?:,|$)/gy;

/** Reads `name (url), name (url)`; null when the cell is not in that form. */
export function parseAttachments(cell: string): { name: string; url: string }[] | null {
  const out: { name: string; url: string }[] = [];
  ATTACHMENT_RE.lastIndex = 0;
  let at = 0;
  for (let m = ATTACHMENT_RE.exec(cell); m && m[0] !== ''; m = ATTACHMENT_RE.exec(cell)) {
    out.push({ name: m[1]!, url: m[2]! });
    at = ATTACHMENT_RE.lastIndex;
  }
  return out.length && at === cell.length ? out : null;
}

const COUNT_RE = /^(?:\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\.0+)?$/;

/** A whole number (counts: reach, likes…). */
export function parseCount(text: string): number | string {
  if (!COUNT_RE.test(text)) return `"${text}" is not a whole number`;
  const n = Number(text.replace(/[,\s]|\.0+$/g, ''));
  return Number.isSafeInteger(n) ? n : `"${text}" is too large`;
}

/** A slash date whose day/month order the file decides. */
export interface SlashDate {
  text: string;
  first: number;
  second: number;
  year: number;
  minutes: number;
}

/** What a slash date says about the file's order. */
export function slashEvidence(d: SlashDate): DateOrder | 'either' | 'ambiguous' {
  if (d.first > 12) return 'dmy';
  if (d.second > 12) return 'mdy';
  return d.first === d.second ? 'either' : 'ambiguous';
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const TIME = String.raw`(?:[ T,]+(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?)?`;
const SLASH_RE = new RegExp(String.raw`^(\d{1,2})[/.](\d{1,2})[/.](\d{4})${TIME}$`, 'i');
const FRIENDLY_MDY_RE = new RegExp(String.raw`^([a-z]+)\.? (\d{1,2}),? (\d{4})${TIME}$`, 'i');
const FRIENDLY_DMY_RE = new RegExp(String.raw`^(\d{1,2}) ([a-z]+)\.?,? (\d{4})${TIME}$`, 'i');
const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function minutesOf(hh: string | undefined, mm: string | undefined, ampm: string | undefined): number | null {
  if (hh === undefined) return 0;
  let hour = Number(hh);
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm[0]!.toLowerCase() === 'p' ? 12 : 0);
  }
  const minute = Number(mm);
  return hour > 23 || minute > 59 ? null : hour * 60 + minute;
}

function utcDate(year: number, month: number, day: number, minutes: number): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day, 0, minutes));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

function monthOf(name: string): number {
  const key = name.toLowerCase();
  return key.length >= 3 ? MONTHS.findIndex((m) => m.startsWith(key)) + 1 : 0;
}

const invalid = (text: string) => `"${text}" is not a valid date`;

/** A slash date in the given order. */
export function resolveSlashDate(d: SlashDate, order: DateOrder): Date | string {
  const [day, month] = order === 'dmy' ? [d.first, d.second] : [d.second, d.first];
  return utcDate(d.year, month, day, d.minutes) ?? invalid(d.text);
}

/**
 * A date or date-time cell. With `order` a slash date is read in it; without, a slash date
 * comes back as its parts (`{ slash }`) for the caller to resolve once the file's order is known.
 */
export function readDate(text: string, order?: DateOrder): Date | string | { slash: SlashDate } {
  // ISO first: the commonest form (Airtable's), and no other pattern matches what it does.
  if (ISO_RE.test(text)) {
    // A date alone (nearly every Airtable cell): read from its digits, not parsed again by Date. Years
    // under 100 are left to Date (Date.UTC reads them as 19xx).
    if (text.length === 10 && text.charCodeAt(0) > 48) return utcDate(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)), 0) ?? invalid(text);
    const date = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length === 10 ? text : `${text.replace(' ', 'T')}Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text.slice(0, 10)) return date;
    if (!Number.isNaN(date.getTime()) && text.length > 10) return date;
    return invalid(text);
  }
  const slash = SLASH_RE.exec(text);
  if (slash) {
    const minutes = minutesOf(slash[4], slash[5], slash[6]);
    if (minutes === null) return invalid(text);
    const d: SlashDate = { text, first: Number(slash[1]), second: Number(slash[2]), year: Number(slash[3]), minutes };
    return order ? resolveSlashDate(d, order) : { slash: d };
  }
  const friendly = FRIENDLY_MDY_RE.exec(text) ?? FRIENDLY_DMY_RE.exec(text);
  if (friendly) {
    const mdy = /^[a-z]/i.test(text);
    const month = monthOf(mdy ? friendly[1]! : friendly[2]!);
    const minutes = minutesOf(friendly[4], friendly[5], friendly[6]);
    if (!month || minutes === null) return invalid(text);
    return utcDate(Number(friendly[3]), month, Number(mdy ? friendly[2] : friendly[1]), minutes) ?? invalid(text);
  }
  return `"${text}" is not a date (use YYYY-MM-DD, ISO 8601, 7/5/2024 with a day/month order, or July 5, 2024)`;
}
