/**
 * Diagnostics beside alpha: where does disagreement come from?
 *
 * - coincidence matrix o_ck and its margins n_c (Krippendorff 2011);
 * - per-category alpha: for each category c, nominal alpha of the data recoded
 *   as "c" versus "not c", from the coincidence matrix:
 *     alpha_c = 1 - (n - 1) (n_c - o_cc) / (n_c (n - n_c))
 *   (null when c is unused or is the only category used);
 * - pairwise coder matrix: alpha for every pair of coders alone;
 * - each coder against the rest: alpha without that coder (needs 3+ coders).
 *
 * Complexity: O(coders^2 x units x coders^2) for the pairwise matrix, the rest
 * O(units x coders^2 + V^2). Intended for inspection, not for 1M-unit data.
 */
import { coincidenceMatrix } from './coincidence-matrix.ts';
import type { AlphaLevel } from './distance.ts';
import { type AlphaResult, krippendorffAlpha } from './krippendorff-alpha.ts';
import { type ReliabilityData, selectCoders } from './reliability-data.ts';

export interface AlphaDiagnostics {
  readonly alpha: AlphaResult;
  readonly categories: readonly string[];
  /** Row-major V x V coincidences. */
  readonly coincidences: Float64Array;
  /** n_c: pairable values per category. */
  readonly categoryCounts: Float64Array;
  readonly perCategory: readonly { readonly category: string; readonly alpha: number | null }[];
  readonly coders: readonly string[];
  /** pairwise[i][j]: alpha of coders i and j alone (null on the diagonal or when undefined). */
  readonly pairwise: readonly (readonly (number | null)[])[];
  readonly withoutCoder: readonly { readonly coder: string; readonly alpha: number | null }[];
}

export function perCategoryAlpha(coincidences: Float64Array, counts: Float64Array, nPairable: number): (number | null)[] {
  const v = counts.length;
  const n = nPairable;
  return Array.from(counts, (nc, c) => {
    if (nc <= 0 || nc >= n) return null;
    const disagreeing = nc - (coincidences[c * v + c] ?? 0);
    return 1 - ((n - 1) * disagreeing) / (nc * (n - nc));
  });
}

export function alphaDiagnostics(input: { readonly data: ReliabilityData; readonly level?: AlphaLevel }): AlphaDiagnostics {
  const { data } = input;
  const level = input.level ?? 'nominal';
  const alpha = krippendorffAlpha({ data, level });
  const v = data.categories.length;
  const { matrix, counts, nPairable } = coincidenceMatrix(data, v);
  const perCategory = perCategoryAlpha(matrix, counts, nPairable).map((a, c) => ({ category: data.categories[c] ?? '', alpha: a }));
  const m = data.nCoders;
  const pairwise: (number | null)[][] = Array.from({ length: m }, () => Array.from({ length: m }, () => null));
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
    const value = krippendorffAlpha({ data: selectCoders(data, [i, j]), level }).value;
    (pairwise[i] ?? [])[j] = value;
    (pairwise[j] ?? [])[i] = value;
  }
  const withoutCoder = data.coders.map((coder, i) => ({
    coder,
    alpha: m < 3 ? null : krippendorffAlpha({ data: selectCoders(data, data.coders.map((_, k) => k).filter((k) => k !== i)), level }).value,
  }));
  return { alpha, categories: data.categories, coincidences: matrix, categoryCounts: counts, perCategory, coders: data.coders, pairwise, withoutCoder };
}
