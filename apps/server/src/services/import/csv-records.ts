/**
 * The import's CSV reader: RFC 4180 records from an upload as it streams in, by the rules
 * csv-parse applied with the options the import used before (`bom`, `skip_empty_lines`,
 * `relax_column_count`, `max_record_size`). csv-parse looks at every byte through several
 * method calls, which made it 1.5-2 s of CPU for 100,000 rows (bench/import.ts); this reader
 * jumps from one comma, quote or line break to the next and slices the text between.
 *
 * The rules: the first line break outside quotes (CRLF, LF or CR) is the file's record
 * delimiter, and other line-break characters outside quotes are cell text; a cell that starts
 * with a quote is quoted (`""` is a quote inside it) and must be followed by a comma, the
 * record delimiter or the end; a quote anywhere else in a cell, or a record over the size
 * limit, is malformed; empty lines are skipped; records may have any number of cells.
 * A UTF-8 byte-order mark is dropped, and one of UTF-16LE selects that encoding.
 */

/** A malformed file: `line` is the 1-based line the problem is on (not in the message). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** How many `brk` characters `text` has in [from, to) (line numbers, for error messages only). */
function count(text: string, brk: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf(brk, from); i >= 0 && i < to; i = text.indexOf(brk, i + 1)) n++;
  return n;
}

class Reader {
  /** The record delimiter once seen: '\r\n', '\n' or '\r'. */
  private delimiter: string | null = null;
  /** The line the unread text starts on. */
  private line = 1;

  constructor(private readonly maxRecordSize: number) {}

  /**
   * Reads the complete records of `text` into `out`; returns where the unread rest starts
   * (an incomplete record, unless `final`).
   */
  read(text: string, final: boolean, out: string[][]): number {
    const length = text.length;
    let pos = 0;
    while (pos < length) {
      const end = this.record(text, pos, final, out);
      if (end < 0) break;
      pos = end;
    }
    if (!final && length - pos > this.maxRecordSize) this.fail(text, length, `Max Record Size: a record exceeds ${this.maxRecordSize} characters`);
    this.line += this.lines(text, 0, pos);
    return pos;
  }

  /** Line breaks in [from, to): a CR-only file counts CRs, others LFs (so CRLF counts once). */
  private lines(text: string, from: number, to: number): number {
    return count(text, this.delimiter === '\r' ? '\r' : '\n', from, to);
  }

  /** `at`: where the problem is in `text` (which starts on line `this.line`). */
  private fail(text: string, at: number, message: string): never {
    const line = this.line + this.lines(text, 0, at);
    throw new CsvSyntaxError(message, line);
  }

  /** Length of the record delimiter at `pos` (0: none; -1: cannot tell before more text arrives). */
  private breakAt(text: string, pos: number, final: boolean): number {
    const ch = text.charCodeAt(pos);
    if (ch !== LF && ch !== CR) return 0;
    if (this.delimiter === null) {
      if (ch === CR && pos + 1 >= text.length && !final) return -1;
      this.delimiter = ch === LF ? '\n' : text.charCodeAt(pos + 1) === LF ? '\r\n' : '\r';
    }
    return text.startsWith(this.delimiter, pos) ? this.delimiter.length : this.delimiter === '\r\n' && ch === CR && pos + 1 >= text.length && !final ? -1 : 0;
  }

  /** Reads the record at `start` into `out`; returns the index after it, or -1 when it is not complete yet. */
  private record(text: string, start: number, final: boolean, out: string[][]): number {
    const length = text.length;
    const empty = this.breakAt(text, start, final);
    if (empty < 0) return -1;
    if (empty > 0) return start + empty; // an empty line
    const cells: string[] = [];
    let pos = start;
    for (;;) {
      let cell: string;
      if (text.charCodeAt(pos) === QUOTE) {
        cell = '';
        let from = pos + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0 || (q + 1 >= length && !final)) {
            if (!final) return -1;
            this.fail(text, pos, 'Quote Not Closed: a quoted cell opened here never ends');
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            cell += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          cell += text.slice(from, q);
          pos = q + 1;
          break;
        }
        if (pos < length && text.charCodeAt(pos) !== COMMA) {
          const brk = this.breakAt(text, pos, final);
          if (brk < 0) return -1;
          if (brk === 0) this.fail(text, pos, `Invalid Closing Quote: got "${text[pos]}" after a quoted cell instead of a comma or a line break`);
        }
      } else {
        let end = pos;
        for (; end < length; end++) {
          const ch = text.charCodeAt(end);
          if (ch === COMMA) break;
          if (ch === QUOTE) this.fail(text, end, 'Invalid Opening Quote: a quote inside an unquoted cell');
          if (ch === LF || ch === CR) {
            const brk = this.breakAt(text, end, final);
            if (brk < 0) return -1;
            if (brk > 0) break;
          }
        }
        if (end >= length && !final) return -1;
        cell = text.slice(pos, end);
        pos = end;
      }
      cells.push(cell);
      if (pos - start > this.maxRecordSize) this.fail(text, pos, `Max Record Size: a record exceeds ${this.maxRecordSize} characters`);
      if (pos >= length) break;
      if (text.charCodeAt(pos) === COMMA) {
        pos++;
        if (pos >= length && !final) return -1;
        continue;
      }
      pos += this.breakAt(text, pos, final);
      break;
    }
    out.push(cells);
    return pos;
  }
}

/** UTF-16LE byte-order mark (csv-parse honoured it; a UTF-8 one is dropped by the UTF-8 decoder). */
function isUtf16le(chunk: Uint8Array): boolean {
  return chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe;
}

/**
 * The records of a CSV body, a batch per arriving chunk (the cells of each record; no record
 * is empty). Throws CsvSyntaxError for a malformed file, and what the body throws.
 */
export async function* csvRecords(body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, maxRecordSize: number): AsyncGenerator<string[][]> {
  const reader = new Reader(maxRecordSize);
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  let rest = '';
  let first = true;
  for await (const chunk of body) {
    let text: string;
    if (typeof chunk === 'string') text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    else {
      decoder ??= new TextDecoder(isUtf16le(chunk) ? 'utf-16le' : 'utf-8');
      text = decoder.decode(chunk, { stream: true });
    }
    first = false;
    if (!text) continue;
    const all = rest ? rest + text : text;
    const out: string[][] = [];
    rest = all.slice(reader.read(all, false, out));
    if (out.length) yield out;
  }
  const tail = rest + (decoder?.decode() ?? '');
  const out: string[][] = [];
  reader.read(tail, true, out);
  if (out.length) yield out;
}
