/**
 * Krippendorff's earlier unitizing alpha (Krippendorff 1995, "On the reliability of
 * unitizing continuous data", Sociological Methodology 25, 47-76; corrected in
 * Krippendorff 2004, Content Analysis, 2nd ed., 251-256), per category c, on ONE continuum
 * of length L that all m coders unitized. Each coder's c-units and the gaps between them
 * are compared pairwise by position:
 *
 *   delta^2(g, h) = (b_g - b_h)^2 + (e_g - e_h)^2   two intersecting c-units
 *                 = l_g^2                           a c-unit g inside a gap h (or vice versa)
 *                 = 0                               otherwise
 *   D_o(c) = 2 / (m (m - 1) L^2) sum_{i < j} sum_{g of i, h of j} delta^2(g, h)
 *   D_e(c) = (2/L) sum_{c-units g} [ (N_c - 1)(2 l^3 - 3 l^2 + l)/3
 *              + l^2 sum_{gaps h, l_h >= l} (l_h - l + 1) ] / [ m L (m L - 1) - sum_g l (l - 1) ]
 *   alpha(c) = 1 - D_o(c)/D_e(c);  alpha over all categories = 1 - sum D_o / sum D_e
 *
 * N_c counts the c-units of all coders, l = l_g. This is the definition DKPro Agreement
 * implements (`KrippendorffAlphaUnitizingAgreement`); Krippendorff et al. (2016) replaced
 * it because it misbehaves with more than two coders (see unitizing-alpha.ts, the one
 * Concord reports). Kept to reproduce the published examples and for comparison.
 * Complexity: O(m^2 x units) for D_o, O(units x gaps) for D_e.
 */
import { ReliabilityError } from './errors.ts';

export interface CategoryUnit {
  /** Coder index, 0 .. nCoders - 1. */
  readonly coder: number;
  /** `[start, end)` on the continuum `[begin, begin + length)`. */
  readonly start: number;
  readonly end: number;
  readonly category: string;
}

export interface UnitizingAlpha2004Input {
  readonly begin?: number;
  readonly length: number;
  readonly nCoders: number;
  readonly units: readonly CategoryUnit[];
}

export interface CategoryAlpha2004 {
  readonly category: string;
  readonly value: number | null;
  readonly observedDisagreement: number;
  readonly expectedDisagreement: number;
}

export interface UnitizingAlpha2004Result {
  readonly measure: 'unitizingAlpha';
  readonly definition: 'krippendorff-2004';
  readonly value: number | null;
  readonly observedDisagreement: number;
  readonly expectedDisagreement: number;
  readonly perCategory: readonly CategoryAlpha2004[];
}

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly unit: boolean;
}

/** The positional distance between two segments of different coders (0 unless they intersect). */
export function positionalDistance(g: Segment, h: Segment): number {
  if (g.unit && h.unit) {
    if (g.start >= h.end || h.start >= g.end) return 0;
    return (g.start - h.start) ** 2 + (g.end - h.end) ** 2;
  }
  if (g.unit && !h.unit) return h.start <= g.start && g.end <= h.end ? (g.end - g.start) ** 2 : 0;
  if (!g.unit && h.unit) return g.start <= h.start && h.end <= g.end ? (h.end - h.start) ** 2 : 0;
  return 0;
}

function segments(units: readonly CategoryUnit[], begin: number, end: number): Segment[] {
  const out: Segment[] = [];
  let at = begin;
  for (const u of [...units].sort((a, b) => a.start - b.start)) {
    if (u.start < at) throw new ReliabilityError('INVALID_ARGUMENT', `unitizingAlpha2004 requires a coder's units of one category not to overlap, coder ${u.coder} has two "${u.category}" units at ${u.start}`);
    if (u.start > at) out.push({ start: at, end: u.start, unit: false });
    out.push({ start: u.start, end: u.end, unit: true });
    at = u.end;
  }
  if (at < end) out.push({ start: at, end, unit: false });
  return out;
}

/** Krippendorff's (2004) unitizing alpha per category and over all categories. */
export function unitizingAlpha2004(input: UnitizingAlpha2004Input): UnitizingAlpha2004Result {
  const begin = input.begin ?? 0;
  const L = input.length;
  const m = input.nCoders;
  if (!Number.isInteger(m) || m < 2) throw new ReliabilityError('TOO_FEW_CODERS', `unitizingAlpha2004 requires at least 2 coders, got ${m}`);
  if (!(L > 0)) throw new ReliabilityError('INVALID_ARGUMENT', `unitizingAlpha2004 requires a positive continuum length, got ${L}`);
  for (const u of input.units) {
    if (!(Number.isInteger(u.coder) && u.coder >= 0 && u.coder < m) || !(u.start >= begin && u.end > u.start && u.end <= begin + L)) {
      throw new ReliabilityError('INVALID_ARGUMENT', `unitizingAlpha2004 requires units inside the continuum by coders 0..${m - 1}, got coder ${u.coder} [${u.start}, ${u.end})`);
    }
  }
  const categories = [...new Set(input.units.map((u) => u.category))];
  const perCategory = categories.map((category): CategoryAlpha2004 => {
    const byCoder = Array.from({ length: m }, (_, c) => segments(input.units.filter((u) => u.coder === c && u.category === category), begin, begin + L));
    let observed = 0;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        for (const g of byCoder[i]!) for (const h of byCoder[j]!) observed += positionalDistance(g, h);
      }
    }
    observed = (2 * observed) / (m * (m - 1) * L * L);

    const units = byCoder.flat().filter((s) => s.unit);
    const gaps = byCoder.flat().filter((s) => !s.unit).map((s) => s.end - s.start);
    const n = units.length;
    let sum = 0;
    let selfPairs = 0;
    for (const g of units) {
      const l = g.end - g.start;
      let fits = 0;
      for (const gap of gaps) if (gap >= l) fits += gap - l + 1;
      sum += ((n - 1) * (2 * l ** 3 - 3 * l ** 2 + l)) / 3 + l * l * fits;
      selfPairs += l * (l - 1);
    }
    const expected = ((2 / L) * sum) / (m * L * (m * L - 1) - selfPairs);
    return { category, value: expected > 0 ? 1 - observed / expected : null, observedDisagreement: observed, expectedDisagreement: expected };
  });
  const observed = perCategory.reduce((a, c) => a + c.observedDisagreement, 0);
  const expected = perCategory.reduce((a, c) => a + c.expectedDisagreement, 0);
  const k = Math.max(1, perCategory.length);
  return {
    measure: 'unitizingAlpha',
    definition: 'krippendorff-2004',
    value: expected > 0 ? 1 - observed / expected : null,
    observedDisagreement: observed / k,
    expectedDisagreement: expected / k,
    perCategory,
  };
}
