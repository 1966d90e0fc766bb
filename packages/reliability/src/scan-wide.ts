/**
 * The wide layout: a header row, the unit id in the first column and one column per coder.
 */
import { afterLastNewline, type ByteWindow } from './byte-window.ts';
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
/** 1 for the bytes that end a cell (comma, LF, CR): one load and test per byte instead of three. */
const STOPS = new Uint8Array(256);
STOPS[COMMA] = 1;
STOPS[NEWLINE] = 1;
STOPS[RETURN] = 1;

function isBlankByte(ch: number): boolean {
  return ch === SPACE || ch === TAB;
}

/**
 * Scans the rows after the header, window by window. Each region scanned ends with a line
 * break (the window's last complete line, or the input's end, given one by `terminate`), so the
 * per-byte loops need no end-of-input check. Unquoted rows are scanned as UTF-8 bytes, each
 * trimmed code hashed and interned without allocating a string; a row with a quoted cell is
 * decoded and read by the RFC 4180 record reader (a quoted record that goes on past the region
 * waits for the next window).
 *
 * One function for all windows, not a call per window: V8 optimizes the row loop while it
 * runs (on-stack replacement), before the code after it has ever run, and a call per window
 * left the optimized code at that exit every time (a deoptimization per window, 85 on 21 MB).
 * `firstCoder`: the 0-based column of the first coder (after the unit id and any item columns).
 */
export function scanWide(window: ByteWindow, header: HeaderRecord, firstCoder: number, keepUnitIds: boolean): Scanned {
  const tokens = new TokenTable();
  const units: string[] = [];
  const fields: string[] = [];
  const width = header.cells.length;
  let line = header.nextLine;
  // Sized from the rows' length at the start of the input, and doubled in the rare file whose
  // later rows are shorter. Counting the line breaks first (a Buffer.indexOf per line) was
  // about a sixth of the whole `concord reliability` process on 1,000,000 rows.
  let codes = new Int32Array(Math.max(1, estimateRows(window, header.end) * (width - firstCoder)));
  let n = 0;
  let nUnits = 0;
  let bytes = window.bytes;
  let pos = header.end;
  let end = afterLastNewline(bytes, pos, window.length);
  let final = false;
  for (;;) {
    while (pos < end) {
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
        let ch = bytes[pos]!;
        while (ch === SPACE || ch === TAB) ch = bytes[++pos]!;
        if (ch === QUOTE) {
          quoted = true;
          break;
        }
        const start = pos;
        if (column >= firstCoder && column < width) {
          // A code: hashed on the way, trailing blanks (rare) trimmed and hashed again after.
          let hash = 0;
          while (STOPS[ch] === 0) {
            hash = (Math.imul(hash, 31) + ch) | 0;
            ch = bytes[++pos]!;
          }
          let cellEnd = pos;
          if (cellEnd > start && isBlankByte(bytes[cellEnd - 1]!)) {
            while (cellEnd > start && isBlankByte(bytes[cellEnd - 1]!)) cellEnd--;
            hash = hashBytes(bytes, start, cellEnd);
          }
          if (cellEnd > start) {
            blank = false;
            codes[n++] =
              cellEnd - start <= 3
                ? tokens.idForShort(bytes, start, cellEnd, hash, rowLine, column + 1)
                : tokens.idForRange(bytes, start, cellEnd, hash, rowLine, column + 1);
          } else codes[n++] = MISSING;
        } else {
          // The unit id and any item columns: only their extent matters.
          while (STOPS[ch] === 0) ch = bytes[++pos]!;
          let cellEnd = pos;
          while (cellEnd > start && isBlankByte(bytes[cellEnd - 1]!)) cellEnd--;
          if (cellEnd > start) blank = false;
          if (column === 0) {
            unitStart = start;
            unitEnd = cellEnd;
          }
        }
        column++;
        pos++;
        if (ch === COMMA) continue;
        // A line break: CR LF is one (the region ends with LF, so a CR has a byte after it).
        if (ch === RETURN && bytes[pos] === NEWLINE) pos++;
        break;
      }
      if (quoted) {
        n = codesAtRowStart;
        const recordStop = recordEnd(bytes, rowStart, end);
        if (recordStop < 0 && !final) {
          pos = rowStart;
          break;
        }
        const stop = recordStop < 0 ? end : recordStop;
        const cursor: RecordCursor = { pos: 0, line: rowLine };
        readRecord(decoder.decode(bytes.subarray(rowStart, stop)), cursor, fields);
        pos = stop;
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
    if (final) break;
    const moved = window.advance(pos);
    if (moved >= 0) pos = moved;
    else {
      // The input's last line, when it has no line break, and a quoted record left open.
      pos = window.terminate(pos);
      final = true;
    }
    bytes = window.bytes;
    end = final ? window.length : afterLastNewline(bytes, pos, window.length);
  }
  return { tokens, codes: codes.subarray(0, n), nUnits, coders: header.cells.slice(firstCoder), units };
}

/** Rows from `pos` on, estimated from the line length in the first window (4 KiB; at most 64 KiB of it), with a tenth to spare. */
function estimateRows(window: ByteWindow, pos: number): number {
  const bytes = window.bytes;
  const end = Math.min(window.length, pos + 65_536);
  // indexOf per line, not a loop over bytes: a loop this long is compiled by V8 on the spot.
  let lines = 0;
  for (let at = bytes.indexOf(NEWLINE, pos); at >= 0 && at < end; at = bytes.indexOf(NEWLINE, at + 1)) lines++;
  if (window.done && end === window.length) return lines + 1;
  const perLine = lines > 0 ? (end - pos) / lines : end - pos;
  return Math.ceil((Math.max(0, window.totalBytes - pos) / perLine) * 1.1) + 1;
}
