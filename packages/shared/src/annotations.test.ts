import { describe, expect, it } from 'vitest';
import { annotationHome, checkAnnotation, itemDocBlindFor, itemDocWriteRefusal, readAnnotation, taggableFields, type Annotation } from './annotations.ts';
import type { Action, Phase } from './roles.ts';
import { annotationOn } from './schemas/annotation.ts';
import { fieldDefinitionSchema, type FieldDefinition } from './schemas/codebook.ts';

const fields: FieldDefinition[] = [
  {
    key: 'frames',
    label: 'Frames',
    type: 'multiple_choice',
    options: [
      { value: 'security', label: 'Security', parent: null },
      { value: 'terror', label: 'Protesters are terrorists', parent: 'security' },
    ],
  },
  { key: 'dimension', label: 'Dimension', type: 'single_choice', options: [{ value: 'speech', label: 'Speech' }] },
  { key: 'impact', label: 'Impact', type: 'ordinal', scale: [{ value: 0, label: 'None' }, { value: 1, label: 'Some' }] },
].map((f) => fieldDefinitionSchema.parse(f));

const text = 'Protesters are bandits, the minister said.';
const good: Annotation = {
  id: 'ann_abcdefghijklmnop',
  from: 0,
  to: 10,
  fieldKey: 'frames',
  frame: 'terror',
  authorId: 'usr_abcdefghijklmnop',
  createdAt: '2026-11-29T17:00:00.000Z',
};

/** Entries as they might sit in a Y.Array: well-formed, malformed, or out of bounds. */
const samples: [string, unknown][] = [
  ['a good annotation', good],
  ['a span to the very end', { ...good, from: 30, to: text.length }],
  ['a parent frame', { ...good, frame: 'security' }],
  ['an empty span', { ...good, to: 0 }],
  ['a reversed span', { ...good, from: 5, to: 3 }],
  ['a span past the text', { ...good, to: text.length + 1 }],
  ['a negative offset', { ...good, from: -1 }],
  ['a fractional offset', { ...good, to: 4.5 }],
  ['offsets as strings', { ...good, from: '0' }],
  ['a bad id', { ...good, id: 'cod_abcdefghijklmnop' }],
  ['a bad author', { ...good, authorId: 'someone' }],
  ['a bad time', { ...good, createdAt: 'yesterday' }],
  ['an extra key (a value smuggled in)', { ...good, value: 3 }],
  ['a missing key', { id: good.id, from: 0, to: 4, fieldKey: 'frames', frame: 'terror', authorId: good.authorId }],
  ['null', null],
  ['an array', [good]],
];

describe('span annotations', () => {
  it('reads exactly what the zod schema accepts, before the codebook check', () => {
    const schema = annotationOn(text);
    for (const [what, raw] of samples) {
      const zodOk = schema.safeParse(raw).success;
      const read = readAnnotation(raw, { text, fields });
      expect(read !== null, what).toBe(zodOk);
      if (read) expect(read, what).toEqual(raw);
    }
    expect(readAnnotation(good, { text, fields })).toEqual(good);
    expect(readAnnotation({ ...good, to: text.length + 1 }, { text, fields })).toBeNull();
  });

  it('needs a frame of a set-valued field of the codebook', () => {
    expect(checkAnnotation(good, { text, fields })).toBeNull();
    expect(checkAnnotation({ ...good, frame: 'nope' }, { text, fields })).toMatch(/not an option/);
    expect(checkAnnotation({ ...good, fieldKey: 'dimension', frame: 'speech' }, { text, fields })).toMatch(/not a set-valued field/);
    expect(checkAnnotation({ ...good, fieldKey: 'gone' }, { text, fields })).toMatch(/not a set-valued field/);
    expect(checkAnnotation({ ...good, to: 99 }, { text, fields })).toMatch(/ends after the text \(99 > 42\)/);
    expect(taggableFields(fields).map((f) => f.key)).toEqual(['frames']);
  });

  it('keeps a coder\'s tags in their own coding document while the item is coded blind', () => {
    const home = (phase: Phase, itemCoder: boolean, codingWritable: boolean, itemDocWritable: boolean) =>
      annotationHome({ phase, itemCoder, codingWritable, itemDocWritable });
    expect(home('independent', true, true, false)).toBe('coding');
    // An editor who also codes the item: the item document would take it, but it stays private.
    expect(home('independent', true, true, true)).toBe('coding');
    // Submitted: the coding document is final, and the shared one must not get it either.
    expect(home('independent', true, false, true)).toBeNull();
    // An editor who does not code the item tags in the shared document.
    expect(home('independent', false, false, true)).toBe('item');
    expect(home('joint', true, true, true)).toBe('item');
    expect(home('revealed', true, false, true)).toBe('item');
    expect(home('joint', false, false, false)).toBeNull();
  });

  it('applies one rule to who writes the shared item document', () => {
    const policy = (actions: Action[]) => (a: Action) => actions.includes(a);
    const coder = policy(['itemDoc.write', 'codings.writeOwn']);
    const editor = policy(['itemDoc.write', 'codings.writeOwn', 'codings.readRevealed']);
    const methodologist = policy(['codings.writeOwn', 'codings.readRevealed']);
    expect(itemDocWriteRefusal(coder, 'independent')).toMatch(/only editors/);
    expect(itemDocWriteRefusal(coder, 'joint')).toBeNull();
    expect(itemDocWriteRefusal(coder, 'revealed')).toBeNull();
    expect(itemDocWriteRefusal(editor, 'independent')).toBeNull();
    expect(itemDocWriteRefusal(methodologist, 'joint')).toMatch(/may not write/);
  });

  it("withholds the shared item document from the item's own coders while it is coded blind, whatever their role", () => {
    expect(itemDocBlindFor({ phase: 'independent', itemCoder: true })).toBe(true);
    expect(itemDocBlindFor({ phase: 'independent', itemCoder: false })).toBe(false);
    for (const phase of ['joint', 'revealed'] as const) expect(itemDocBlindFor({ phase, itemCoder: true })).toBe(false);
  });
});
