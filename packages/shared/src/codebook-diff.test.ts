import { describe, expect, it } from 'vitest';
import { describeDiff, diffCodebooks, isUnchanged } from './codebook-diff.ts';
import { fieldDefinitionSchema, type FieldDefinition } from './schemas/codebook.ts';

const field = (input: unknown): FieldDefinition => fieldDefinitionSchema.parse(input);

const frameOptions = [
    { value: 'security', label: 'Security first' },
    { value: 'terrorists', label: 'Protesters are terrorists', parent: 'security' },
    { value: 'leader', label: 'Best leader' },
].map((o) => ({ parent: null, help: '', ...o }));
const frames = field({ key: 'frames', label: 'Frames', type: 'multiple_choice', options: frameOptions });
const impact = field({ key: 'impact', label: 'Impact', type: 'ordinal', scale: [-1, 0, 1].map((value) => ({ value, label: `p${value}` })) });
const notes = field({ key: 'notes', label: 'Notes', type: 'text' });

describe('diffCodebooks', () => {
  it('finds nothing between equal codebooks', () => {
    const diff = diffCodebooks([frames, impact], [frames, impact]);
    expect(isUnchanged(diff)).toBe(true);
    expect(describeDiff(diff)).toEqual([]);
  });

  it('lists added and removed fields, with the added field’s options', () => {
    const diff = diffCodebooks([frames, notes], [frames, impact]);
    expect(diff.fields.map((f) => [f.key, f.kind])).toEqual([
      ['impact', 'added'],
      ['notes', 'removed'],
    ]);
    expect(diff.fields[0]!.scale.added.map((p) => p.value)).toEqual([-1, 0, 1]);
    expect(describeDiff(diff)).toEqual(['added field "impact"', 'removed field "notes"']);
  });

  it('tells options added, removed, renamed, moved under another parent and reordered', () => {
    const after = field({
      ...frames,
      options: [
        { value: 'leader', label: 'Tokayev is the best leader' },
        { value: 'security', label: 'Security first' },
        { value: 'terrorists', label: 'Protesters are terrorists', parent: 'leader' },
        { value: 'foreign', label: 'Foreign plot', parent: 'security' },
      ],
    });
    const diff = diffCodebooks([frames], [after]);
    expect(diff.fields).toHaveLength(1);
    const change = diff.fields[0]!;
    expect(change.kind).toBe('changed');
    expect(change.properties).toEqual([]);
    expect(change.options.added.map((o) => o.value)).toEqual(['foreign']);
    expect(change.options.removed).toEqual([]);
    expect(change.options.renamed).toEqual([{ value: 'leader', from: 'Best leader', to: 'Tokayev is the best leader' }]);
    expect(change.options.reparented).toEqual([{ value: 'terrorists', from: 'security', to: 'leader' }]);
    expect(change.options.reordered).toBe(true);
    expect(describeDiff(diff)).toEqual([
      'changed field "frames": options added "foreign"; option "leader" renamed "Best leader" → "Tokayev is the best leader"; option "terrorists" moved under "leader"; options reordered',
    ]);
  });

  it('does not call an added or removed option a reorder', () => {
    const after = field({ ...frames, options: [...frameOptions.filter((o) => o.value !== 'terrorists'), { value: 'new', label: 'New' }] });
    const change = diffCodebooks([frames], [after]).fields[0]!;
    expect(change.options.reordered).toBe(false);
    expect(change.options.removed.map((o) => o.value)).toEqual(['terrorists']);
    expect(change.options.added.map((o) => o.value)).toEqual(['new']);
  });

  it('tells changed properties, scale relabels and a type change', () => {
    const relabelled = field({ ...impact, label: 'Civic impact', required: true, scale: [-1, 0, 1].map((value) => ({ value, label: value === 0 ? 'neutral' : `p${value}` })) });
    const asNumber = field({ key: 'notes', label: 'Notes', type: 'number', min: 0 });
    const diff = diffCodebooks([impact, notes], [relabelled, asNumber]);
    expect(diff.fields.map((f) => [f.key, f.properties])).toEqual([
      ['impact', ['label', 'required']],
      ['notes', ['type', 'min', 'max', 'integer', 'maxLength']],
    ]);
    expect(diff.fields[0]!.scale.renamed).toEqual([{ value: 0, from: 'p0', to: 'neutral' }]);
    expect(describeDiff(diff)[0]).toBe('changed field "impact": label, required changed; scale point 0 relabelled "p0" → "neutral"');
  });

  it('notices a new field order but not a field that merely moved because another was removed', () => {
    expect(diffCodebooks([frames, impact, notes], [notes, frames, impact]).reordered).toBe(true);
    expect(describeDiff(diffCodebooks([frames, impact], [impact, frames]))).toEqual(['fields reordered']);
    expect(diffCodebooks([frames, impact, notes], [frames, notes]).reordered).toBe(false);
  });

  it('counts option help texts as a change', () => {
    const after = field({ ...frames, options: frameOptions.map((o) => (o.value === 'leader' ? { ...o, help: 'Praise of the president' } : o)) });
    expect(diffCodebooks([frames], [after]).fields[0]!.properties).toEqual(['option help']);
  });
});
