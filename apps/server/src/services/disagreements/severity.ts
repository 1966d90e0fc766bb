/**
 * How far apart two coders' values of one field are, from 0 (same) to 1 (as far as the
 * field allows): the ranking key of the disagreement inbox.
 *
 * - ordinal scale: |a - b| / (largest - smallest scale point);
 * - number: |a - b| / (max - min), the field's bounds or else the values observed;
 * - choices: MASI distance (Passonneau 2006; for one choice each, 0 or 1), averaged
 *   over the levels of the option hierarchy after mapping each option to its ancestor
 *   at that level, as alpha per hierarchy level does. So a parent against its own child
 *   is 1/2 apart and two different parents 1;
 * - N/A against a value: 1.
 */
import { masiDistance } from '@concord/reliability';
import { isNa, type CodingValue, type FieldDefinition } from '@concord/shared';

export type ValueDistance = (a: CodingValue, b: CodingValue) => number;

function sameValue(a: CodingValue, b: CodingValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
  if (isNa(a) || isNa(b)) return isNa(a) && isNa(b);
  return a === b;
}

function scaled(a: CodingValue, b: CodingValue, range: number): number {
  if (typeof a !== 'number' || typeof b !== 'number' || !(range > 0)) return 1;
  return Math.min(1, Math.abs(a - b) / range);
}

/** Each option's chain of ancestors, root first. */
function ancestries(options: readonly { value: string; parent: string | null }[]): Map<string, string[]> {
  const parents = new Map(options.map((o) => [o.value, o.parent]));
  const chains = new Map<string, string[]>();
  for (const o of options) {
    const chain = [o.value];
    for (let p = o.parent; p !== null && p !== undefined && !chain.includes(p); p = parents.get(p) ?? null) chain.unshift(p);
    chains.set(o.value, chain);
  }
  return chains;
}

function choiceDistance(options: readonly { value: string; parent: string | null }[]): ValueDistance {
  const chains = ancestries(options);
  const depth = Math.max(1, ...[...chains.values()].map((c) => c.length));
  const index = new Map(options.map((o, i) => [o.value, i]));
  // Labels no longer in the codebook (older versions) get indices of their own.
  const indexOf = (label: string) => {
    if (!index.has(label)) index.set(label, index.size);
    return index.get(label)!;
  };
  const atDepth = (labels: readonly string[], d: number) =>
    Int32Array.from(new Set(labels.map((l) => { const chain = chains.get(l) ?? [l]; return indexOf(chain[Math.min(d, chain.length) - 1]!); }))).sort();
  return (a, b) => {
    const setA = Array.isArray(a) ? a : [String(a)];
    const setB = Array.isArray(b) ? b : [String(b)];
    let total = 0;
    for (let d = 1; d <= depth; d++) total += masiDistance(atDepth(setA, d), atDepth(setB, d));
    return total / depth;
  };
}

/** The distance for a field; `observedRange` stands in for missing number bounds. */
export function fieldDistance(field: FieldDefinition, observedRange: number): ValueDistance {
  let inner: ValueDistance;
  switch (field.type) {
    case 'ordinal': {
      const points = field.scale.map((p) => p.value);
      const range = Math.max(...points) - Math.min(...points);
      inner = (a, b) => scaled(a, b, range);
      break;
    }
    case 'number': {
      const range = field.min !== null && field.max !== null ? field.max - field.min : observedRange;
      inner = (a, b) => scaled(a, b, range);
      break;
    }
    case 'single_choice':
    case 'multiple_choice':
      inner = choiceDistance(field.options);
      break;
    case 'link':
      inner = choiceDistance([]);
      break;
    case 'text':
      inner = () => 1;
      break;
  }
  return (a, b) => {
    if (sameValue(a, b)) return 0;
    if (isNa(a) || isNa(b)) return 1;
    return inner(a, b);
  };
}

/** The largest and the mean distance over every pair of values. */
export function spread(values: readonly CodingValue[], distance: ValueDistance): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const d = distance(values[i]!, values[j]!);
      max = Math.max(max, d);
      sum += d;
      pairs++;
    }
  }
  return { max, mean: pairs ? sum / pairs : 0 };
}
