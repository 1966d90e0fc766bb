/**
 * The wide layout: a header row, the unit id in the first column and one column per coder.
 */
import { COMMA, type HeaderRecord, isBlank, NEWLINE, QUOTE, raggedError, readRecord, type RecordCursor, recordEnd, RETURN, trimCell } from './csv-records.ts';
import { MISSING } from './reliability-data.ts';
import { grow, hashBytes, TokenTable } from './token-table.ts';

/** What a scanner found: token ids per unit and coder, before they become categories. */
export interface Scanned {
  readonly tokens: TokenTable;
  /** Token ids per unit x coder, -1 missing. */
  readonly codes: Int32Array;
  readonly nUnits: number;
  readonly coders: readonly string[];
  readonly units: readonly string[];
}

const SPACE = 32;
const TAB = 9;
const decoder = new TextDecoder();

function isBlankByte(ch: number): boolean {
  return ch === SPACE || ch === TAB;
}

/**
 * The wide layout's hot path: scans UTF-8 bytes of unquoted rows, hashing
 * each trimmed cell and interning it without allocating a string. A row with
 * a quote is decoded and read by the RFC 4180 record reader instead.
 */
/** `firstCoder`: the 0-based column of the first coder (after the unit id and any item columns). */
export function scanWide(bytes: Uint8Array, header: HeaderRecord, firstCoder: number, keepUnitIds: boolean): Scanned {
  const tokens = new TokenTable();
  const units: string[] = [];
  const fields: string[] = [];
  const length = bytes.length;
  let pos = header.end;
  let line = header.nextLine;
  const width = header.cells.length;
  // Sized from the rows' length at the start of the file, and doubled in the rare file whose
  // later rows are shorter. Counting the line breaks first (a Buffer.indexOf per line) was
  // about a sixth of the whole `concord reliability` process on 1,000,000 rows.
  let codes = new Int32Array(Math.max(1, estimateRows(bytes, pos) * (width - firstCoder)));
  let n = 0;
  let nUnits = 0;
  while (pos < length) {
    const rowStart = pos;
    const rowLine = line;
    const codesAtRowStart = n;
    if (n + width > codes.length) codes = grow(codes, n + width);
    let column = 0;
    let quoted = false;
    let blank = true;
    let unitStart = 0;
    let unitEnd = 0;
    for (;;) {
      let ch = pos < length ? bytes[pos]! : NEWLINE;
      while ((ch === SPACE || ch === TAB) && pos < length) ch = ++pos < length ? bytes[pos]! : NEWLINE;
      if (ch === QUOTE) {
        quoted = true;
        break;
      }
      const start = pos;
      if (column >= firstCoder && column < width) {
        // A code: hashed on the way, trailing blanks (rare) trimmed and hashed again after.
        let hash = 0;
        while (ch !== COMMA && ch !== NEWLINE && ch !== RETURN) {
          hash = (Math.imul(hash, 31) + ch) | 0;
          ch = ++pos < length ? bytes[pos]! : NEWLINE;
        }
        let end = pos;
        if (end > start && isBlankByte(bytes[end - 1]!)) {
          while (end > start && isBlankByte(bytes[end - 1]!)) end--;
          hash = hashBytes(bytes, start, end);
        }
        if (end > start) {
          blank = false;
          codes[n++] =
            end - start <= 3 ? tokens.idForShort(bytes, start, end, hash, rowLine, column + 1) : tokens.idForRange(bytes, start, end, hash, rowLine, column + 1);
        } else codes[n++] = MISSING;
      } else {
        // The unit id and any item columns: only their extent matters.
        while (ch !== COMMA && ch !== NEWLINE && ch !== RETURN) ch = ++pos < length ? bytes[pos]! : NEWLINE;
        let end = pos;
        while (end > start && isBlankByte(bytes[end - 1]!)) end--;
        if (end > start) blank = false;
        if (column === 0) {
          unitStart = start;
          unitEnd = end;
        }
      }
      column++;
      if (ch === COMMA && pos < length) {
        pos++;
        continue;
      }
      if (ch === RETURN && pos < length) pos++;
      if (pos < length && bytes[pos] === NEWLINE) pos++;
      break;
    }
    if (quoted) {
      n = codesAtRowStart;
      const end = recordEnd(bytes, rowStart);
      const cursor: RecordCursor = { pos: 0, line: rowLine };
      readRecord(decoder.decode(bytes.subarray(rowStart, end)), cursor, fields);
      pos = end;
      line = cursor.line;
      if (isBlank(fields)) continue;
      if (fields.length !== width) throw raggedError(rowLine, fields.length, width);
      if (keepUnitIds) units.push(trimCell(fields[0] ?? ''));
      for (let c = firstCoder; c < width; c++) {
        const cell = trimCell(fields[c] ?? '');
        codes[n++] = cell === '' ? MISSING : tokens.id(cell, rowLine, c + 1);
      }
      nUnits++;
      continue;
    }
    line++;
    if (blank && column === 1) {
      n = codesAtRowStart;
      continue;
    }
    if (column !== width) throw raggedError(rowLine, column, width);
    if (keepUnitIds) units.push(decoder.decode(bytes.subarray(unitStart, unitEnd)));
    nUnits++;
  }
  return { tokens, codes: codes.subarray(0, n), nUnits, coders: header.cells.slice(firstCoder), units };
}

/** Rows from `pos` on, estimated from the line length in the next 64 KiB, with a tenth to spare. */
function estimateRows(bytes: Uint8Array, pos: number): number {
  const end = Math.min(bytes.length, pos + 65_536);
  let lines = 0;
  for (let i = pos; i < end; i++) if (bytes[i] === NEWLINE) lines++;
  if (end === bytes.length) return lines + 1;
  const perLine = lines > 0 ? (end - pos) / lines : end - pos;
  return Math.ceil(((bytes.length - pos) / perLine) * 1.1) + 1;
}
