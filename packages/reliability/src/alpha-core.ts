/**
 * The computational core shared by every alpha variant (levels, set values,
 * custom distances, bootstrap):
 *
 *   alpha = 1 - D_o / D_e
 *   D_o = (1/n) sum_u 1/(m_u - 1) sum_{i != j in u} delta(v_i, v_j)
 *   D_e = 1/(n (n - 1)) sum_c sum_k n_c n_k delta(c, k)
 *
 * (Krippendorff 2011, equations for D_o and D_e written with the coincidence
 * matrix expanded). D_o is accumulated per unit from its m_u values, so no
 * V x V matrix per unit is ever built; D_e uses only the margins n_c:
 * O(V) for nominal and interval (via centred moments), O(U^2) over the U used
 * values for ordinal, ratio and custom distances.
 */
import { type CodeMatrix, pairableCounts } from './coincidence-matrix.ts';
import { ReliabilityError } from './errors.ts';
import { MISSING } from './reliability-data.ts';

/** Above this many distinct values, distances are evaluated on the fly instead of tabulated. */
export const DISTANCE_TABLE_LIMIT = 2048;

export type DistancePlan =
  | { readonly kind: 'nominal' }
  | { readonly kind: 'interval'; readonly scale: Float64Array }
  | { readonly kind: 'ordinal' }
  | { readonly kind: 'table'; readonly table: Float64Array }
  | { readonly kind: 'function'; readonly distance: (a: number, b: number) => number };

export const REASON_NOT_PAIRABLE = 'no unit has values from two or more coders, so no value is pairable';
export const REASON_ZERO_EXPECTED =
  'expected disagreement is zero: every pairable value is the same (only one category used)';

export interface AlphaCore {
  readonly value: number | null;
  readonly reason: string | null;
  readonly observedDisagreement: number | null;
  readonly expectedDisagreement: number | null;
  readonly nPairable: number;
  readonly nPairableUnits: number;
  /** Share of agreeing pairs of values within a unit, averaged over pairable units (Gwet 2014). */
  readonly percentAgreement: number | null;
  readonly counts: Float64Array;
}

/**
 * Tabulates a fixed distance over `nValues` values, validating that it is a
 * distance in Krippendorff's sense (zero diagonal, symmetric, finite, >= 0).
 */
export function tabulateDistance(nValues: number, distance: (a: number, b: number) => number, measure: string): Float64Array {
  const table = new Float64Array(nValues * nValues);
  for (let a = 0; a < nValues; a++) {
    for (let b = a; b < nValues; b++) {
      const d = a === b ? distance(a, a) : distance(a, b);
      if (!Number.isFinite(d) || d < 0 || (a === b && d !== 0)) {
        throw new ReliabilityError(
          'INVALID_ARGUMENT',
          `${measure} requires a distance that is finite, non-negative and zero for identical values, got ${d} for (${a}, ${b})`,
        );
      }
      table[a * nValues + b] = d;
      table[b * nValues + a] = d;
    }
  }
  return table;
}

/** Cumulative frequencies: cumulative[i] = sum_{g < i} n_g. */
export function cumulativeCounts(counts: Float64Array): Float64Array {
  const cumulative = new Float64Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) cumulative[i + 1] = (cumulative[i] ?? 0) + (counts[i] ?? 0);
  return cumulative;
}

/** Krippendorff's ordinal distances for the current margins, as a function or table. */
export function ordinalPlan(counts: Float64Array): DistancePlan {
  const cumulative = cumulativeCounts(counts);
  const v = counts.length;
  const distance = (c: number, k: number): number => {
    if (c === k) return 0;
    const lo = c < k ? c : k;
    const hi = c < k ? k : c;
    const d = (cumulative[hi + 1] ?? 0) - (cumulative[lo] ?? 0) - ((counts[lo] ?? 0) + (counts[hi] ?? 0)) / 2;
    return d * d;
  };
  if (v > DISTANCE_TABLE_LIMIT) return { kind: 'function', distance };
  const table = new Float64Array(v * v);
  for (let a = 0; a < v; a++) for (let b = a + 1; b < v; b++) {
    const d = distance(a, b);
    table[a * v + b] = d;
    table[b * v + a] = d;
  }
  return { kind: 'table', table };
}

/** sum_c sum_k n_c n_k delta(c, k) over the margins. */
export function expectedDisagreementSum(counts: Float64Array, plan: DistancePlan): number {
  const v = counts.length;
  switch (plan.kind) {
    case 'nominal': {
      let n = 0;
      let squares = 0;
      for (let c = 0; c < v; c++) {
        const x = counts[c] ?? 0;
        n += x;
        squares += x * x;
      }
      return n * n - squares;
    }
    case 'interval': {
      // sum_c sum_k n_c n_k (x_c - x_k)^2 = 2 n sum_c n_c (x_c - mean)^2
      let n = 0;
      let sum = 0;
      for (let c = 0; c < v; c++) {
        const x = counts[c] ?? 0;
        n += x;
        sum += x * (plan.scale[c] ?? 0);
      }
      if (n === 0) return 0;
      const mean = sum / n;
      let ss = 0;
      for (let c = 0; c < v; c++) {
        const d = (plan.scale[c] ?? 0) - mean;
        ss += (counts[c] ?? 0) * d * d;
      }
      return 2 * n * ss;
    }
    case 'ordinal':
      return expectedDisagreementSum(counts, ordinalPlan(counts));
    case 'table':
    case 'function': {
      const used: number[] = [];
      for (let c = 0; c < v; c++) if ((counts[c] ?? 0) > 0) used.push(c);
      let total = 0;
      for (let i = 0; i < used.length; i++) {
        const c = used[i] ?? 0;
        const nc = counts[c] ?? 0;
        for (let j = i + 1; j < used.length; j++) {
          const k = used[j] ?? 0;
          const d = plan.kind === 'table' ? (plan.table[c * v + k] ?? 0) : plan.distance(c, k);
          total += 2 * nc * (counts[k] ?? 0) * d;
        }
      }
      return total;
    }
  }
}

/**
 * Per-unit observed disagreement: sum over ordered pairs i != j of
 * delta(v_i, v_j), divided by (m - 1). `buffer` holds the unit's m values.
 */
export function unitDisagreement(buffer: Int32Array, m: number, plan: DistancePlan, v: number): number {
  let total = 0;
  switch (plan.kind) {
    case 'nominal':
      for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) if (buffer[i] !== buffer[j]) total += 1;
      break;
    case 'interval': {
      // sum_{i<j} (x_i - x_j)^2 = m sum x^2 - (sum x)^2, centred on the first value for accuracy
      const x0 = plan.scale[buffer[0] ?? 0] ?? 0;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < m; i++) {
        const x = (plan.scale[buffer[i] ?? 0] ?? 0) - x0;
        s1 += x;
        s2 += x * x;
      }
      total = m * s2 - s1 * s1;
      break;
    }
    case 'table':
      for (let i = 0; i < m; i++) {
        const row = (buffer[i] ?? 0) * v;
        for (let j = i + 1; j < m; j++) total += plan.table[row + (buffer[j] ?? 0)] ?? 0;
      }
      break;
    case 'function':
      for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) total += plan.distance(buffer[i] ?? 0, buffer[j] ?? 0);
      break;
    case 'ordinal':
      throw new ReliabilityError('INVALID_ARGUMENT', 'unitDisagreement requires a resolved ordinal plan');
  }
  return (2 * total) / (m - 1);
}

/**
 * Alpha over a code matrix whose entries index `nValues` values (categories or
 * sets). O(units x coders^2) plus the D_e cost above.
 */
export function computeAlpha(data: CodeMatrix, nValues: number, plan: DistancePlan): AlphaCore {
  const { nUnits, nCoders, values } = data;
  let resolved = plan;
  let counts: Float64Array;
  if (plan.kind === 'ordinal') {
    counts = pairableCounts(data, nValues).counts;
    resolved = ordinalPlan(counts);
  } else {
    counts = new Float64Array(nValues);
  }
  const countHere = plan.kind !== 'ordinal';
  const buffer = new Int32Array(Math.max(nCoders, 1));
  // Values seen so far in the current unit, per value: each value agrees with the equal ones
  // before it. Counting so instead of comparing every pair avoids a hard-to-predict branch per
  // pair (most of alpha's time on a million units); reset after each unit.
  const seen = new Int32Array(nValues);
  let n = 0;
  let nPairableUnits = 0;
  let observedSum = 0;
  let agreementSum = 0;
  for (let u = 0, base = 0; u < nUnits; u++, base += nCoders) {
    let m = 0;
    for (let c = 0; c < nCoders; c++) {
      const v = values[base + c] ?? MISSING;
      buffer[m] = v;
      m += v >= 0 ? 1 : 0;
    }
    if (m < 2) continue;
    nPairableUnits++;
    n += m;
    let agreements = 0;
    for (let i = 0; i < m; i++) {
      const a = buffer[i]!;
      agreements += seen[a]!;
      seen[a]!++;
      if (countHere) counts[a]!++;
    }
    for (let i = 0; i < m; i++) seen[buffer[i]!] = 0;
    agreementSum += (2 * agreements) / (m * (m - 1));
    if (resolved.kind === 'nominal') observedSum += (2 * ((m * (m - 1)) / 2 - agreements)) / (m - 1);
    else observedSum += unitDisagreement(buffer, m, resolved, nValues);
  }
  const percentAgreement = nPairableUnits > 0 ? agreementSum / nPairableUnits : null;
  if (n === 0) {
    return {
      value: null,
      reason: REASON_NOT_PAIRABLE,
      observedDisagreement: null,
      expectedDisagreement: null,
      nPairable: 0,
      nPairableUnits: 0,
      percentAgreement,
      counts,
    };
  }
  const observedDisagreement = observedSum / n;
  const expectedDisagreement = expectedDisagreementSum(counts, resolved) / (n * (n - 1));
  const zero = expectedDisagreement <= 0;
  return {
    value: zero ? null : 1 - observedDisagreement / expectedDisagreement,
    reason: zero ? REASON_ZERO_EXPECTED : null,
    observedDisagreement,
    expectedDisagreement,
    nPairable: n,
    nPairableUnits,
    percentAgreement,
    counts,
  };
}
