/**
 * Reliability data: a units x coders matrix of category indices on typed
 * arrays, plus the category list (the codebook's options, in order).
 *
 * Layout is unit-major: the code that coder `c` gave unit `u` is
 * `values[u * nCoders + c]`; a negative entry means "missing". Every measure
 * reads this one shape, so data parsed once can be measured many times and
 * no measure allocates an object per value.
 */
import { ReliabilityError } from './errors.ts';

export const MISSING = -1;

/** Single-valued codes: each coder gives each unit at most one category. */
export interface ReliabilityData {
  readonly kind: 'single';
  readonly nUnits: number;
  readonly nCoders: number;
  readonly values: Int32Array;
  /** Category labels in codebook order; unused declared categories included. */
  readonly categories: readonly string[];
  /**
   * Position of each category on the codebook scale: the numbers themselves
   * when every label is a number, otherwise 0, 1, 2, ... in codebook order.
   * Weighted measures and metric alphas use these values, never the ranks of
   * the categories that happen to be observed.
   */
  readonly scale: Float64Array;
  /**
   * Whether `scale` holds meaningful numbers (every label is a number, or an
   * explicit scale was given); interval and ratio alpha require it.
   */
  readonly numericScale: boolean;
  readonly coders: readonly string[];
}

/**
 * Set-valued codes (multi-select frames): each coder gives each unit a set of
 * categories. Each distinct set is interned once; `values` holds set ids.
 */
export interface SetReliabilityData {
  readonly kind: 'sets';
  readonly nUnits: number;
  readonly nCoders: number;
  readonly values: Int32Array;
  /** Members of each distinct set as ascending category indices. */
  readonly sets: readonly Int32Array[];
  readonly categories: readonly string[];
  readonly coders: readonly string[];
}

const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a decimal number strictly (no empty string, no "0x", no "Infinity"). */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  return NUMBER_PATTERN.test(trimmed) ? Number(trimmed) : null;
}

export interface CategoryOrder {
  readonly categories: readonly string[];
  readonly scale: Float64Array;
  readonly numericScale: boolean;
}

/**
 * Orders categories: the declared list as given, otherwise the observed labels
 * numerically when they all parse as numbers, otherwise by code point (so the
 * order never depends on the order of the rows).
 */
export function orderCategories(observed: Iterable<string>, declared?: readonly string[]): CategoryOrder {
  let categories: string[];
  if (declared !== undefined) {
    const seen = new Set<string>();
    for (const label of declared) {
      if (seen.has(label)) {
        throw new ReliabilityError('DUPLICATE_CATEGORY', `categories requires distinct labels, "${label}" appears twice`);
      }
      seen.add(label);
    }
    categories = [...declared];
  } else {
    categories = [...new Set(observed)];
    const numbers = categories.map(parseNumber);
    if (numbers.every((n) => n !== null)) {
      const order = categories.map((label, i) => ({ label, n: numbers[i] ?? 0 }));
      order.sort((a, b) => a.n - b.n);
      categories = order.map((o) => o.label);
    } else {
      categories.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
  }
  const numbers = categories.map(parseNumber);
  const numericScale = categories.length > 0 && numbers.every((n) => n !== null);
  const scale = new Float64Array(categories.length);
  for (let i = 0; i < categories.length; i++) scale[i] = numericScale ? (numbers[i] ?? i) : i;
  return { categories, scale, numericScale };
}

function defaultCoders(nCoders: number): string[] {
  return Array.from({ length: nCoders }, (_, i) => `coder ${i + 1}`);
}

export interface CreateReliabilityDataInput {
  /** Unit-major category indices; negative means missing. */
  readonly values: ArrayLike<number>;
  readonly nUnits: number;
  readonly nCoders: number;
  readonly categories: readonly string[];
  /** Overrides the codebook scale (defaults to the numeric labels, else 0..V-1). */
  readonly scale?: ArrayLike<number>;
  readonly coders?: readonly string[];
}

/** Builds validated reliability data from a matrix of category indices. O(units x coders). */
export function createReliabilityData(input: CreateReliabilityDataInput): ReliabilityData {
  const { nUnits, nCoders, categories } = input;
  if (!Number.isInteger(nUnits) || nUnits < 0 || !Number.isInteger(nCoders) || nCoders < 0) {
    throw new ReliabilityError('INVALID_ARGUMENT', `reliabilityData requires non-negative integer sizes, got ${nUnits} x ${nCoders}`);
  }
  if (input.values.length !== nUnits * nCoders) {
    throw new ReliabilityError(
      'INVALID_ARGUMENT',
      `reliabilityData requires ${nUnits * nCoders} values for ${nUnits} units x ${nCoders} coders, got ${input.values.length}`,
    );
  }
  const values = input.values instanceof Int32Array ? input.values : Int32Array.from(input.values);
  const nCategories = categories.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? MISSING;
    if (v >= nCategories) {
      throw new ReliabilityError('UNKNOWN_CATEGORY', `reliabilityData requires category indices below ${nCategories}, got ${v}`);
    }
    if (v < 0) values[i] = MISSING;
  }
  return reliabilityDataOf({ ...input, values });
}

/**
 * `createReliabilityData` for values already known to be category indices or MISSING (the
 * parser's own, nUnits x nCoders of them): the same object without the pass over every value
 * (a tenth of the parse of a million-row file). The scale and coder names are still checked.
 */
export function reliabilityDataOf(input: CreateReliabilityDataInput & { readonly values: Int32Array }): ReliabilityData {
  const { nUnits, nCoders, categories, values } = input;
  const nCategories = categories.length;
  const order = orderCategories(categories, categories);
  let scale = order.scale;
  if (input.scale !== undefined) {
    if (input.scale.length !== nCategories) {
      throw new ReliabilityError('INVALID_ARGUMENT', `reliabilityData requires one scale value per category, got ${input.scale.length}`);
    }
    scale = Float64Array.from(input.scale);
    if (scale.some((x) => !Number.isFinite(x))) {
      throw new ReliabilityError('NOT_A_NUMBER', 'reliabilityData requires finite scale values');
    }
  }
  const coders = input.coders ?? defaultCoders(nCoders);
  if (coders.length !== nCoders) {
    throw new ReliabilityError('INVALID_ARGUMENT', `reliabilityData requires ${nCoders} coder names, got ${coders.length}`);
  }
  return {
    kind: 'single',
    nUnits,
    nCoders,
    values,
    categories: [...categories],
    scale,
    numericScale: input.scale !== undefined || order.numericScale,
    coders,
  };
}

export type Cell = string | number | null | undefined;

export interface FromRowsInput {
  /** One row per unit, one cell per coder; null, undefined and '' are missing. */
  readonly rows: readonly (readonly Cell[])[];
  readonly categories?: readonly (string | number)[];
  readonly coders?: readonly string[];
}

function cellLabel(cell: Cell): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isNaN(cell) ? null : String(cell);
  const trimmed = cell.trim();
  return trimmed === '' ? null : trimmed;
}

function rowWidth(rows: readonly (readonly unknown[])[]): number {
  const width = rows[0]?.length ?? 0;
  rows.forEach((row, u) => {
    if (row.length !== width) {
      throw new ReliabilityError('RAGGED_ROW', `reliabilityData requires ${width} cells per unit, unit ${u + 1} has ${row.length}`);
    }
  });
  return width;
}

/** Convenience constructor from labelled cells (units x coders). */
export function fromRows(input: FromRowsInput): ReliabilityData {
  const { rows } = input;
  const nCoders = rowWidth(rows);
  const labels: string[] = [];
  for (const row of rows) for (const cell of row) {
    const label = cellLabel(cell);
    if (label !== null) labels.push(label);
  }
  const order = orderCategories(labels, input.categories?.map(String));
  const index = new Map(order.categories.map((c, i) => [c, i]));
  const values = new Int32Array(rows.length * nCoders).fill(MISSING);
  rows.forEach((row, u) => row.forEach((cell, c) => {
    const label = cellLabel(cell);
    if (label === null) return;
    const k = index.get(label);
    if (k === undefined) {
      throw new ReliabilityError('UNKNOWN_CATEGORY', `reliabilityData requires declared categories, "${label}" is not one`);
    }
    values[u * nCoders + c] = k;
  }));
  return createReliabilityData({ values, nUnits: rows.length, nCoders, categories: order.categories, coders: input.coders });
}

export interface FromSetRowsInput {
  /** One row per unit, one cell per coder; a cell is a list of labels, or null when missing. */
  readonly rows: readonly (readonly (readonly (string | number)[] | null | undefined)[])[];
  readonly categories?: readonly (string | number)[];
  readonly coders?: readonly string[];
}

/** Interns sets of category indices; returns the set id. */
export class SetInterner {
  readonly sets: Int32Array[] = [];
  private readonly ids = new Map<string, number>();

  intern(members: Iterable<number>): number {
    const sorted = Int32Array.from(new Set(members)).sort();
    const key = sorted.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.ids.set(key, id);
      this.sets.push(sorted);
    }
    return id;
  }
}

/** Convenience constructor for set-valued codes (units x coders of label lists). */
export function fromSetRows(input: FromSetRowsInput): SetReliabilityData {
  const { rows } = input;
  const nCoders = rowWidth(rows);
  const labels: string[] = [];
  for (const row of rows) for (const cell of row) if (cell) for (const l of cell) labels.push(String(l));
  const order = orderCategories(labels, input.categories?.map(String));
  const index = new Map(order.categories.map((c, i) => [c, i]));
  const interner = new SetInterner();
  const values = new Int32Array(rows.length * nCoders).fill(MISSING);
  rows.forEach((row, u) => row.forEach((cell, c) => {
    if (cell === null || cell === undefined) return;
    values[u * nCoders + c] = interner.intern(cell.map((l) => {
      const k = index.get(String(l));
      if (k === undefined) {
        throw new ReliabilityError('UNKNOWN_CATEGORY', `reliabilityData requires declared categories, "${String(l)}" is not one`);
      }
      return k;
    }));
  }));
  return {
    kind: 'sets',
    nUnits: rows.length,
    nCoders,
    values,
    sets: interner.sets,
    categories: order.categories,
    coders: input.coders ?? defaultCoders(nCoders),
  };
}

/** The same data restricted to some coders (in the given order). O(units x coders). */
export function selectCoders<T extends ReliabilityData | SetReliabilityData>(data: T, coderIndices: readonly number[]): T {
  const k = coderIndices.length;
  const values = new Int32Array(data.nUnits * k);
  for (let u = 0; u < data.nUnits; u++) {
    for (let j = 0; j < k; j++) values[u * k + j] = data.values[u * data.nCoders + (coderIndices[j] ?? 0)] ?? MISSING;
  }
  return { ...data, nCoders: k, values, coders: coderIndices.map((c) => data.coders[c] ?? `coder ${c + 1}`) };
}

/** The same data restricted to (or resampled into) the given units. */
export function selectUnits<T extends ReliabilityData | SetReliabilityData>(data: T, unitIndices: ArrayLike<number>): T {
  const m = data.nCoders;
  const values = new Int32Array(unitIndices.length * m);
  for (let i = 0; i < unitIndices.length; i++) {
    const u = unitIndices[i] ?? 0;
    values.set(data.values.subarray(u * m, u * m + m), i * m);
  }
  return { ...data, nUnits: unitIndices.length, values };
}
