/**
 * The agreed value of an item's field, from its coders' submitted values and an editor's
 * decision: the final dataset's value (export/final-values.ts), on which the charts count
 * (CHART_COUNTING_RULE in @concord/shared):
 * 1. a decided adjudication (the gold value) wins; "no value" decided means left out;
 * 2. otherwise the value more than half of the item's coders submitted (unanimity included);
 *    for multiple choice, the set of options more than half of them selected (N/A when
 *    more than half answered N/A);
 * 3. otherwise none: the item is left out. N/A is never counted in a bar.
 * Values that no longer fit the codebook are not votes.
 */
import { checkValue, formatValue, isNa, type CodingValue, type FieldDefinition } from '@concord/shared';

export function consensusValue(field: FieldDefinition, votes: readonly CodingValue[], decided?: { value: CodingValue | null }): CodingValue | null {
  if (decided) return decided.value !== null && checkValue(field, decided.value) === null ? decided.value : null;
  const valid = votes.filter((v) => checkValue(field, v) === null);
  const n = valid.length;
  if (n === 0) return null;
  const majority = (count: number) => count * 2 > n;
  if (field.type === 'multiple_choice' || field.type === 'link') {
    if (majority(valid.filter(isNa).length)) return { na: true };
    const counts = new Map<string, number>();
    for (const v of valid) if (Array.isArray(v)) for (const o of v) counts.set(o, (counts.get(o) ?? 0) + 1);
    // Options in codebook order; actors (a link field) by id, as exports sort them.
    const order = field.type === 'link' ? [...counts.keys()].sort() : field.options.map((o) => o.value);
    const chosen = order.filter((o) => majority(counts.get(o) ?? 0));
    return chosen.length ? chosen : null;
  }
  const tally = new Map<string, { value: CodingValue; count: number }>();
  for (const v of valid) {
    const key = formatValue(v);
    const t = tally.get(key) ?? { value: v, count: 0 };
    t.count++;
    tally.set(key, t);
  }
  const top = [...tally.values()].find((t) => majority(t.count));
  return top ? top.value : null;
}

/** The values an item counts under, as option values or scale points; [] for N/A or none. */
export function countedValues(value: CodingValue | null): string[] {
  if (value === null || isNa(value)) return [];
  return Array.isArray(value) ? value : [String(value)];
}
