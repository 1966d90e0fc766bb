/**
 * Parsing reliability data from CSV text or UTF-8 bytes (browser-safe: no
 * Node APIs; pass a Uint8Array from a File or fetch to skip decoding).
 *
 * Wide layout (default): a header row; the first column is the unit id; one
 * column per coder. Long layout: columns `unit`, `coder`, `value` (found by
 * header name, else the first three columns). An empty cell is missing.
 * Cells are trimmed. Set values join labels with `|`; a cell holding only `|`
 * is the empty set. Quoted fields follow RFC 4180.
 *
 * Every distinct cell text is interned once, so parsing allocates per
 * distinct label, not per value; codes land in an Int32Array. Positions are
 * 1-based lines and columns of the text, reported in every error.
 */
import { ReliabilityError, type SourcePosition } from './errors.ts';
import {
  MISSING,
  orderCategories,
  type ReliabilityData,
  SetInterner,
  type SetReliabilityData,
  createReliabilityData,
} from './reliability-data.ts';

export type CsvLayout = 'wide' | 'long';

export interface ParseReliabilityCsvOptions {
  readonly layout?: CsvLayout;
  /** Declared categories in codebook order; other labels are an error. */
  readonly categories?: readonly string[];
  /** Parse cells as sets of labels joined by `|`. */
  readonly sets?: boolean;
  /** Keep the unit ids of the wide layout (costs one string per row; default false). */
  readonly keepUnitIds?: boolean;
}

export interface ParsedReliabilityCsv<T extends ReliabilityData | SetReliabilityData> {
  readonly data: T;
  /** Unit ids in row order (wide, when `keepUnitIds`) or first-seen order (long). */
  readonly units: readonly string[];
  /** Where each label was first seen. */
  readonly labelPositions: ReadonlyMap<string, SourcePosition>;
}

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

interface RecordCursor {
  pos: number;
  line: number;
}

/**
 * Reads one record starting at `cursor.pos` into `fields` (cleared first),
 * advancing the cursor past its line break. RFC 4180 quoting.
 */
function readRecord(text: string, cursor: RecordCursor, fields: string[]): void {
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

function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && (fields[0] ?? '').trim() === '';
}

/**
 * Calls `onRow(fields, line)` for each non-blank record. `fields` is reused
 * between calls. O(length of text).
 */
export function forEachCsvRow(text: string, onRow: (fields: string[], line: number) => void): void {
  const cursor: RecordCursor = { pos: text.charCodeAt(0) === 0xfeff ? 1 : 0, line: 1 };
  const fields: string[] = [];
  while (cursor.pos < text.length) {
    const line = cursor.line;
    readRecord(text, cursor, fields);
    if (!isBlank(fields)) onRow(fields, line);
  }
}

function trimCell(cell: string): string {
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  return first === 32 || first === 9 || last === 32 || last === 9 ? cell.trim() : cell;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (bytes[i] ?? 0)) | 0;
  return h;
}

/**
 * Interns cell texts (as UTF-8 bytes) and remembers where each was first
 * seen. An open-addressing table keyed by a 31-multiplier hash lets the wide
 * scanner look a cell up straight from the input bytes (`idForRange`); a
 * string is decoded only the first time a cell text is seen.
 */
class TokenTable {
  readonly texts: string[] = [];
  readonly lines: number[] = [];
  readonly columns: number[] = [];
  // Typed arrays, not number[]: the probe in idForRange runs once per cell (millions of times).
  private hashes = new Int32Array(32);
  private starts = new Int32Array(33);
  private pool = new Uint8Array(256);
  private slots = new Int32Array(64);

  idForRange(bytes: Uint8Array, start: number, end: number, hash: number, line: number, column: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === 0) return this.add(bytes, start, end, hash, line, column);
      const id = slot - 1;
      if (this.hashes[id] !== hash) continue;
      const from = this.starts[id]!;
      if (this.starts[id + 1]! - from !== length) continue;
      const pool = this.pool;
      let k = 0;
      while (k < length && pool[from + k] === bytes[start + k]) k++;
      if (k === length) return id;
    }
  }

  id(text: string, line: number, column: number): number {
    const bytes = encoder.encode(text);
    return this.idForRange(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length), line, column);
  }

  position(id: number): SourcePosition {
    return { line: this.lines[id] ?? 1, column: this.columns[id] ?? 1 };
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, line: number, column: number): number {
    const id = this.texts.length;
    const from = this.starts[id]!;
    if (from + end - start > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, from + end - start));
      pool.set(this.pool);
      this.pool = pool;
    }
    if (id + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, id + 2);
      this.starts = grow(this.starts, id + 3);
    }
    this.pool.set(bytes.subarray(start, end), from);
    this.starts[id + 1] = from + end - start;
    this.texts.push(decoder.decode(bytes.subarray(start, end)));
    this.hashes[id] = hash;
    this.lines.push(line);
    this.columns.push(column);
    if (this.texts.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let i = this.hashes[id]! & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.texts.length; id++) this.place(id);
  }
}

class GrowableInt32 {
  array = new Int32Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.array.length) {
      const next = new Int32Array(this.array.length * 2);
      next.set(this.array);
      this.array = next;
    }
    this.array[this.length++] = x;
  }

  view(): Int32Array {
    return this.array.subarray(0, this.length);
  }
}

function raggedError(line: number, found: number, expected: number): ReliabilityError {
  const column = found < expected ? found + 1 : expected + 1;
  return new ReliabilityError('RAGGED_ROW', `csv requires ${expected} cells per row like the header, this row has ${found}`, { line, column });
}

interface Scanned {
  readonly tokens: TokenTable;
  /** Token ids per unit x coder, -1 missing. */
  readonly codes: Int32Array;
  readonly nUnits: number;
  readonly coders: readonly string[];
  readonly units: readonly string[];
}

const SPACE = 32;
const TAB = 9;

/** Index just past the end of the record that starts at `pos` (quotes respected). */
function recordEnd(bytes: Uint8Array, pos: number): number {
  let quoted = false;
  for (let i = pos; i < bytes.length; i++) {
    const ch = bytes[i] ?? 0;
    if (ch === QUOTE) quoted = !quoted;
    else if (!quoted && (ch === NEWLINE || ch === RETURN)) {
      return ch === RETURN && bytes[i + 1] === NEWLINE ? i + 2 : i + 1;
    }
  }
  return bytes.length;
}

/**
 * The wide layout's hot path: scans UTF-8 bytes of unquoted rows, hashing
 * each trimmed cell and interning it without allocating a string. A row with
 * a quote is decoded and read by the RFC 4180 record reader instead.
 */
function scanWide(bytes: Uint8Array, keepUnitIds: boolean): Scanned {
  const tokens = new TokenTable();
  const units: string[] = [];
  const fields: string[] = [];
  const length = bytes.length;
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  let header: string[] | null = null;
  while (header === null && pos < length) {
    const end = recordEnd(bytes, pos);
    const cursor: RecordCursor = { pos: 0, line };
    readRecord(decoder.decode(bytes.subarray(pos, end)), cursor, fields);
    pos = end;
    line = cursor.line;
    if (!isBlank(fields)) header = fields.map(trimCell);
  }
  if (header === null) throw new ReliabilityError('EMPTY_INPUT', 'csv requires a header row, the input is empty', { line: 1, column: 1 });
  const width = header.length;
  // Sized from the line count, so the hot loop writes into a typed array with no growth
  // check of its own (a method call per cell cost a third of the scan).
  let codes = new Int32Array(Math.max(1, (countLines(bytes, pos) + 1) * (width - 1)));
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
      let end = pos;
      let hash = 0;
      let hashAtEnd = 0;
      while (ch !== COMMA && ch !== NEWLINE && ch !== RETURN) {
        hash = (Math.imul(hash, 31) + ch) | 0;
        if (ch !== SPACE && ch !== TAB) {
          end = pos + 1;
          hashAtEnd = hash;
        }
        ch = ++pos < length ? bytes[pos]! : NEWLINE;
      }
      if (end > start) blank = false;
      if (column === 0) {
        unitStart = start;
        unitEnd = end;
      } else if (column < width) {
        codes[n++] = end === start ? MISSING : tokens.idForRange(bytes, start, end, hashAtEnd, rowLine, column + 1);
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
      for (let c = 1; c < width; c++) {
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
  return { tokens, codes: codes.subarray(0, n), nUnits, coders: header.slice(1), units };
}

/** Line breaks from `pos` on: an upper bound of the rows left (quoted breaks count too). */
function countLines(bytes: Uint8Array, pos: number): number {
  let lines = 0;
  for (let i = bytes.indexOf(NEWLINE, pos); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) lines++;
  return lines;
}

function grow(codes: Int32Array<ArrayBuffer>, atLeast: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(atLeast, codes.length * 2));
  next.set(codes);
  return next;
}

function scanLong(text: string): Scanned {
  const tokens = new TokenTable();
  const unitIds = new Map<string, number>();
  const coderIds = new Map<string, number>();
  const triples = new GrowableInt32();
  let columns: [number, number, number] | null = null;
  let width = 0;
  forEachCsvRow(text, (fields, line) => {
    if (columns === null) {
      const header = fields.map((f) => trimCell(f).toLowerCase());
      width = header.length;
      if (width < 3) {
        throw new ReliabilityError('MISSING_COLUMN', `long layout requires the columns unit, coder and value, the header has ${width}`, {
          line,
          column: width + 1,
        });
      }
      const named = (['unit', 'coder', 'value'] as const).map((name) => header.indexOf(name));
      columns = named.every((i) => i >= 0) ? [named[0] ?? 0, named[1] ?? 1, named[2] ?? 2] : [0, 1, 2];
      return;
    }
    if (fields.length !== width) throw raggedError(line, fields.length, width);
    const [ui, ci, vi] = columns;
    const unit = trimCell(fields[ui] ?? '');
    const coder = trimCell(fields[ci] ?? '');
    if (unit === '') throw new ReliabilityError('MISSING_COLUMN', 'long layout requires a unit id in every row', { line, column: ui + 1 });
    if (coder === '') throw new ReliabilityError('MISSING_COLUMN', 'long layout requires a coder id in every row', { line, column: ci + 1 });
    let u = unitIds.get(unit);
    if (u === undefined) unitIds.set(unit, (u = unitIds.size));
    let c = coderIds.get(coder);
    if (c === undefined) coderIds.set(coder, (c = coderIds.size));
    const cell = trimCell(fields[vi] ?? '');
    triples.push(u);
    triples.push(c);
    triples.push(cell === '' ? MISSING : tokens.id(cell, line, vi + 1));
    triples.push(line);
  });
  if (columns === null) throw new ReliabilityError('EMPTY_INPUT', 'csv requires a header row, the input is empty', { line: 1, column: 1 });
  const nUnits = unitIds.size;
  const nCoders = coderIds.size;
  const codes = new Int32Array(nUnits * nCoders).fill(MISSING);
  const seen = new Uint8Array(nUnits * nCoders);
  const t = triples.view();
  const valueColumn = (columns as [number, number, number])[2] + 1;
  for (let i = 0; i < t.length; i += 4) {
    const cell = (t[i] ?? 0) * nCoders + (t[i + 1] ?? 0);
    if (seen[cell] === 1) {
      throw new ReliabilityError('DUPLICATE_CODING', 'long layout requires one row per unit and coder, this pair appeared before', {
        line: t[i + 3] ?? 1,
        column: valueColumn,
      });
    }
    seen[cell] = 1;
    codes[cell] = t[i + 2] ?? MISSING;
  }
  return { tokens, codes, nUnits, coders: [...coderIds.keys()], units: [...unitIds.keys()] };
}

function splitSet(text: string): string[] {
  return text.split('|').map((s) => s.trim()).filter((s) => s !== '');
}

/** Parses single-valued reliability data from CSV text. */
export function parseReliabilityCsv(text: string | Uint8Array, options: ParseReliabilityCsvOptions & { readonly sets?: false }): ParsedReliabilityCsv<ReliabilityData>;
/** Parses set-valued reliability data from CSV text. */
export function parseReliabilityCsv(text: string | Uint8Array, options: ParseReliabilityCsvOptions & { readonly sets: true }): ParsedReliabilityCsv<SetReliabilityData>;
export function parseReliabilityCsv(
  input: string | Uint8Array,
  options: ParseReliabilityCsvOptions,
): ParsedReliabilityCsv<ReliabilityData> | ParsedReliabilityCsv<SetReliabilityData> {
  const scanned =
    options.layout === 'long'
      ? scanLong(typeof input === 'string' ? input : decoder.decode(input))
      : scanWide(typeof input === 'string' ? encoder.encode(input) : input, options.keepUnitIds ?? false);
  const { tokens, codes, nUnits, coders, units } = scanned;
  const nCoders = coders.length;
  const labelPositions = new Map<string, SourcePosition>();
  const tokenLabels: string[][] = tokens.texts.map((textOfToken, id) => {
    if (!options.sets && textOfToken.includes('|')) {
      throw new ReliabilityError(
        'SET_VALUE_NOT_ALLOWED',
        `"${textOfToken}" is a set value; set values require a set distance (masi or jaccard)`,
        tokens.position(id),
      );
    }
    const labels = options.sets ? splitSet(textOfToken) : [textOfToken];
    for (const label of labels) if (!labelPositions.has(label)) labelPositions.set(label, tokens.position(id));
    return labels;
  });
  const order = orderCategories(labelPositions.keys(), options.categories);
  const index = new Map(order.categories.map((c, i) => [c, i]));
  for (const [label, position] of labelPositions) {
    if (!index.has(label)) {
      throw new ReliabilityError('UNKNOWN_CATEGORY', `"${label}" is not one of the declared categories`, position);
    }
  }
  const tokenValue = new Int32Array(tokens.texts.length);
  let sets: Int32Array[] = [];
  if (options.sets) {
    const interner = new SetInterner();
    tokenLabels.forEach((labels, id) => {
      tokenValue[id] = interner.intern(labels.map((l) => index.get(l) ?? 0));
    });
    sets = interner.sets;
  } else {
    tokenLabels.forEach((labels, id) => {
      tokenValue[id] = index.get(labels[0] ?? '') ?? 0;
    });
  }
  // Token ids become category indexes in place: the scan's array is ours alone.
  const values = codes;
  for (let i = 0; i < values.length; i++) {
    const t = values[i]!;
    if (t >= 0) values[i] = tokenValue[t]!;
  }
  if (options.sets) {
    const data: SetReliabilityData = { kind: 'sets', nUnits, nCoders, values, sets, categories: order.categories, coders };
    return { data, units, labelPositions };
  }
  const data = createReliabilityData({ values, nUnits, nCoders, categories: order.categories, coders });
  return { data, units, labelPositions };
}
