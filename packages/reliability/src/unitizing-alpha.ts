/**
 * Krippendorff's alphas for unitizing: the reliability of cutting continua (texts) into
 * valued units, over any number of continua and coders (Krippendorff, Mathet, Bouvry &
 * Widlöcher 2016, "On the reliability of unitizing textual continua: Further
 * developments", Quality & Quantity 50, 2347-2364; Krippendorff 2019, Content Analysis,
 * 4th ed., section 12.6). Each coder's units of a continuum, with the gaps between them
 * (value ∅), partition it into segments. With m coders on a continuum, the observed
 * coincidences of lengths are
 *
 *   l_ck = 1/(m - 1) sum_{i != j} sum_{g of i valued c} sum_{h of j valued k} |g ∩ h|
 *
 * and the expected ones, units being indivisible and gaps not,
 *
 *   e_ck = l.. (l_c. l_.k - [c = k] S_c) / (l..^2 - S),  S_c = sum over c-segments of
 *   |g|^2 (|g| for gaps), S = sum_c S_c.
 *
 * Several continua (items) pool their coincidences as alpha pools units: each continuum
 * contributes with its own m, so items coded by different coders mix. The family:
 *
 * - `u`:  1 - (l.. - sum_c l_cc) / (l.. - sum_c e_cc), every value and ∅ (nominal);
 * - `binary` (|uα): ∅ against all values taken together (is it tagged at all);
 * - `coding` (|cuα): the values of the parts where two coders' units intersect, ∅ left out;
 *   there S*_c sums, per c-unit g, the square of its pairable length
 *   (sum_{j != i} |g ∩ valued units of j| / (m - 1)); with two coders this is |g ∩ h-units|^2;
 * - `perValue` ((k)uα): value k against the other values on intersecting parts,
 *   1 - (e*_k. / l*_k.) (l*_k. - l*_kk) / (e*_k. - e*_kk).
 *
 * Undefined (null, with a reason) when the expected disagreement is 0 (one value only) or
 * nothing is pairable. Complexity: O(coders^2 x segments) per continuum, O(V^2) memory.
 *
 * @example
 * unitizingAlpha({ continua: [{ length: 10, coders: [
 *   [{ start: 2, end: 5, value: 'a' }], [{ start: 2, end: 5, value: 'a' }] ] }] }).u.value // 1
 */
import { ReliabilityError } from './errors.ts';
import { bootstrapResample, type BootstrapOptions, type BootstrapResult } from './bootstrap.ts';

/** A unit of a coder: `[start, end)` on the continuum, with its value. */
export interface Unit {
  readonly start: number;
  readonly end: number;
  /** The unit's value; null marks a gap segment given explicitly (with `gaps: 'given'`). */
  readonly value: string | null;
}

/** One continuum (an item's text) of `length` positions and each coder's units on it. */
export interface Continuum {
  readonly length: number;
  /** One array of non-overlapping units per coder who unitized this continuum. */
  readonly coders: readonly (readonly Unit[])[];
}

export interface UnitizingAlphaInput {
  readonly continua: readonly Continuum[];
  /**
   * `fill` (default): what no unit covers is a gap. `given`: each coder's list already holds
   * the gaps (value null) and nothing else is added, as implementations that take whole
   * partitions expect (used to cross-check them).
   */
  readonly gaps?: 'fill' | 'given';
}

export interface UnitizingCoefficient {
  /** Alpha, or null when undefined (see `reason`). */
  readonly value: number | null;
  readonly reason: string | null;
  readonly observedDisagreement: number | null;
  readonly expectedDisagreement: number | null;
}

export interface PerValueAlpha extends UnitizingCoefficient {
  readonly value: number | null;
  readonly category: string;
  /** Share of this value's length that intersects another coder's unit (the part (k)uα judges). */
  readonly coverage: number | null;
}

export interface UnitizingAlphaResult {
  readonly measure: 'unitizingAlpha';
  readonly definition: 'krippendorff-2016';
  /** uα: unitizing and coding together. */
  readonly u: UnitizingCoefficient;
  /** |uα: tagged against untagged, whatever the value. */
  readonly binary: UnitizingCoefficient;
  /** |cuα: the values of intersecting units. */
  readonly coding: UnitizingCoefficient;
  readonly perValue: readonly PerValueAlpha[];
  /** Values in first-seen order (∅ excluded). */
  readonly categories: readonly string[];
  /** Continua with two or more coders (the others never enter). */
  readonly nPairableContinua: number;
  /** l..: pairable length (coders x positions of the pairable continua). */
  readonly pairableLength: number;
}

/** Per-continuum sums that pool by addition (so a bootstrap replicate is a sum of draws). */
interface ContinuumSums {
  /** (V+1) x (V+1) observed coincidences, index 0 = ∅. */
  readonly l: Float64Array;
  /** S_c per index (gap: lengths; units: squared lengths). */
  readonly s: Float64Array;
  /** S*_c per index (pairable lengths squared), gap slot unused. */
  readonly sStar: Float64Array;
}

const GAP = 0;

function add(array: Float64Array, i: number, x: number): void {
  array[i] = (array[i] ?? 0) + x;
}

function undefinedCoefficient(reason: string): UnitizingCoefficient {
  return { value: null, reason, observedDisagreement: null, expectedDisagreement: null };
}

function coefficient(observed: number, expected: number, total: number): UnitizingCoefficient {
  if (!(total > 0)) return undefinedCoefficient('nothing is pairable: no continuum has two coders');
  if (!(expected > 1e-12 * total)) return { ...undefinedCoefficient('the expected disagreement is 0: only one value occurs'), observedDisagreement: observed / total };
  return { value: 1 - observed / expected, reason: null, observedDisagreement: observed / total, expectedDisagreement: expected / total };
}

/** A coder's units sorted, checked, and completed with the gaps: [start, end, valueIndex] triples. */
function partition(units: readonly Unit[], length: number, index: (value: string) => number, where: string, fill: boolean): Int32Array {
  const sorted = [...units].sort((a, b) => a.start - b.start);
  const out: number[] = [];
  let at = 0;
  for (const u of sorted) {
    if (!Number.isInteger(u.start) || !Number.isInteger(u.end) || u.start < 0 || u.end <= u.start || u.end > length) {
      throw new ReliabilityError('INVALID_ARGUMENT', `unitizingAlpha requires units with 0 <= start < end <= ${length} in whole positions, ${where} has [${u.start}, ${u.end})`);
    }
    if (u.start < at) throw new ReliabilityError('INVALID_ARGUMENT', `unitizingAlpha requires a coder's units not to overlap, ${where} has two overlapping at ${u.start}`);
    if (u.start > at && fill) out.push(at, u.start, GAP);
    out.push(u.start, u.end, u.value === null ? GAP : index(u.value));
    at = u.end;
  }
  if (at < length && fill) out.push(at, length, GAP);
  return Int32Array.from(out);
}

function continuumSums(parts: readonly Int32Array[], size: number): ContinuumSums {
  const m = parts.length;
  const l = new Float64Array(size * size);
  const s = new Float64Array(size);
  const sStar = new Float64Array(size);
  const w = 1 / (m - 1);
  for (let i = 0; i < m; i++) {
    const a = parts[i]!;
    const pairable = new Float64Array(a.length / 3);
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      const b = parts[j]!;
      // Both partitions cover [0, length): walk them together, one intersection at a time.
      let x = 0;
      let y = 0;
      while (x < a.length && y < b.length) {
        const start = Math.max(a[x]!, b[y]!);
        const end = Math.min(a[x + 1]!, b[y + 1]!);
        const c = a[x + 2]!;
        const k = b[y + 2]!;
        if (end > start) {
          add(l, c * size + k, (end - start) * w);
          if (c !== GAP && k !== GAP) add(pairable, x / 3, (end - start) * w);
        }
        if (a[x + 1]! <= b[y + 1]!) x += 3;
        else y += 3;
      }
    }
    for (let x = 0; x < a.length; x += 3) {
      const len = a[x + 1]! - a[x]!;
      const c = a[x + 2]!;
      add(s, c, c === GAP ? len : len * len);
      if (c !== GAP) add(sStar, c, (pairable[x / 3] ?? 0) ** 2);
    }
  }
  return { l, s, sStar };
}

function family(sums: { l: Float64Array; s: Float64Array; sStar: Float64Array }, size: number, categories: readonly string[], nPairableContinua: number): UnitizingAlphaResult {
  const { l, s, sStar } = sums;
  const row = new Float64Array(size);
  let total = 0;
  let diagonal = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) add(row, c, l[c * size + k]!);
    total += row[c]!;
    diagonal += l[c * size + c]!;
  }
  let sTotal = 0;
  for (let c = 0; c < size; c++) sTotal += s[c]!;
  const denominator = total * total - sTotal;
  // e_cc summed, and e_∅∅, e_∅. for the binary coefficient.
  const expectedCC = (c: number) => (denominator > 0 ? (total * (row[c]! * row[c]! - s[c]!)) / denominator : 0);
  let expectedDiagonal = 0;
  for (let c = 0; c < size; c++) expectedDiagonal += expectedCC(c);
  const u = coefficient(total - diagonal, total - expectedDiagonal, total);

  const gapRow = row[GAP]!;
  const observedBinary = gapRow - l[GAP]!;
  const expectedGapRow = denominator > 0 ? (total * (gapRow * total - s[GAP]!)) / denominator : 0;
  const binary = coefficient(observedBinary, expectedGapRow - expectedCC(GAP), total);

  // The valued part: intersections of units, ∅ left out.
  const rowStar = new Float64Array(size);
  let totalStar = 0;
  let diagonalStar = 0;
  let sStarTotal = 0;
  for (let c = 1; c < size; c++) {
    for (let k = 1; k < size; k++) add(rowStar, c, l[c * size + k]!);
    totalStar += rowStar[c]!;
    diagonalStar += l[c * size + c]!;
    sStarTotal += sStar[c]!;
  }
  const denominatorStar = totalStar * totalStar - sStarTotal;
  const expectedStar = (c: number, k: number) => (denominatorStar > 0 ? (totalStar * (rowStar[c]! * rowStar[k]! - (c === k ? sStar[c]! : 0))) / denominatorStar : 0);
  let expectedDiagonalStar = 0;
  for (let c = 1; c < size; c++) expectedDiagonalStar += expectedStar(c, c);
  const coding =
    totalStar > 0 ? coefficient(totalStar - diagonalStar, totalStar - expectedDiagonalStar, totalStar) : undefinedCoefficient('no two coders’ units intersect');

  const perValue = categories.map((category, i): PerValueAlpha => {
    const k = i + 1;
    const lk = rowStar[k]!;
    const coverage = row[k]! > 0 ? lk / row[k]! : null;
    if (!(lk > 0)) return { category, coverage, ...undefinedCoefficient(`no unit valued "${category}" intersects another coder’s unit`) };
    let ek = 0;
    for (let c = 1; c < size; c++) ek += expectedStar(k, c);
    const observed = lk - l[k * size + k]!;
    const expected = ek - expectedStar(k, k);
    if (!(expected > 1e-12 * totalStar)) return { category, coverage, ...undefinedCoefficient('the expected disagreement is 0: only one value occurs on intersecting units'), observedDisagreement: observed / lk };
    return { category, coverage, value: 1 - ((ek / lk) * observed) / expected, reason: null, observedDisagreement: observed / lk, expectedDisagreement: expected / ek };
  });
  return { measure: 'unitizingAlpha', definition: 'krippendorff-2016', u, binary, coding, perValue, categories, nPairableContinua, pairableLength: total };
}

interface Prepared {
  readonly sums: ContinuumSums[];
  readonly size: number;
  readonly categories: string[];
}

function prepare(input: UnitizingAlphaInput): Prepared {
  const categories: string[] = [];
  const byValue = new Map<string, number>();
  const index = (value: string) => {
    let i = byValue.get(value);
    if (i === undefined) {
      categories.push(value);
      i = categories.length;
      byValue.set(value, i);
    }
    return i;
  };
  const parts: Int32Array[][] = [];
  input.continua.forEach((continuum, n) => {
    if (!Number.isInteger(continuum.length) || continuum.length < 0) {
      throw new ReliabilityError('INVALID_ARGUMENT', `unitizingAlpha requires whole continuum lengths, continuum ${n} has ${continuum.length}`);
    }
    if (continuum.coders.length < 2 || continuum.length === 0) return;
    parts.push(continuum.coders.map((units, c) => partition(units, continuum.length, index, `continuum ${n}, coder ${c}`, input.gaps !== 'given')));
  });
  const size = categories.length + 1;
  return { sums: parts.map((p) => continuumSums(p, size)), size, categories };
}

function pooled(prepared: Prepared, draws?: Int32Array): UnitizingAlphaResult {
  const { size } = prepared;
  const l = new Float64Array(size * size);
  const s = new Float64Array(size);
  const sStar = new Float64Array(size);
  const n = draws ? draws.length : prepared.sums.length;
  for (let d = 0; d < n; d++) {
    const one = prepared.sums[draws ? draws[d]! : d]!;
    for (let i = 0; i < l.length; i++) add(l, i, one.l[i]!);
    for (let i = 0; i < size; i++) {
      add(s, i, one.s[i]!);
      add(sStar, i, one.sStar[i]!);
    }
  }
  return family({ l, s, sStar }, size, prepared.categories, n);
}

/** The uα family over the continua (see the file comment). */
export function unitizingAlpha(input: UnitizingAlphaInput): UnitizingAlphaResult {
  return pooled(prepare(input));
}

export interface UnitizingBootstrap {
  readonly u: BootstrapResult;
  readonly binary: BootstrapResult;
  readonly coding: BootstrapResult;
  /** (k)uα per value, in `categories` order. */
  readonly perValue: readonly BootstrapResult[];
}

/**
 * Percentile bootstrap of every coefficient at once, resampling continua (items) with
 * replacement, as bootstrapAlpha resamples units: a continuum's coders and positions stay
 * together, and all coefficients share each replicate's draws.
 */
export function bootstrapUnitizingAlpha(input: UnitizingAlphaInput & BootstrapOptions): { result: UnitizingAlphaResult; intervals: UnitizingBootstrap } {
  const prepared = prepare(input);
  const values = (r: UnitizingAlphaResult) => [r.u.value, r.binary.value, r.coding.value, ...r.perValue.map((p) => p.value)];
  const result = pooled(prepared);
  const [u, binary, coding, ...perValue] = bootstrapResample({ ...input, nUnits: prepared.sums.length, estimates: values(result), statistics: (draws) => values(pooled(prepared, draws)) });
  return { result, intervals: { u: u!, binary: binary!, coding: coding!, perValue } };
}
