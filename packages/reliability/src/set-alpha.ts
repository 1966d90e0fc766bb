/**
 * Alpha for set-valued codes (multi-select frames).
 *
 * `setAlpha`: Krippendorff's alpha where each distinct set is a value and the
 * distance between two sets is MASI (Passonneau 2006), Jaccard, or a custom
 * set distance. This is the construction of NLTK's
 * `AnnotationTask(distance=masi_distance).alpha()` with exact MASI thirds.
 *
 * `multiValuedAlpha`: Krippendorff & Craggs (2016), "The Reliability of
 * Multi-Valued Coding of Data", Communication Methods and Measures 10(4),
 * 181-198 (nominal mv-alpha). D_o is the ordinary coincidence-matrix D_o with
 * delta(C, K) = 1 - 2|C ∩ K| / (|C| + |K|). D_e is the expected distance
 * between two sets drawn as the data's cardinalities are distributed (P_|C|,
 * over pairable sets), their members drawn without replacement from the
 * pooled pairable category frequencies n_c:
 *
 *   D_e = sum_{a,b} P_a P_b sum_{|C|=a,|K|=b} w(C,K) delta(C,K) / sum w(C,K)
 *   w(C,K) = prod_{c in C} n_c prod_{k in K \ C} n_k prod_{k in C ∩ K} (n_k - 1)
 *
 * The sums over all C, K are evaluated exactly with a generating function,
 * prod_c (1 + n_c x + n_c y + n_c (n_c - 1) x y z), whose coefficient of
 * x^a y^b z^t is the total weight of pairs with |C| = a, |K| = b, |C ∩ K| = t:
 * O(V a_max^3) instead of enumerating every pair of subsets.
 */
import { computeAlpha, DISTANCE_TABLE_LIMIT, type DistancePlan, tabulateDistance } from './alpha-core.ts';
import { pairableCounts } from './coincidence-matrix.ts';
import { jaccardDistance, masiDistance, multiValuedNominalDistance, type SetDistance } from './distance.ts';
import { type AlphaResult, requireCoders } from './krippendorff-alpha.ts';
import type { SetReliabilityData } from './reliability-data.ts';

export type SetDistanceName = 'masi' | 'jaccard';

export interface SetAlphaInput {
  readonly data: SetReliabilityData;
  /** 'masi' (default), 'jaccard', or a custom distance between two sets of category indices. */
  readonly distance?: SetDistanceName | SetDistance;
}

export interface SetAlphaResult extends Omit<AlphaResult, 'measure' | 'level'> {
  readonly measure: 'krippendorffAlpha' | 'multiValuedAlpha';
  readonly distance: SetDistanceName | 'custom' | 'krippendorff-craggs';
}

export function setDistancePlan(data: SetReliabilityData, distance: SetDistanceName | SetDistance): DistancePlan {
  const fn = distance === 'masi' ? masiDistance : distance === 'jaccard' ? jaccardDistance : distance;
  const sets = data.sets;
  const empty = new Int32Array(0);
  const onIds = (a: number, b: number) => fn(sets[a] ?? empty, sets[b] ?? empty);
  return sets.length <= DISTANCE_TABLE_LIMIT
    ? { kind: 'table', table: tabulateDistance(sets.length, onIds, 'setAlpha') }
    : { kind: 'function', distance: onIds };
}

export function setAlpha(input: SetAlphaInput): SetAlphaResult {
  const { data } = input;
  const distance = input.distance ?? 'masi';
  requireCoders(data.nCoders, 'setAlpha');
  const core = computeAlpha(data, data.sets.length, setDistancePlan(data, distance));
  return {
    measure: 'krippendorffAlpha',
    distance: typeof distance === 'string' ? distance : 'custom',
    value: core.value,
    reason: core.reason,
    observedDisagreement: core.observedDisagreement,
    expectedDisagreement: core.expectedDisagreement,
    nUnits: data.nUnits,
    nCoders: data.nCoders,
    nPairableUnits: core.nPairableUnits,
    nPairable: core.nPairable,
    percentAgreement: core.percentAgreement,
  };
}

/**
 * Total weight by (|C|, |K|, |C ∩ K|) over all pairs of subsets of the
 * categories; index [(a * (A + 1) + b) * (A + 1) + t] for a, b, t <= A.
 */
function subsetPairWeights(categoryCounts: Float64Array, maxCardinality: number): Float64Array {
  const side = maxCardinality + 1;
  let poly = new Float64Array(side * side * side);
  poly[0] = 1;
  for (const n of categoryCounts) {
    if (n === 0) continue;
    const next = new Float64Array(poly.length);
    for (let a = 0; a < side; a++) for (let b = 0; b < side; b++) for (let t = 0; t <= Math.min(a, b); t++) {
      const w = poly[(a * side + b) * side + t] ?? 0;
      if (w === 0) continue;
      next[(a * side + b) * side + t] = (next[(a * side + b) * side + t] ?? 0) + w;
      if (a + 1 < side) next[((a + 1) * side + b) * side + t] = (next[((a + 1) * side + b) * side + t] ?? 0) + w * n;
      if (b + 1 < side) next[(a * side + b + 1) * side + t] = (next[(a * side + b + 1) * side + t] ?? 0) + w * n;
      if (a + 1 < side && b + 1 < side) {
        const i = ((a + 1) * side + b + 1) * side + t + 1;
        next[i] = (next[i] ?? 0) + w * n * (n - 1);
      }
    }
    poly = next;
  }
  return poly;
}

/** Krippendorff & Craggs (2016) multi-valued alpha, nominal metric. */
export function multiValuedAlpha(input: { readonly data: SetReliabilityData }): SetAlphaResult {
  const { data } = input;
  requireCoders(data.nCoders, 'multiValuedAlpha');
  const nSets = data.sets.length;
  const plan: DistancePlan = nSets <= DISTANCE_TABLE_LIMIT
    ? { kind: 'table', table: tabulateDistance(nSets, (a, b) => multiValuedNominalDistance(data.sets[a] ?? new Int32Array(0), data.sets[b] ?? new Int32Array(0)), 'multiValuedAlpha') }
    : { kind: 'function', distance: (a, b) => multiValuedNominalDistance(data.sets[a] ?? new Int32Array(0), data.sets[b] ?? new Int32Array(0)) };
  const core = computeAlpha(data, nSets, plan);
  const base = {
    measure: 'multiValuedAlpha' as const,
    distance: 'krippendorff-craggs' as const,
    nUnits: data.nUnits,
    nCoders: data.nCoders,
    nPairableUnits: core.nPairableUnits,
    nPairable: core.nPairable,
    percentAgreement: core.percentAgreement,
    observedDisagreement: core.observedDisagreement,
  };
  if (core.nPairable === 0 || core.observedDisagreement === null) {
    return { ...base, value: null, reason: core.reason, expectedDisagreement: null };
  }
  const { counts: setCounts, nPairable } = pairableCounts(data, nSets);
  const categoryCounts = new Float64Array(data.categories.length);
  let maxCardinality = 0;
  const cardinalityShare = new Map<number, number>();
  data.sets.forEach((members, id) => {
    const n = setCounts[id] ?? 0;
    if (n === 0) return;
    for (const c of members) categoryCounts[c] = (categoryCounts[c] ?? 0) + n;
    maxCardinality = Math.max(maxCardinality, members.length);
    cardinalityShare.set(members.length, (cardinalityShare.get(members.length) ?? 0) + n / nPairable);
  });
  const side = maxCardinality + 1;
  const weights = subsetPairWeights(categoryCounts, maxCardinality);
  let expected = 0;
  for (const [a, pa] of cardinalityShare) for (const [b, pb] of cardinalityShare) {
    let total = 0;
    let weighted = 0;
    for (let t = 0; t <= Math.min(a, b); t++) {
      const w = weights[(a * side + b) * side + t] ?? 0;
      total += w;
      weighted += w * (a + b === 0 ? 0 : 1 - (2 * t) / (a + b));
    }
    if (total > 0) expected += pa * pb * (weighted / total);
  }
  const zero = expected <= 0;
  return {
    ...base,
    value: zero ? null : 1 - core.observedDisagreement / expected,
    reason: zero ? 'expected disagreement is zero: every pairable value is the same set' : null,
    expectedDisagreement: expected,
  };
}
