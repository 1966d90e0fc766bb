import { describe, expect, it } from 'vitest';
import { fromRows, fromSetRows, krippendorffAlpha, setAlpha } from '@concord/reliability';
import { fieldDefinitionSchema, NA, type CodingValue, type FieldDefinition } from '@concord/shared';
import { fieldMatrix, type FieldCell } from './field-matrix.ts';
import { fieldReliability } from './field-reliability.ts';

const field = (input: unknown): FieldDefinition => fieldDefinitionSchema.parse(input);
const cells = (rows: (CodingValue | undefined)[][]): FieldCell[] =>
  rows.flatMap((row, u) => row.flatMap((value, c) => (value === undefined ? [] : [{ unit: `u${u}`, coder: `c${c}@x`, value }])));

const popularity = field({ key: 'popularity', label: 'Popularity', type: 'ordinal', allowNa: true, scale: [1, 2, 3, 4].map((value) => ({ value, label: String(value) })) });

describe('fieldReliability', () => {
  it('leaves N/A out of ordinal alpha (no scale point), counts it, and reports nominal alpha with N/A beside it', () => {
    const rows: (CodingValue | undefined)[][] = [[1, 1, 2], [3, 3, 3], [4, NA, 4], [2, 2, undefined], [NA, NA, 1]];
    const r = fieldReliability(popularity, fieldMatrix(cells(rows)), null);
    const asLabels = (naAs: string | null) => rows.map((row) => row.map((v) => (v === undefined ? null : typeof v === 'number' ? String(v) : naAs)));
    expect(r).toMatchObject({ metric: 'krippendorff-alpha', level: 'ordinal', n_units: 5, n_coders: 3, missing: 1, na: 3, excluded: 0, ci: null });
    expect(r.value).toBe(krippendorffAlpha({ data: fromRows({ rows: asLabels(null), categories: ['1', '2', '3', '4'] }), level: 'ordinal' }).value);
    const withNa = r.others.find((o) => o.note === 'N/A as a category');
    expect(withNa?.value).toBe(krippendorffAlpha({ data: fromRows({ rows: asLabels('NA'), categories: ['1', '2', '3', '4', 'NA'] }) }).value);
    expect(r.others.map((o) => `${o.metric}/${o.weights}`)).toEqual(['fleiss-kappa/unweighted', 'gwet-ac/unweighted', 'fleiss-kappa/quadratic', 'gwet-ac/quadratic', 'krippendorff-alpha/null']);
  });

  it('treats the empty set as a value, N/A as the set {NA}, and leaves out values the codebook no longer has', () => {
    const sources = field({ key: 'sources', label: 'Sources', type: 'multiple_choice', allowNa: true, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] });
    const rows: (CodingValue | undefined)[][] = [[[], []], [['a'], ['a', 'b']], [NA, ['b']], [['gone'], ['a']]];
    const r = fieldReliability(sources, fieldMatrix(cells(rows)), { replicates: 50, seed: 3 });
    const data = fromSetRows({ rows: [[[], []], [['a'], ['a', 'b']], [['NA'], ['b']], [null, ['a']]], categories: ['a', 'b', 'NA'] });
    expect(r).toMatchObject({ level: 'masi', na: 1, excluded: 1, missing: 0, value: setAlpha({ data, distance: 'masi' }).value });
    expect(r.ci).not.toBeNull();
  });

  it('says why when there are fewer than two coders, and gives text fields no coefficient', () => {
    expect(fieldReliability(popularity, fieldMatrix(cells([[1], [2]])), null)).toMatchObject({ value: null, reason: 'reliability requires at least two coders, got 1' });
    const text = field({ key: 'memo', label: 'Memo', type: 'text' });
    expect(fieldReliability(text, fieldMatrix(cells([['x', 'y']])), null)).toMatchObject({ metric: null, value: null });
  });
});
