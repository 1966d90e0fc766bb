/**
 * Reading an import source into rows: CSV streamed through csv-records.ts, or a JSON array. Each
 * row is converted (row.ts) or becomes problems; blank rows are counted and left out; the
 * file's slash dates are read once the whole file says (or the caller says) which order they
 * have. The source's bytes are hashed on the way, for the audit entry, and kept.
 *
 * Two passes, so that memory does not grow with the rows' values: `collect` checks every row and
 * keeps of each only a summary (what the file-wide rules and the matching need); `replay` reads
 * the kept bytes again and hands the converted rows on in bounded batches, to be planned and
 * written (import-items.ts). Conversion is pure, so both passes convert the same rows alike.
 * A source of at most WHOLE_ROWS_BUDGET characters is converted once: its first reading keeps
 * the whole rows and `replay` hands those on (memory then bounded by the budget, not the rows).
 */
import { createHash, type Hash } from 'node:crypto';
import type { DateOrder, ErrorDetail, ImportCheck, ImportCodes, ImportMapping } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { resolveSlashDate, slashEvidence } from './cells.ts';
import { csvRecords, CsvSyntaxError } from './csv-records.ts';
import { convertRow, isEmptyRow, resolveMapping, type ImportedItem, type ResolvedMapping } from './row.ts';
import { summarize, type ConvertedRow, type RowSummary } from './summary.ts';

export const MAX_IMPORT_ROWS = 100_000;
const MAX_REPORTED_ERRORS = 100;
/** Longest CSV record (a body of 1,000,000 characters and the rest of its row). */
const MAX_RECORD_CHARS = 2_000_000;
/**
 * Up to this many characters (bytes of a binary upload) of source, the first reading keeps whole
 * rows and the second does not read the file again (no second conversion). A converted row takes
 * about 6-7 times its CSV text in memory (bench/README.md "Import": 117 MB for 17 MB of CSV), so
 * this holds about 60 MB of rows at most. Above it, summaries only: keeping the benchmark's whole
 * 17 MB file saved about 0.5 s of CPU but added 70-130 MB to the re-import's peak RSS.
 */
export const WHOLE_ROWS_BUDGET = 8 * 1024 * 1024;
/** The budget `collect` uses: a setting of its own so that tests can take the two readings through the whole import. */
export const importSettings = { wholeRowsBudget: WHOLE_ROWS_BUDGET };

/** The file's bytes or text, in chunks: a request body as it streams in, or strings. */
export type ImportBody = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * `size`: the source's length as declared before it is read (an upload's Content-Length), when
 * known. Over the whole-rows budget, the first reading keeps summaries from its first row: whole
 * rows kept up to the budget and then dropped were garbage that V8 had already copied and promoted.
 */
export type ImportSource =
  | { format: 'csv'; body: ImportBody; mapping: ImportMapping; filename?: string | undefined; size?: number | undefined }
  /** The JSON text: an array of item objects. */
  | { format: 'json'; body: ImportBody; filename?: string | undefined; size?: number | undefined };

export interface ImportOptions {
  /** 1-based data rows to leave out; they are neither checked nor written. */
  skipRows?: readonly number[];
  /** How slash dates read; required when the file's dates cannot tell. */
  dateOrder?: DateOrder | undefined;
  /** Columns holding a coder's codes (import-codes.ts). */
  codes?: ImportCodes | undefined;
}

export class RowCollector {
  /** What is kept of each converted row (in file order): the whole row while `whole`. */
  items: RowSummary[] = [];
  /** Whether `items` holds whole rows (ImportedItem): with `keepItems`, or while the source is within the budget. */
  whole: boolean;
  /** Characters (or bytes) of source read so far. */
  sourceSize = 0;
  /** The converted rows themselves, when asked for (code columns read their raw cells); else null. */
  readonly kept: ImportedItem[] | null;
  /** The file's data row of each entry of `items`. */
  readonly rowOf: number[] = [];
  /** The source's chunks, as read: `replay` reads them again. */
  readonly body: (Uint8Array | string)[] = [];
  readonly errors: ErrorDetail[] = [];
  readonly skipped: number[] = [];
  readonly problemRows = new Set<number>();
  errorCount = 0;
  rows = 0;
  emptyRows = 0;
  header: string[] = [];
  columns: ResolvedMapping = {};
  dateOrder: ImportCheck['dateOrder'] = { needed: false, used: null, suggested: null, example: null };
  /** SHA-256 of the source's bytes, hex; set once it is read. */
  sha256 = '';

  constructor(
    private readonly skip: ReadonlySet<number>,
    readonly explicitOrder: DateOrder | undefined,
    keepItems = false,
    /** Source size up to which whole rows are kept without `keepItems`. */
    private readonly budget = importSettings.wholeRowsBudget,
  ) {
    this.kept = keepItems ? [] : null;
    this.whole = keepItems || budget > 0;
  }

  /** Counts a data row; false when it is to be skipped or blank. */
  take(row: number, cells: readonly string[]): boolean {
    this.rows = Math.max(this.rows, row);
    if (this.skip.has(row)) {
      this.skipped.push(row);
      return false;
    }
    if (!isEmptyRow(cells)) return true;
    this.emptyRows += 1;
    return false;
  }

  add(row: number, cells: string[]) {
    // Slash dates stay pending: the order is settled for the whole file in resolveDates.
    const result = convertRow(cells, this.header, this.columns, row);
    if ('item' in result) {
      if (this.whole && !this.kept && this.sourceSize > this.budget) {
        // Over the budget: from here on summaries only, and the rows so far become theirs.
        this.items = this.items.map((item) => summarize(item as ImportedItem));
        this.whole = false;
      }
      this.items.push(this.whole ? result.item : summarize(result.item));
      this.kept?.push(result.item);
      this.rowOf.push(row);
    } else this.problem(...result.errors);
  }

  /** Called after each chunk's rows and at the end (`replay` hands batches on here). */
  async flush(_final: boolean): Promise<void> {}

  problem(...errors: ErrorDetail[]) {
    this.errorCount += errors.length;
    for (const e of errors) if (e.row !== undefined) this.problemRows.add(e.row);
    for (const e of errors) if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(e);
  }
}

function tooMany(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `an import holds at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows`);
}

async function* hashed(body: ImportBody, hash: Hash, out: RowCollector) {
  for await (const chunk of body) {
    hash.update(chunk);
    out.body.push(chunk);
    out.sourceSize += chunk.length;
    yield chunk;
  }
}

/** Reads the CSV into `out`. A header that does not fit the mapping throws unless `headerProblems` is 'collect' (dry run). */
async function collectCsv(body: AsyncIterable<Uint8Array | string>, mapping: ImportMapping, out: RowCollector, headerProblems: 'throw' | 'collect') {
  // Line breaks inside quoted cells are kept as they are; only fully empty lines are skipped (as the wizard's reader does).
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (const records of csvRecords(body, MAX_RECORD_CHARS)) {
      for (const record of records) {
        if (!header) {
          header = record.map((h) => h.trim());
          const resolved = resolveMapping(header, mapping);
          out.header = header;
          out.columns = resolved.columns;
          if (resolved.errors.length) {
            if (headerProblems === 'throw') throw new AppError('IMPORT_FAILED', 'the CSV header does not fit the mapping', resolved.errors);
            out.problem(...resolved.errors);
          }
          continue;
        }
        row += 1;
        if (row > MAX_IMPORT_ROWS) throw tooMany();
        // Without a title column every row would repeat the header's problem.
        if (out.take(row, record) && out.columns.title !== undefined) out.add(row, record);
      }
      await out.flush(false);
    }
    await out.flush(true);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      throw new AppError('IMPORT_FAILED', `malformed CSV at line ${err.line}: ${err.message}`, [{ row: Math.max(1, err.line - 1), message: err.message }]);
    }
    throw err;
  }
  if (!header) throw new AppError('IMPORT_FAILED', 'the CSV is empty: it needs a header row');
}

async function collectJson(body: AsyncIterable<Uint8Array | string>, out: RowCollector) {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of body) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch (err) {
    throw new AppError('IMPORT_FAILED', `the JSON does not parse: ${(err as Error).message}`);
  }
  if (!Array.isArray(records)) throw new AppError('IMPORT_FAILED', 'a JSON import is an array of item objects');
  if (records.length > MAX_IMPORT_ROWS) throw tooMany();
  const keys = new Set<string>();
  for (const r of records) if (r && typeof r === 'object' && !Array.isArray(r)) for (const k of Object.keys(r)) keys.add(k);
  const header = [...keys];
  const { columns, errors } = resolveMapping(header, {});
  if (errors.length) throw new AppError('IMPORT_FAILED', 'the JSON records do not have the required keys', errors);
  out.header = header;
  out.columns = columns;
  for (let i = 0; i < records.length; i++) {
    const r: unknown = records[i];
    const isObject = r && typeof r === 'object' && !Array.isArray(r);
    const cells = isObject
      ? header.map((k) => {
          const v = (r as Record<string, unknown>)[k];
          return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        })
      : [String(r)];
    if (!out.take(i + 1, cells)) continue;
    if (!isObject) out.problem({ row: i + 1, message: 'is not an object' });
    else out.add(i + 1, cells);
    if (i % 1000 === 999) await out.flush(false);
  }
  await out.flush(true);
}

/**
 * Reads the slash dates left pending by the row pass: in the caller's order, else in the one
 * the file implies when no date is ambiguous; when one is (`7/5/2024`) and no order was given,
 * the file gets a problem and `dateOrder.needed`, and no date is guessed.
 */
function resolveDates(out: RowCollector) {
  const pending = out.items.filter((item) => item.pendingDate);
  if (!pending.length) return;
  const seen = { dmy: 0, mdy: 0 };
  let example: string | null = null;
  for (const item of pending) {
    const evidence = slashEvidence(item.pendingDate!);
    if (evidence === 'dmy' || evidence === 'mdy') seen[evidence] += 1;
    else if (evidence === 'ambiguous') example ??= item.pendingDate!.text;
  }
  const suggested: DateOrder | null = seen.dmy > seen.mdy ? 'dmy' : seen.mdy > seen.dmy ? 'mdy' : null;
  const contradictory = seen.dmy > 0 && seen.mdy > 0;
  const column = out.header[out.columns.publishedAt!]!;
  if (!out.explicitOrder && (example || contradictory)) {
    out.dateOrder = { needed: true, used: null, suggested, example: example ?? pending[0]!.pendingDate!.text };
    out.problem({
      column,
      message: `dates such as "${out.dateOrder.example}" read as day/month or as month/day: choose the order (dateOrder=dmy or dateOrder=mdy)`,
    });
    return;
  }
  // With no ambiguous date, the file's own dates decide (all read the same either way when none does).
  const order = out.explicitOrder ?? suggested ?? 'mdy';
  out.dateOrder = { needed: false, used: order, suggested, example };
  out.items.forEach((item, i) => {
    if (!item.pendingDate) return;
    const date = resolveSlashDate(item.pendingDate, order);
    if (typeof date === 'string') out.problem({ row: out.rowOf[i]!, column, message: `${date} as ${order === 'dmy' ? 'day/month' : 'month/day'}/year` });
    else item.publishedAt = date;
    item.pendingDate = null;
  });
}

/**
 * Reads the whole source into a collector (no database): every row checked, a summary of each
 * kept (the rows themselves with `keepItems`, or while the source is within `budget` characters),
 * and the source's chunks.
 */
export async function collect(source: ImportSource, options: ImportOptions, headerProblems: 'throw' | 'collect', keepItems = false, budget = importSettings.wholeRowsBudget): Promise<RowCollector> {
  const declaredOver = source.size !== undefined && source.size > budget;
  const out = new RowCollector(new Set(options.skipRows ?? []), options.dateOrder, keepItems, declaredOver ? 0 : budget);
  const hash = createHash('sha256');
  const body = hashed(source.body, hash, out);
  if (source.format === 'csv') await collectCsv(body, source.mapping, out, headerProblems);
  else await collectJson(body, out);
  out.sha256 = hash.digest('hex');
  const beyond = (options.skipRows ?? []).filter((row) => row > out.rows);
  if (beyond.length) out.problem({ message: `row(s) ${beyond.join(', ')} to skip are not in the file (it has ${out.rows} data rows)` });
  resolveDates(out);
  return out;
}

/** The kept chunks again, one per event-loop turn (so the database's replies are read between them). */
async function* again(chunks: readonly (Uint8Array | string)[]) {
  for (const chunk of chunks) {
    yield chunk;
    await new Promise(setImmediate);
  }
}

/** The second reading: the rows `first` summarized, converted again and handed on in batches. */
class Replay extends RowCollector {
  private batch: ConvertedRow[] = [];
  /** Rows converted so far. */
  converted = 0;
  private handing: Promise<void> | null = null;

  constructor(
    skip: ReadonlySet<number>,
    private readonly first: RowCollector,
    private readonly size: number,
    private readonly onBatch: (rows: ConvertedRow[]) => Promise<void>,
  ) {
    super(skip, first.explicitOrder, false, 0);
  }

  override add(row: number, cells: string[]) {
    const result = convertRow(cells, this.header, this.columns, row);
    // A row with problems has none on its second reading either (conversion is pure), and is not in `first.items`.
    if (!('item' in result)) return;
    const index = this.converted++;
    const summary = this.first.items[index];
    if (!summary || this.first.rowOf[index] !== row || summary.externalId !== result.item.externalId) throw new Error('the import source read differently the second time');
    if (result.item.pendingDate) {
      result.item.publishedAt = summary.publishedAt;
      result.item.pendingDate = null;
    }
    this.batch.push({ index, row, item: result.item });
  }

  override async flush(final: boolean): Promise<void> {
    if (this.batch.length < this.size && !final) return;
    // One batch is handed on while the next is read: the database writes one while this process converts the next.
    await this.handing;
    const rows = this.batch;
    this.batch = [];
    this.handing = rows.length ? this.onBatch(rows) : null;
    // Awaited at the next flush; until then a rejection is not unhandled.
    this.handing?.catch(() => {});
    if (final) await this.handing;
  }
}

/**
 * Hands `first`'s converted rows to `onBatch`, in file order, about `size` at a time: its whole
 * rows when it kept them, else the rows of its source read again; the slash dates are those
 * `first` resolved. `first` must be `collect`'s result for the same source and options.
 */
export async function replay({ source, options, first, size, onBatch }: {
  source: ImportSource;
  options: ImportOptions;
  first: RowCollector;
  size: number;
  onBatch: (rows: ConvertedRow[]) => Promise<void>;
}): Promise<void> {
  if (first.whole) {
    for (let at = 0; at < first.items.length; at += size) {
      const rows: ConvertedRow[] = [];
      for (let index = at; index < Math.min(at + size, first.items.length); index++) rows.push({ index, row: first.rowOf[index]!, item: first.items[index] as ImportedItem });
      await onBatch(rows);
    }
    return;
  }
  const out = new Replay(new Set(options.skipRows ?? []), first, size, onBatch);
  if (source.format === 'csv') await collectCsv(again(first.body), source.mapping, out, 'collect');
  else await collectJson(again(first.body), out);
  if (out.converted !== first.items.length) throw new Error('the import source read differently the second time');
}
