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

function isBlankByte(ch: number): boolean {
  return ch === SPACE || ch === TAB;
}

/**
 * Scans the rows after the header, window by window: each region handed to the row scanner
 * ends with a line break (the last complete line of the window, or the input's end, given one
 * by `terminate`), so its per-byte loops need no end-of-input check.
 * `firstCoder`: the 0-based column of the first coder (after the unit id and any item columns).
 */
export function scanWide(window: ByteWindow, header: HeaderRecord, firstCoder: number, keepUnitIds: boolean): Scanned {
  const scanner = new WideRows(header, firstCoder, keepUnitIds, window);
  let pos = header.end;
  for (;;) {
    pos = scanner.rows(window.bytes, pos, afterLastNewline(window.bytes, pos, window.length), false);
    if (window.advance(pos)) {
      pos = 0;
      continue;
    }
    // The input's last line, when it has no line break, and a quoted record left open.
    pos = window.terminate(pos);
    scanner.rows(window.bytes, pos, window.length, true);
    return scanner.result();
  }
}

class WideRows {
  private readonly tokens = new TokenTable();
  private readonly units: string[] = [];
  private readonly fields: string[] = [];
  private readonly width: number;
  private codes: Int32Array<ArrayBuffer>;
  private n = 0;
  private nUnits = 0;
  private line: number;

  constructor(
    private readonly header: HeaderRecord,
    private readonly firstCoder: number,
    private readonly keepUnitIds: boolean,
    window: ByteWindow,
  ) {
    this.width = header.cells.length;
    this.line = header.nextLine;
    // Sized from the rows' length at the start of the input, and doubled in the rare file whose
    // later rows are shorter. Counting the line breaks first (a Buffer.indexOf per line) was
    // about a sixth of the whole `concord reliability` process on 1,000,000 rows.
    this.codes = new Int32Array(Math.max(1, estimateRows(window, header.end) * (this.width - firstCoder)));
  }

  /**
   * The rows in `bytes[pos .. end)`, which ends with a line break. Unquoted rows are scanned as
   * UTF-8 bytes, each trimmed code hashed and interned without allocating a string; a row with
   * a quoted cell is decoded and read by the RFC 4180 record reader. Returns where it stopped:
   * `end`, or, unless `final`, the start of a quoted record that goes on past `end`.
   */
  rows(bytes: Uint8Array, pos: number, end: number, final: boolean): number {
    const { tokens, width, firstCoder, keepUnitIds, units } = this;
    let codes = this.codes;
    let n = this.n;
    let nUnits = this.nUnits;
    let line = this.line;
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
          while (ch !== COMMA && ch !== NEWLINE && ch !== RETURN) {
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
          while (ch !== COMMA && ch !== NEWLINE && ch !== RETURN) ch = bytes[++pos]!;
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
        // A line break: CR LF is one (the region ends with LF, so the CR has a byte after it).
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
        readRecord(decoder.decode(bytes.subarray(rowStart, stop)), cursor, this.fields);
        pos = stop;
        line = cursor.line;
        const fields = this.fields;
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
    this.codes = codes;
    this.n = n;
    this.nUnits = nUnits;
    this.line = line;
    return pos;
  }

  result(): Scanned {
    return { tokens: this.tokens, codes: this.codes.subarray(0, this.n), nUnits: this.nUnits, coders: this.header.cells.slice(this.firstCoder), units: this.units };
  }
}

/** Rows from `pos` on, estimated from the line length in the next 64 KiB, with a tenth to spare. */
function estimateRows(window: ByteWindow, pos: number): number {
  const bytes = window.bytes;
  const end = Math.min(window.length, pos + 65_536);
  let lines = 0;
  for (let i = pos; i < end; i++) if (bytes[i] === NEWLINE) lines++;
  if (window.done && end === window.length) return lines + 1;
  const perLine = lines > 0 ? (end - pos) / lines : end - pos;
  return Math.ceil((Math.max(0, window.totalBytes - pos) / perLine) * 1.1) + 1;
}
