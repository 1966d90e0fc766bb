import { describe, expect, it } from 'vitest';
import { fieldDefinitionSchema, type FieldDefinition } from '@concord/shared';
import { allowedCodes, allowedText, normalizeCode, readCell, sameValue, suggestCode, type LabelCode } from './code-values.ts';

const frames = fieldDefinitionSchema.parse({
  key: 'frames',
  label: 'Frames',
  type: 'multiple_choice',
  options: [
    { value: 'security', label: 'Security' },
    { value: 'protesters_terrorists', label: 'Protesters are terrorists', parent: 'security' },
    { value: 'leader', label: "Tokayev's the best leader" },
  ],
});
const impact = fieldDefinitionSchema.parse({
  key: 'impact',
  label: 'Impact',
  type: 'ordinal',
  allowNa: true,
  scale: [
    { value: 1, label: 'Low' },
    { value: 2, label: 'Medium' },
    { value: 3, label: 'Very high' },
  ],
});
const reach = fieldDefinitionSchema.parse({ key: 'reach', label: 'Reach', type: 'number', integer: true, min: 0, max: 100 });
const notes = fieldDefinitionSchema.parse({ key: 'notes', label: 'Notes', type: 'text', maxLength: 5 });

/** The suggestion for every label, overridden by `map`. */
const by =
  (field: FieldDefinition, map: Record<string, string | number | null> = {}): LabelCode =>
  (label) =>
    label in map ? map[label] : (suggestCode(field, label) ?? undefined);

describe('suggested codes', () => {
  it('match a code, a label or a slug of either, case-insensitively', () => {
    expect(suggestCode(frames, 'SECURITY')).toBe('security');
    expect(suggestCode(frames, ' protesters are terrorists ')).toBe('protesters_terrorists');
    expect(suggestCode(frames, 'Protesters-are-terrorists')).toBe('protesters_terrorists');
    expect(suggestCode(frames, 'tokayevs the best leader')).toBe(null);
    expect(suggestCode(frames, "Tokayev's the best leader")).toBe('leader');
    expect(suggestCode(impact, 'medium')).toBe(2);
    expect(suggestCode(impact, '3')).toBe(3);
    expect(suggestCode(impact, 'High')).toBe(null);
    expect(suggestCode(impact, 'N/A')).toEqual({ na: true });
    expect(suggestCode(frames, 'n/a')).toBe(null);
  });

  it('list the allowed codes with parents, N/A last when allowed', () => {
    expect(allowedCodes(frames).map((a) => [a.code, a.parent])).toEqual([
      ['security', null],
      ['protesters_terrorists', 'security'],
      ['leader', null],
    ]);
    expect(allowedCodes(impact).map((a) => a.code)).toEqual([1, 2, 3, { na: true }]);
    expect(allowedText(frames)).toBe("allowed: security (Security), protesters_terrorists (Protesters are terrorists, under security), leader (Tokayev's the best leader)");
    expect(normalizeCode(impact, '2')).toBe(2);
    expect(normalizeCode(impact, 4)).toBe(null);
    expect(normalizeCode(frames, { na: true })).toBe(null);
  });
});

describe('reading a cell', () => {
  it('reads a multi-select list (quoted entries, repeats) in codebook order', () => {
    expect(readCell(frames, 'Protesters are terrorists, Security, security', by(frames))).toEqual({ value: ['security', 'protesters_terrorists'] });
    expect(readCell(frames, '"Tokayev\'s the best leader",Security', by(frames))).toEqual({ value: ['security', 'leader'] });
    expect(readCell(frames, '  ', by(frames))).toEqual({ value: null });
  });

  it('maps through the value map; null leaves a label out; an unknown label is an error listing the allowed codes', () => {
    expect(readCell(impact, 'High', by(impact, { High: 3 }))).toEqual({ value: 3 });
    expect(readCell(impact, 'Unclear', by(impact, { Unclear: null }))).toEqual({ value: null });
    expect(readCell(frames, 'Security, Other', by(frames, { Other: null }))).toEqual({ value: ['security'] });
    expect(readCell(impact, 'High', by(impact))).toEqual({ error: '"High" is not a value of Impact; map it to a code (allowed: 1 (Low), 2 (Medium), 3 (Very high), NA (not applicable))' });
    expect(readCell(impact, 'Low, Medium', by(impact))).toEqual({ error: '"Low, Medium" is not a value of Impact; map it to a code (allowed: 1 (Low), 2 (Medium), 3 (Very high), NA (not applicable))' });
  });

  it('reads numbers and text as they are, with the field\'s limits', () => {
    expect(readCell(reach, '10', by(reach))).toEqual({ value: 10 });
    expect(readCell(reach, '1,5', by(reach))).toEqual({ error: '"1,5" is not a number' });
    expect(readCell(reach, 'many', by(reach))).toEqual({ error: '"many" is not a number' });
    expect(readCell(reach, '101', by(reach))).toEqual({ error: 'field "reach" must be at most 100' });
    expect(readCell(notes, 'short', by(notes))).toEqual({ value: 'short' });
    expect(readCell(notes, 'too long', by(notes))).toEqual({ error: 'field "notes" is longer than 5 characters' });
  });

  it('compares values as sets for multiple choice', () => {
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValue(2, null)).toBe(false);
    expect(sameValue({ na: true }, { na: true })).toBe(true);
  });
});
