/**
 * The CSV record reader shared by both layouts: RFC 4180 quoting, 1-based line numbers,
 * blank records skipped, cells trimmed by the callers. Browser-safe (no Node APIs).
 */
import { ReliabilityError } from './errors.ts';

export const COMMA = 44;
export const QUOTE = 34;
export const NEWLINE = 10;
export const RETURN = 13;

export interface RecordCursor {
  pos: number;
  line: number;
}

/**
 * Reads one record starting at `cursor.pos` into `fields` (cleared first),
 * advancing the cursor past its line break. RFC 4180 quoting.
 */
export function readRecord(text: string, cursor: RecordCursor, fields: string[]): void {
  const length = text.length;
  const rowLine = cursor.line;
  let pos = cursor.pos;
  fields.length = 0;
  for (;;) {
    if (text.charCodeAt(pos) === QUOTE) {
      let value = '';
      let start = pos + 1;
      for (;;) {
        const q = text.indexOf('"', start);
        if (q < 0) {
          throw new ReliabilityError('UNTERMINATED_QUOTE', 'csv requires closing quotes, the quoted field never ends', {
            line: rowLine,
            column: fields.length + 1,
          });
        }
        value += text.slice(start, q);
        for (let i = start; i < q; i++) if (text.charCodeAt(i) === NEWLINE) cursor.line++;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          start = q + 2;
          continue;
        }
        pos = q + 1;
        break;
      }
      // lenient about characters between the closing quote and the delimiter
      while (pos < length) {
        const ch = text.charCodeAt(pos);
        if (ch === COMMA || ch === NEWLINE || ch === RETURN) break;
        pos++;
      }
      fields.push(value);
    } else {
      let end = pos;
      while (end < length) {
        const ch = text.charCodeAt(end);
        if (ch === COMMA || ch === NEWLINE || ch === RETURN) break;
        end++;
      }
      fields.push(text.slice(pos, end));
      pos = end;
    }
    const ch = text.charCodeAt(pos);
    if (ch === COMMA) {
      pos++;
      continue;
    }
    if (ch === RETURN) pos++;
    if (text.charCodeAt(pos) === NEWLINE) pos++;
    cursor.line++;
    cursor.pos = pos;
    return;
  }
}

export function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && (fields[0] ?? '').trim() === '';
}

/**
 * Calls `onRow(fields, line)` for each non-blank record. `fields` is reused
 * between calls; `firstLine` numbers a text that starts mid-file. O(length of text).
 */
export function forEachCsvRow(text: string, onRow: (fields: string[], line: number) => void, firstLine = 1): void {
  const cursor: RecordCursor = { pos: text.charCodeAt(0) === 0xfeff ? 1 : 0, line: firstLine };
  const fields: string[] = [];
  while (cursor.pos < text.length) {
    const line = cursor.line;
    readRecord(text, cursor, fields);
    if (!isBlank(fields)) onRow(fields, line);
  }
}

export function trimCell(cell: string): string {
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  return first === 32 || first === 9 || last === 32 || last === 9 ? cell.trim() : cell;
}

/**
 * Index just past the end of the record that starts at `pos` (quotes respected), or -1 when
 * no line break ends it before `end` (or only a CR at `end - 1`, which may be half of a CR LF).
 */
export function recordEnd(bytes: Uint8Array, pos: number, end: number): number {
  let quoted = false;
  for (let i = pos; i < end; i++) {
    const ch = bytes[i]!;
    if (ch === QUOTE) quoted = !quoted;
    else if (!quoted && (ch === NEWLINE || ch === RETURN)) {
      // A CR last: its LF, if any, is in bytes not yet read.
      if (ch === RETURN && i + 1 === end) return -1;
      return ch === RETURN && bytes[i + 1] === NEWLINE ? i + 2 : i + 1;
    }
  }
  return -1;
}

export function raggedError(line: number, found: number, expected: number): ReliabilityError {
  const column = found < expected ? found + 1 : expected + 1;
  return new ReliabilityError('RAGGED_ROW', `csv requires ${expected} cells per row like the header, this row has ${found}`, { line, column });
}


const decoder = new TextDecoder();

/** The first non-blank record of UTF-8 bytes (after a byte-order mark), trimmed. */
export interface HeaderRecord {
  readonly cells: readonly string[];
  readonly line: number;
  /** Index of the byte after the header's line break. */
  readonly end: number;
  /** Line number of the record after the header. */
  readonly nextLine: number;
}

/**
 * The header of the input `bytes`; with `final` false, `bytes` may be only the start of the
 * input, and `null` says that the header does not end within them.
 */
export function readHeader(bytes: Uint8Array): HeaderRecord;
export function readHeader(bytes: Uint8Array, final: boolean): HeaderRecord | null;
export function readHeader(bytes: Uint8Array, final = true): HeaderRecord | null {
  const fields: string[] = [];
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (pos < bytes.length) {
    let end = recordEnd(bytes, pos, bytes.length);
    if (end < 0) {
      if (!final) return null;
      end = bytes.length;
    }
    const cursor: RecordCursor = { pos: 0, line };
    readRecord(decoder.decode(bytes.subarray(pos, end)), cursor, fields);
    const headerLine = line;
    pos = end;
    line = cursor.line;
    if (!isBlank(fields)) return { cells: fields.map(trimCell), line: headerLine, end: pos, nextLine: line };
  }
  if (!final) return null;
  throw new ReliabilityError('EMPTY_INPUT', 'csv requires a header row, the input is empty', { line: 1, column: 1 });
}
