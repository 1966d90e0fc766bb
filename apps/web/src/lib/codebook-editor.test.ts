import { describe, expect, it } from 'vitest';
import { fieldDefinitionSchema, FIELD_TYPES, type FieldDefinition, type FieldOption } from '@concord/shared';
import {
  blankField,
  changeType,
  followLabel,
  keyFromLabel,
  move,
  newOptionValue,
  newScaleValue,
  parentCandidates,
  removeOption,
  renameOption,
  validateCodebook,
  withLevel,
} from '$lib/codebook-editor.ts';
import { choicesOf } from '$lib/coding-form.ts';

const opt = (value: string, parent: string | null = null): FieldOption => ({ value, label: value.toUpperCase(), parent, help: '' });

describe('keyFromLabel', () => {
  it('makes a valid, unique key', () => {
    expect(keyFromLabel('Civic impact score', [])).toBe('civic_impact_score');
    expect(keyFromLabel('Civic impact score', ['civic_impact_score', 'civic_impact_score_2'])).toBe('civic_impact_score_3');
    expect(keyFromLabel('2nd frame!', [])).toBe('field_2nd_frame');
    expect(keyFromLabel('Öffentlichkeit', [])).toBe('offentlichkeit');
    expect(keyFromLabel('???', [])).toBe('field');
  });
});

describe('followLabel', () => {
  it('makes keys and codes from labels while they are generated and unsaved', () => {
    expect(followLabel('new_single_choice', 'Single choice', 'Main actor', [], false, 'field')).toBe('main_actor');
    expect(followLabel('option_3', 'Option 3', "Journalists' media!", ['journalists_media'], false)).toBe('journalists_media_2');
    // Typing on: the code is still the old label's slug, so it keeps following.
    expect(followLabel('main_act', 'Main act', 'Main actor', [], false)).toBe('main_actor');
  });

  it('leaves typed and saved codes alone', () => {
    expect(followLabel('gov', 'Government', 'Government official', [], false)).toBe('gov');
    expect(followLabel('government', 'Government', 'Government official', [], true)).toBe('government');
  });
});

describe('blankField', () => {
  it('gives a field of every type that the shared schema accepts', () => {
    const taken: string[] = [];
    for (const type of FIELD_TYPES) {
      const field = blankField(type, taken);
      expect(fieldDefinitionSchema.safeParse(field).success, type).toBe(true);
      expect(taken).not.toContain(field.key);
      taken.push(field.key);
    }
  });
});

describe('changeType', () => {
  const single: FieldDefinition = { key: 'frame', label: 'Frame', help: 'h', required: true, allowNa: true, type: 'single_choice', options: [opt('a'), opt('b', 'a'), opt('c')] };

  it('keeps options between single and multiple choice, and the common properties', () => {
    const multi = changeType(single, 'multiple_choice');
    expect(multi).toMatchObject({ key: 'frame', label: 'Frame', help: 'h', required: true, allowNa: true, type: 'multiple_choice', options: single.options });
  });

  it('turns options into scale points by position and back', () => {
    const scale = changeType(single, 'ordinal');
    expect(scale.type === 'ordinal' && scale.scale).toEqual([
      { value: 1, label: 'A' },
      { value: 2, label: 'B' },
      { value: 3, label: 'C' },
    ]);
    const back = changeType(scale, 'single_choice');
    expect(back.type === 'single_choice' && back.options.map((o) => o.label)).toEqual(['A', 'B', 'C']);
    expect(fieldDefinitionSchema.safeParse(back).success).toBe(true);
  });

  it('gives valid defaults for unrelated types', () => {
    for (const type of FIELD_TYPES) expect(fieldDefinitionSchema.safeParse(changeType(single, type)).success, type).toBe(true);
  });
});

describe('reordering and options', () => {
  it('moves an element up and down, clamped at the ends', () => {
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 5, 0)).toEqual(['a', 'b', 'c']);
  });

  it('keeps child frames attached when their parent is renamed, and lifts them when it is removed', () => {
    const options = [opt('top'), opt('mid', 'top'), opt('leaf', 'mid')];
    expect(renameOption(options, 'mid', 'middle').map((o) => [o.value, o.parent])).toEqual([
      ['top', null],
      ['middle', 'top'],
      ['leaf', 'middle'],
    ]);
    expect(removeOption(options, 'mid').map((o) => [o.value, o.parent])).toEqual([
      ['top', null],
      ['leaf', 'top'],
    ]);
  });

  it('offers as parents only options that are not the option itself or below it', () => {
    const options = [opt('top'), opt('mid', 'top'), opt('leaf', 'mid'), opt('other')];
    expect(parentCandidates(options, 'mid').map((o) => o.value)).toEqual(['top', 'other']);
    expect(parentCandidates(options, 'top').map((o) => o.value)).toEqual(['other']);
  });

  it('finds fresh option and scale values', () => {
    expect(newOptionValue([opt('option_1'), opt('option_3')])).toBe('option_4');
    expect(newOptionValue([opt('option_3'), opt('x')])).toBe('option_4');
    expect(newScaleValue([{ value: -1, label: 'a' }, { value: 5, label: 'b' }])).toBe(6);
    expect(newScaleValue([])).toBe(1);
  });

  it('feeds the coding form: a reordered child still shows under its parent', () => {
    const field: FieldDefinition = { key: 'f', label: 'F', help: '', required: false, allowNa: false, type: 'single_choice', options: [opt('a'), opt('b'), opt('a1', 'a')] };
    const reordered = { ...field, options: move(field.options, 1, 0) };
    expect(choicesOf(reordered).map((c) => [c.value, c.depth])).toEqual([
      ['b', 0],
      ['a', 0],
      ['a1', 1],
    ]);
  });
});

describe('validateCodebook', () => {
  it('names the field and the place of each problem', () => {
    const fields = [
      blankField('single_choice', []),
      { ...blankField('ordinal', []), key: 'scale', scale: [{ value: 1, label: 'one' }, { value: 1, label: 'also one' }] },
    ] as FieldDefinition[];
    fields[0] = { ...fields[0]!, label: 'Frame', options: [opt('x'), opt('x')] } as FieldDefinition;
    const problems = validateCodebook('CB', fields, []);
    expect(problems).toEqual([
      { field: 0, message: '"Frame" option 2 (value): duplicate option "x"' },
      { field: 1, message: '"Ordinal scale" scale point 2 (value): duplicate scale point 1' },
    ]);
  });

  it('finds duplicate keys and an empty name, and nothing in a valid codebook', () => {
    const a = blankField('text', []);
    expect(validateCodebook('CB', [a, { ...a }], []).map((p) => p.field)).toEqual([1]);
    expect(validateCodebook(' ', [a], []).map((p) => p.field)).toEqual([null]);
    expect(validateCodebook('CB', [a, blankField('number', [a.key])], [])).toEqual([]);
  });

  it('refuses new option codes that are not identifiers, but not saved ones', () => {
    const saved = { ...blankField('single_choice', []), label: 'Actor', options: [opt('Old code')] } as FieldDefinition;
    expect(validateCodebook('CB', [saved], [saved])).toEqual([]);
    const added = { ...saved, options: [opt('Old code'), { ...opt('x'), value: 'Journalists media!', label: 'Journalists media' }] } as FieldDefinition;
    const problems = validateCodebook('CB', [added], [saved]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 0, message: expect.stringContaining('Actor: option "Journalists media" has code "Journalists media!"') });
  });
});

describe('withLevel', () => {
  const impact = blankField('ordinal', []);

  it('sets an ordinal scale to interval with its reason, which the shared schema then requires', () => {
    const interval = withLevel(impact, 'interval', 'equal steps, piloted');
    expect(interval).toMatchObject({ level: 'interval', levelReason: 'equal steps, piloted' });
    expect(fieldDefinitionSchema.safeParse(interval).success).toBe(true);
    const noReason = fieldDefinitionSchema.safeParse(withLevel(impact, 'interval', ''));
    expect(noReason.success).toBe(false);
    expect(noReason.error!.issues[0]!.message).toBe('say why this ordinal field is treated as interval');
  });

  it('stores the default level as none, so going back changes nothing', () => {
    const back = withLevel(withLevel(impact, 'interval', 'why'), 'ordinal', 'why');
    expect(back).toEqual(impact);
    expect('level' in back).toBe(false);
    expect('levelReason' in back).toBe(false);
  });

  it('leaves fields without a choice of level alone', () => {
    const frames = blankField('multiple_choice', []);
    expect(withLevel(frames, 'interval', 'x')).toBe(frames);
  });
});
