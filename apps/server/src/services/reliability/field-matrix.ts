/**
 * One field's codings as the units x coders matrix of the wide export: units in import
 * order, coders by email. Building the data exactly as `concord reliability` parses the
 * exported CSV makes the API's numbers (bootstrap included) equal to the CLI's.
 */
import { checkValue, isNa, type CodingValue, type FieldDefinition } from '@concord/shared';

export interface FieldCell {
  unit: string;
  coder: string;
  value: CodingValue;
}

export interface FieldMatrix {
  units: string[];
  /** Coder emails, sorted (the wide export's column order). */
  coders: string[];
  /** Unit-major; undefined where the coder left no value. */
  cells: (CodingValue | undefined)[];
}

export function fieldMatrix(cells: readonly FieldCell[]): FieldMatrix {
  const unitIndex = new Map<string, number>();
  for (const c of cells) if (!unitIndex.has(c.unit)) unitIndex.set(c.unit, unitIndex.size);
  const coders = [...new Set(cells.map((c) => c.coder))].sort();
  const coderIndex = new Map(coders.map((c, i) => [c, i]));
  const matrix: (CodingValue | undefined)[] = new Array(unitIndex.size * coders.length).fill(undefined);
  for (const c of cells) matrix[unitIndex.get(c.unit)! * coders.length + coderIndex.get(c.coder)!] = c.value;
  return { units: [...unitIndex.keys()], coders, cells: matrix };
}

/** The export's label for N/A. */
export const NA_LABEL = 'NA';

/** Declared categories, in codebook order, with N/A last when the field allows it. */
export function declaredCategories(field: FieldDefinition, withNa = field.allowNa): string[] | undefined {
  switch (field.type) {
    case 'single_choice':
    case 'multiple_choice':
      return [...field.options.map((o) => o.value), ...(withNa ? [NA_LABEL] : [])];
    case 'ordinal':
      return [...field.scale.map((p) => String(p.value)), ...(withNa ? [NA_LABEL] : [])];
    // Numbers and text have none; a link field's categories are the actors coded, as seen in the data.
    case 'number':
    case 'text':
    case 'link':
      return undefined;
  }
}

export interface CellCounts {
  missing: number;
  na: number;
  /** Values that do not fit the current field (coded under an older codebook version). */
  excluded: number;
}

/**
 * Walks the matrix once, counting missing, excluded (no longer valid under the codebook)
 * and N/A cells, and turns each cell into what the measure reads.
 */
function mapCells<T>(
  field: FieldDefinition,
  m: FieldMatrix,
  cell: { na: () => T | null; value: (v: Exclude<CodingValue, { na: true }>) => T },
): { rows: (T | null)[][]; counts: CellCounts } {
  const counts: CellCounts = { missing: 0, na: 0, excluded: 0 };
  const rows: (T | null)[][] = [];
  for (let u = 0; u < m.units.length; u++) {
    const row: (T | null)[] = [];
    for (let c = 0; c < m.coders.length; c++) {
      const v = m.cells[u * m.coders.length + c];
      if (v === undefined) {
        counts.missing++;
        row.push(null);
      } else if (checkValue(field, v) !== null) {
        counts.excluded++;
        row.push(null);
      } else if (isNa(v)) {
        counts.na++;
        row.push(cell.na());
      } else row.push(cell.value(v));
    }
    rows.push(row);
  }
  return { rows, counts };
}

/**
 * The matrix as rows of labels for `fromRows` (single-valued fields). N/A becomes "NA"
 * when `naAsCategory`, else missing (ordinal and interval levels: N/A is no scale point).
 */
export function labelRows(field: FieldDefinition, m: FieldMatrix, naAsCategory: boolean): { rows: (string | null)[][]; counts: CellCounts } {
  return mapCells(field, m, { na: () => (naAsCategory ? NA_LABEL : null), value: (v) => String(v) });
}

/** The matrix as rows of label sets for `fromSetRows` (multiple choice); N/A is the set {"NA"}. */
export function setRows(field: FieldDefinition, m: FieldMatrix): { rows: (string[] | null)[][]; counts: CellCounts } {
  return mapCells(field, m, { na: () => [NA_LABEL], value: (v) => (Array.isArray(v) ? [...v].sort() : [String(v)]) });
}
