/**
 * The long layout: one row per unit and coder (`unit,coder,value`), or the project's own
 * export with a `field` column (`unit,coder,field,value`), read for one field at a time.
 */
import { ReliabilityError, type SourcePosition } from './errors.ts';
import { forEachCsvRow, raggedError, trimCell } from './csv-records.ts';
import type { LongColumns } from './layout.ts';
import { MISSING } from './reliability-data.ts';
import type { Scanned } from './scan-wide.ts';
import { GrowableInt32, TokenTable } from './token-table.ts';

export interface LongScanOptions {
  readonly columns: LongColumns;
  /** Cells per row (the header's). */
  readonly width: number;
  /** The rows of this field only; required when the file holds more than one. */
  readonly field?: string | undefined;
  /** The layout came from the header alone: refuse a file whose rows read as a wide file's. */
  readonly confirmShape: boolean;
  readonly headerLine: number;
}

/** The fields of a multi-field file, in first-seen order, and where the second one starts. */
interface FieldsSeen {
  readonly names: string[];
  secondAt: SourcePosition | null;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`);
  return names.length > 8 ? `${shown.join(', ')} and ${names.length - 8} more` : shown.join(', ');
}

export function scanLong(text: string, firstLine: number, options: LongScanOptions): Scanned {
  const { columns, width } = options;
  const tokens = new TokenTable();
  const unitIds = new Map<string, number>();
  const coderIds = new Map<string, number>();
  const triples = new GrowableInt32();
  const fields: FieldsSeen = { names: [], secondAt: null };
  let rows = 0;
  forEachCsvRow(
    text,
    (cells, line) => {
      if (cells.length !== width) throw raggedError(line, cells.length, width);
      if (columns.field !== null) {
        const field = trimCell(cells[columns.field] ?? '');
        if (!fields.names.includes(field)) {
          fields.names.push(field);
          if (fields.names.length === 2) fields.secondAt = { line, column: columns.field + 1 };
        }
        // Without --field, the rest of the file is read only for the names of its fields.
        if (options.field === undefined ? fields.secondAt !== null : field !== options.field) return;
      }
      const unit = trimCell(cells[columns.unit] ?? '');
      const coder = trimCell(cells[columns.coder] ?? '');
      if (unit === '') throw new ReliabilityError('MISSING_COLUMN', 'long layout requires a unit id in every row', { line, column: columns.unit + 1 });
      if (coder === '') throw new ReliabilityError('MISSING_COLUMN', 'long layout requires a coder id in every row', { line, column: columns.coder + 1 });
      let u = unitIds.get(unit);
      if (u === undefined) unitIds.set(unit, (u = unitIds.size));
      let c = coderIds.get(coder);
      if (c === undefined) coderIds.set(coder, (c = coderIds.size));
      const cell = trimCell(cells[columns.value] ?? '');
      triples.push(u);
      triples.push(c);
      triples.push(cell === '' ? MISSING : tokens.id(cell, line, columns.value + 1));
      triples.push(line);
      rows++;
    },
    firstLine,
  );
  if (options.field === undefined && fields.secondAt !== null) {
    throw new ReliabilityError(
      'MULTIPLE_FIELDS',
      `long layout requires one field or --field KEY, the field column holds ${fields.names.length} fields (${listed(fields.names)}); "${fields.names[1]}" starts here`,
      fields.secondAt,
    );
  }
  if (options.field !== undefined && rows === 0) {
    const found = fields.names.length > 0 ? `the field column holds ${listed(fields.names)}` : 'the file has no rows';
    throw new ReliabilityError('UNKNOWN_FIELD', `--field ${options.field} requires rows of that field, ${found}`);
  }
  if (options.confirmShape && rows > 1 && unitIds.size === rows) {
    throw new ReliabilityError(
      'AMBIGUOUS_LAYOUT',
      `long layout requires units coded by more than one coder, each of the ${rows} rows is another unit: if this is a wide file whose coder columns are named "coder" and "value", rename them`,
      { line: options.headerLine, column: columns.coder + 1 },
    );
  }
  return collect(tokens, triples.view(), unitIds, coderIds, columns.value + 1);
}

/** The unit x coder matrix of token ids; a unit and coder twice is an error at its second row. */
function collect(tokens: TokenTable, t: Int32Array, unitIds: Map<string, number>, coderIds: Map<string, number>, valueColumn: number): Scanned {
  const nUnits = unitIds.size;
  const nCoders = coderIds.size;
  const codes = new Int32Array(nUnits * nCoders).fill(MISSING);
  const seen = new Uint8Array(nUnits * nCoders);
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
