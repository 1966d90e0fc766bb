/**
 * Coincidence matrix (Krippendorff 2011, section "coincidence matrices"):
 *
 *   o_ck = sum_u (number of c-k pairs of values from different coders in u) / (m_u - 1)
 *
 * where m_u is the number of values in unit u. Units with m_u < 2 are not
 * pairable and contribute nothing. The margins n_c = sum_k o_ck count the
 * pairable values; n = sum_c n_c.
 *
 * Complexity: O(units x coders^2) time, O(V^2) memory. The alpha functions do
 * not need this dense matrix (they work from per-unit pairs and the margins);
 * it is a diagnostic.
 */
import { MISSING } from './reliability-data.ts';

export interface PairableCounts {
  /** n_c: pairable values per category (or per set id). */
  readonly counts: Float64Array;
  /** n: all pairable values. */
  readonly nPairable: number;
  readonly nPairableUnits: number;
}

export interface CodeMatrix {
  readonly nUnits: number;
  readonly nCoders: number;
  readonly values: Int32Array;
}

/** Margins of the coincidence matrix without building it. O(units x coders). */
export function pairableCounts(data: CodeMatrix, nValues: number): PairableCounts {
  const { nUnits, nCoders, values } = data;
  const counts = new Float64Array(nValues);
  let nPairable = 0;
  let nPairableUnits = 0;
  for (let u = 0, base = 0; u < nUnits; u++, base += nCoders) {
    let m = 0;
    for (let c = 0; c < nCoders; c++) if ((values[base + c] ?? MISSING) >= 0) m++;
    if (m < 2) continue;
    nPairableUnits++;
    nPairable += m;
    for (let c = 0; c < nCoders; c++) {
      const v = values[base + c] ?? MISSING;
      if (v >= 0) counts[v] = (counts[v] ?? 0) + 1;
    }
  }
  return { counts, nPairable, nPairableUnits };
}

export interface CoincidenceMatrix {
  /** Row-major V x V. */
  readonly matrix: Float64Array;
  readonly size: number;
  readonly counts: Float64Array;
  readonly nPairable: number;
}

/** The dense coincidence matrix over `nValues` categories (or set ids). */
export function coincidenceMatrix(data: CodeMatrix, nValues: number): CoincidenceMatrix {
  const { nUnits, nCoders, values } = data;
  const matrix = new Float64Array(nValues * nValues);
  const buffer = new Int32Array(nCoders);
  for (let u = 0, base = 0; u < nUnits; u++, base += nCoders) {
    let m = 0;
    for (let c = 0; c < nCoders; c++) {
      const v = values[base + c] ?? MISSING;
      if (v >= 0) buffer[m++] = v;
    }
    if (m < 2) continue;
    const w = 1 / (m - 1);
    for (let i = 0; i < m; i++) {
      const a = buffer[i] ?? 0;
      for (let j = i + 1; j < m; j++) {
        const b = buffer[j] ?? 0;
        matrix[a * nValues + b] = (matrix[a * nValues + b] ?? 0) + w;
        matrix[b * nValues + a] = (matrix[b * nValues + a] ?? 0) + w;
      }
    }
  }
  const counts = new Float64Array(nValues);
  let nPairable = 0;
  for (let c = 0; c < nValues; c++) {
    let s = 0;
    for (let k = 0; k < nValues; k++) s += matrix[c * nValues + k] ?? 0;
    counts[c] = s;
    nPairable += s;
  }
  return { matrix, size: nValues, counts, nPairable: Math.round(nPairable * 1e9) / 1e9 };
}
