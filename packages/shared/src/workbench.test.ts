import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from './schemas/codebook.ts';
import { frameFamily, valueText } from './workbench.ts';

const frames: FieldDefinition = {
  key: 'frames',
  label: 'Frames',
  help: '',
  type: 'multiple_choice',
  required: false,
  allowNa: true,
  options: [
    { value: 'security', label: 'Security first', parent: null, help: '' },
    { value: 'terror', label: 'Protesters are terrorists', parent: 'security', help: '' },
    { value: 'plot', label: 'A foreign plot', parent: 'terror', help: '' },
    { value: 'leader', label: 'Best leader', parent: null, help: '' },
  ],
};
const impact: FieldDefinition = {
  key: 'impact',
  label: 'Impact',
  help: '',
  type: 'ordinal',
  required: false,
  allowNa: false,
  scale: [
    { value: -3, label: 'Very harmful' },
    { value: 0, label: 'Neutral' },
  ],
};

describe('valueText', () => {
  it('reads options by label, scale points as "label (value)", N/A, text as written, nothing as empty', () => {
    expect(valueText(frames, ['terror', 'leader'])).toBe('Protesters are terrorists; Best leader');
    expect(valueText(frames, { na: true })).toBe('N/A');
    // The label first, so a spreadsheet never sees "-3 …" as a formula.
    expect(valueText(impact, -3)).toBe('Very harmful (-3)');
    expect(valueText(impact, 2)).toBe('2');
    // A scale labelled by its numbers reads once.
    expect(valueText({ ...impact, scale: [{ value: -2, label: '-2' }] } as FieldDefinition, -2)).toBe('-2');
    expect(valueText({ key: 'subtext', label: 'Subtext', help: '', type: 'text', required: false, allowNa: false, maxLength: 100 }, 'As written')).toBe('As written');
    expect(valueText({ key: 'actors', label: 'Actors', help: '', type: 'link', required: false, allowNa: false, allowCreate: false }, ['act_1'], [{ name: 'The ministry' }])).toBe('The ministry');
    expect(valueText(impact, null)).toBe('');
  });
});

describe('frameFamily', () => {
  it('is the frame and every frame below it, at any depth', () => {
    const options = frames.type === 'multiple_choice' ? frames.options : [];
    expect([...frameFamily(options, 'security')].sort()).toEqual(['plot', 'security', 'terror']);
    expect([...frameFamily(options, 'terror')].sort()).toEqual(['plot', 'terror']);
    expect([...frameFamily(options, 'leader')]).toEqual(['leader']);
  });
});
