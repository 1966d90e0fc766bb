import { describe, expect, it } from 'vitest';
import { actorInput, actorUpdateInput } from './actor.ts';
import { fieldDefinitionSchema } from './codebook.ts';
import { checkValue, formatValue, NA } from '../values.ts';
import { newId } from '../ids.ts';

const sources = fieldDefinitionSchema.parse({ key: 'sources', label: 'Sources', type: 'link', allowNa: true });

describe('link fields', () => {
  it('default to coders not creating actors', () => {
    expect(sources).toMatchObject({ type: 'link', allowCreate: false, required: false });
  });

  it('take a set of actor ids, the empty set or N/A', () => {
    const [a, b] = [newId('actor'), newId('actor')];
    expect(checkValue(sources, [a, b])).toBeNull();
    expect(checkValue(sources, [])).toBeNull();
    expect(checkValue(sources, NA)).toBeNull();
    // Exports join them as any set: sorted, "|" between.
    expect(formatValue([b, a])).toBe([a, b].sort().join('|'));
  });

  it('name what is wrong', () => {
    const a = newId('actor');
    expect(checkValue(sources, a)).toBe('field "sources" expects a list of actor ids');
    expect(checkValue(sources, [newId('item')])).toMatch(/is not an actor id$/);
    expect(checkValue(sources, [a, a])).toBe('field "sources" names an actor twice');
    expect(checkValue({ ...sources, allowNa: false }, NA)).toBe('field "sources" does not allow N/A');
  });
});

describe('actor input', () => {
  it('trims, defaults and keeps the details', () => {
    expect(actorInput.parse({ name: '  Kazinform ', aliases: ['Казинформ'] })).toEqual({
      name: 'Kazinform',
      kind: null,
      affiliation: null,
      stance: null,
      notes: '',
      aliases: ['Казинформ'],
    });
  });

  it('refuses "|" in names and aliases, repeated aliases, unknown kinds, and a field without its item', () => {
    expect(actorInput.safeParse({ name: 'A | B' }).success).toBe(false);
    expect(actorInput.safeParse({ name: 'A', aliases: ['x|y'] }).success).toBe(false);
    expect(actorInput.safeParse({ name: 'A', aliases: ['Akorda', 'AKORDA'] }).success).toBe(false);
    expect(actorInput.safeParse({ name: 'A', kind: 'alien' }).success).toBe(false);
    expect(actorInput.safeParse({ name: 'A', field: 'sources' }).success).toBe(false);
    expect(actorInput.safeParse({ name: 'A', field: 'sources', itemId: newId('item') }).success).toBe(true);
  });

  it('changes only what an update sends', () => {
    expect(actorUpdateInput.parse({ stance: 'neutral' })).toEqual({ stance: 'neutral' });
  });
});
