/**
 * Distance (difference) functions, Krippendorff's delta-squared.
 *
 * Reference: K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
 * section on difference functions; J. Passonneau (2006), "Measuring agreement
 * on set-valued items (MASI) for semantic and pragmatic annotation", LREC.
 */

/** Levels of measurement supported by Krippendorff's alpha. */
export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/** A custom distance between two category indices; must be 0 on the diagonal, symmetric, non-negative. */
export type CategoryDistance = (a: number, b: number) => number;

/** A custom distance between two sets of category indices (ascending). */
export type SetDistance = (a: Int32Array, b: Int32Array) => number;

/** Nominal: 0 when equal, 1 otherwise. */
export function nominalDistance(a: number, b: number): number {
  return a === b ? 0 : 1;
}

/** Interval: (c - k)^2 on the scale values. */
export function intervalDistance(c: number, k: number): number {
  const d = c - k;
  return d * d;
}

/** Ratio: ((c - k) / (c + k))^2; 0 when c + k = 0 (both at the absolute zero). */
export function ratioDistance(c: number, k: number): number {
  const s = c + k;
  if (s === 0) return 0;
  const d = (c - k) / s;
  return d * d;
}

/**
 * Ordinal (Krippendorff): (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2 for category
 * positions c <= k, where n_g are the frequencies of pairable values.
 * `cumulative[i]` is sum_{g < i} n_g (length V + 1).
 */
export function ordinalDistance(cumulative: Float64Array, c: number, k: number): number {
  const lo = c < k ? c : k;
  const hi = c < k ? k : c;
  if (lo === hi) return 0;
  const nLo = (cumulative[lo + 1] ?? 0) - (cumulative[lo] ?? 0);
  const nHi = (cumulative[hi + 1] ?? 0) - (cumulative[hi] ?? 0);
  const d = (cumulative[hi + 1] ?? 0) - (cumulative[lo] ?? 0) - (nLo + nHi) / 2;
  return d * d;
}

/** |A ∩ B| for ascending Int32Arrays. */
export function intersectionSize(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** Jaccard distance 1 - |A ∩ B| / |A ∪ B|; two empty sets are at distance 0. */
export function jaccardDistance(a: Int32Array, b: Int32Array): number {
  const inter = intersectionSize(a, b);
  const union = a.length + b.length - inter;
  return union === 0 ? 0 : 1 - inter / union;
}

/**
 * MASI distance (Passonneau 2006): 1 - J * M, with J the Jaccard similarity and
 * M = 1 for identical sets, 2/3 when one is a subset of the other, 1/3 when
 * they overlap otherwise, 0 when disjoint. Exact thirds (NLTK rounds them to
 * .67 and .33). Two empty sets are at distance 0.
 */
export function masiDistance(a: Int32Array, b: Int32Array): number {
  const inter = intersectionSize(a, b);
  const union = a.length + b.length - inter;
  if (union === 0) return 0;
  let monotonicity: number;
  if (inter === a.length && inter === b.length) monotonicity = 1;
  else if (inter === a.length || inter === b.length) monotonicity = 2 / 3;
  else if (inter > 0) monotonicity = 1 / 3;
  else monotonicity = 0;
  return 1 - (inter / union) * monotonicity;
}

/**
 * Krippendorff & Craggs (2016) nominal distance between value sets:
 * 1 - 2 |C ∩ K| / (|C| + |K|); two empty sets are at distance 0.
 */
export function multiValuedNominalDistance(a: Int32Array, b: Int32Array): number {
  const total = a.length + b.length;
  return total === 0 ? 0 : 1 - (2 * intersectionSize(a, b)) / total;
}
