/**
 * Parsing reliability data from CSV text or UTF-8 bytes (browser-safe: no
 * Node APIs; pass a Uint8Array from a File or fetch to skip decoding).
 *
 * The layout is decided by the header (`layout.ts`): long when it names
 * `unit`, `coder` and `value` (plus `field` in the project's own export, read
 * one field at a time with `field`), wide otherwise (the unit id, then one
 * column per coder); a header between the two is refused. An empty cell is
 * missing. Cells are trimmed. Set values join labels with `|`; a cell holding
 * only `|` is the empty set. Quoted fields follow RFC 4180 (`csv-records.ts`).
 *
 * Every distinct cell text is interned once (`token-table.ts`), so parsing
 * allocates per distinct label, not per value; codes land in an Int32Array.
 * Positions are 1-based lines and columns of the text, reported in every error.
 */
import { ByteWindow, type CsvByteSource } from './byte-window.ts';
import { type HeaderRecord, readHeader } from './csv-records.ts';
import { ReliabilityError, type SourcePosition } from './errors.ts';
import { type CsvLayout, type CsvLayoutChoice, detectLayout } from './layout.ts';
import {
  orderCategories,
  MISSING,
  type ReliabilityData,
  SetInterner,
  type SetReliabilityData,
  reliabilityDataOf,
} from './reliability-data.ts';
import { scanLong } from './scan-long.ts';
import { scanWide } from './scan-wide.ts';

export type { CsvByteSource } from './byte-window.ts';
export { forEachCsvRow } from './csv-records.ts';
export type { CsvLayout, CsvLayoutChoice } from './layout.ts';

export interface ParseReliabilityCsvOptions {
  /** `auto` (default) decides by the header; `wide` or `long` insist, and a header that contradicts them is refused. */
  readonly layout?: CsvLayoutChoice;
  /** The field to read from a long file with a `field` column; required when it holds more than one. */
  readonly field?: string | undefined;
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
  /** The layout the header showed. */
  readonly layout: CsvLayout;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function splitSet(text: string): string[] {
  return text.split('|').map((s) => s.trim()).filter((s) => s !== '');
}

/** CSV text, its UTF-8 bytes, or a source of those bytes read in pieces (a file). */
export type CsvInput = string | Uint8Array | CsvByteSource;

/** Parses single-valued reliability data from CSV text. */
export function parseReliabilityCsv(text: CsvInput, options: ParseReliabilityCsvOptions & { readonly sets?: false }): ParsedReliabilityCsv<ReliabilityData>;
/** Parses set-valued reliability data from CSV text. */
export function parseReliabilityCsv(text: CsvInput, options: ParseReliabilityCsvOptions & { readonly sets: true }): ParsedReliabilityCsv<SetReliabilityData>;
export function parseReliabilityCsv(
  input: CsvInput,
  options: ParseReliabilityCsvOptions,
): ParsedReliabilityCsv<ReliabilityData> | ParsedReliabilityCsv<SetReliabilityData> {
  const window = new ByteWindow(typeof input === 'string' ? encoder.encode(input) : input);
  const header = headerOf(window);
  const detected = detectLayout(header.cells, header.line, options.layout ?? 'auto');
  if (options.field !== undefined && (detected.layout === 'wide' || detected.columns.field === null)) {
    throw new ReliabilityError('MISSING_COLUMN', `--field ${options.field} requires a long file with a field column, the header reads ${header.cells.map((c) => `"${c}"`).join(', ')}`, {
      line: header.line,
      column: 1,
    });
  }
  if (detected.layout === 'long') window.readAll();
  const scanned =
    detected.layout === 'long'
      ? scanLong(decoder.decode(window.bytes.subarray(header.end, window.length)), header.nextLine, {
          columns: detected.columns,
          width: header.cells.length,
          field: options.field,
          confirmShape: detected.named && (options.layout ?? 'auto') === 'auto',
          headerLine: header.line,
        })
      : scanWide(window, header, detected.firstCoder, options.keepUnitIds ?? false);
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
  // Shifted by one: entry 0 is MISSING's, so the pass below has no branch per value.
  const tokenValue = new Int32Array(tokens.texts.length + 1);
  tokenValue[0] = MISSING;
  let sets: Int32Array[] = [];
  if (options.sets) {
    const interner = new SetInterner();
    tokenLabels.forEach((labels, id) => {
      tokenValue[id + 1] = interner.intern(labels.map((l) => index.get(l) ?? 0));
    });
    sets = interner.sets;
  } else {
    tokenLabels.forEach((labels, id) => {
      tokenValue[id + 1] = index.get(labels[0] ?? '') ?? 0;
    });
  }
  const values = remap(codes, tokenValue);
  if (options.sets) {
    const data: SetReliabilityData = { kind: 'sets', nUnits, nCoders, values, sets, categories: order.categories, coders };
    return { data, units, labelPositions, layout: detected.layout };
  }
  const data = reliabilityDataOf({ values, nUnits, nCoders, categories: order.categories, coders });
  return { data, units, labelPositions, layout: detected.layout };
}

/**
 * Token ids become category indexes in place (the scan's array is ours alone). A function of
 * its own: V8 compiles this loop while it runs, and compiled inside the parser it was a larger
 * compile that then deoptimized at the loop's exit.
 */
function remap(codes: Int32Array, tokenValue: Int32Array): Int32Array {
  for (let i = 0; i < codes.length; i++) codes[i] = tokenValue[codes[i]! + 1]!;
  return codes;
}

/** The header record, reading on while the window holds only its start. */
function headerOf(window: ByteWindow): HeaderRecord {
  for (;;) {
    const header = readHeader(window.bytes.subarray(0, window.length), window.done);
    if (header !== null) return header;
    window.advance(0);
  }
}
