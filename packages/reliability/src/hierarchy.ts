/**
 * Alpha per level of a hierarchical frame: a child option maps to its parent.
 *
 * At depth d (1 = the top level), every category deeper than d is replaced by
 * its ancestor at depth d; categories at depth <= d stay as they are. Alpha is
 * then computed on the recoded data: nominal for single-valued codes, the
 * chosen set distance (default MASI) for set-valued codes, where a set's
 * members are recoded and merged. Agreement typically rises towards the top.
 *
 * Complexity: O(depth x (units x coders^2 + V)).
 */
import { ReliabilityError } from './errors.ts';
import { type AlphaResult, krippendorffAlpha } from './krippendorff-alpha.ts';
import {
  createReliabilityData,
  MISSING,
  type ReliabilityData,
  SetInterner,
  type SetReliabilityData,
} from './reliability-data.ts';
import { setAlpha, type SetAlphaResult, type SetDistanceName } from './set-alpha.ts';

export interface HierarchyLevelAlpha {
  readonly depth: number;
  readonly categories: readonly string[];
  readonly alpha: AlphaResult | SetAlphaResult;
}

export interface AlphaByHierarchyInput {
  readonly data: ReliabilityData | SetReliabilityData;
  /** Parent label of each child label; labels without an entry are top-level. */
  readonly parentOf: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  readonly setDistance?: SetDistanceName;
}

function ancestry(label: string, parents: ReadonlyMap<string, string>): string[] {
  const chain = [label];
  const seen = new Set(chain);
  let current = parents.get(label);
  while (current !== undefined) {
    if (seen.has(current)) {
      throw new ReliabilityError('INVALID_ARGUMENT', `alphaByHierarchyLevel requires an acyclic hierarchy, "${current}" is its own ancestor`);
    }
    seen.add(current);
    chain.unshift(current);
    current = parents.get(current);
  }
  return chain;
}

export function alphaByHierarchyLevel(input: AlphaByHierarchyInput): HierarchyLevelAlpha[] {
  const { data } = input;
  const parents = input.parentOf instanceof Map ? input.parentOf : new Map(Object.entries(input.parentOf));
  const chains = data.categories.map((c) => ancestry(c, parents));
  const maxDepth = Math.max(1, ...chains.map((c) => c.length));
  const result: HierarchyLevelAlpha[] = [];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const mapped = chains.map((chain) => chain[Math.min(depth, chain.length) - 1] ?? '');
    const categories = [...new Set(mapped)];
    const index = new Map(categories.map((c, i) => [c, i]));
    const recode = Int32Array.from(mapped, (label) => index.get(label) ?? 0);
    if (data.kind === 'single') {
      const values = data.values.map((x) => (x < 0 ? MISSING : (recode[x] ?? MISSING)));
      const recoded = createReliabilityData({ values, nUnits: data.nUnits, nCoders: data.nCoders, categories, coders: data.coders });
      result.push({ depth, categories, alpha: krippendorffAlpha({ data: recoded, level: 'nominal' }) });
    } else {
      const interner = new SetInterner();
      const setRecode = data.sets.map((members) => interner.intern(Array.from(members, (c) => recode[c] ?? 0)));
      const values = data.values.map((x) => (x < 0 ? MISSING : (setRecode[x] ?? MISSING)));
      const recoded: SetReliabilityData = { ...data, values, sets: interner.sets, categories };
      result.push({ depth, categories, alpha: setAlpha({ data: recoded, distance: input.setDistance ?? 'masi' }) });
    }
  }
  return result;
}
