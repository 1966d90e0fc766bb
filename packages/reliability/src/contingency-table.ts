/**
 * The two-coder contingency table over units coded by both coders, the input
 * of Cohen's kappa and Scott's pi. O(units) time, O(V^2) memory.
 */
import { ReliabilityError } from './errors.ts';
import { MISSING, type ReliabilityData } from './reliability-data.ts';

export interface ContingencyTable {
  /** Row-major V x V counts: rows coder 1, columns coder 2. */
  readonly counts: Float64Array;
  readonly size: number;
  /** Units coded by both coders. */
  readonly n: number;
}

export function requireTwoCoders(nCoders: number, measure: string): void {
  if (nCoders < 2) throw new ReliabilityError('TOO_FEW_CODERS', `${measure} requires exactly two coders, got ${nCoders}`);
  if (nCoders > 2) throw new ReliabilityError('TOO_MANY_CODERS', `${measure} requires exactly two coders, got ${nCoders}`);
}

export function contingencyTable(data: ReliabilityData): ContingencyTable {
  const v = data.categories.length;
  const counts = new Float64Array(v * v);
  let n = 0;
  const { values, nUnits } = data;
  for (let u = 0; u < nUnits; u++) {
    const a = values[2 * u] ?? MISSING;
    const b = values[2 * u + 1] ?? MISSING;
    if (a < 0 || b < 0) continue;
    counts[a * v + b] = (counts[a * v + b] ?? 0) + 1;
    n++;
  }
  return { counts, size: v, n };
}
