import { describe, expect, it } from 'vitest';
import type { Annotation, FieldDefinition } from '@concord/shared';
import {
  filterMenu,
  frameLabel,
  frameMenu,
  locate,
  mergeAnnotations,
  paragraphs,
  quoteOf,
  readAnnotations,
  segments,
  toneOf,
  trimSpan,
  withFrame,
  type ShownAnnotation,
} from '$lib/annotations.ts';

const opt = (value: string, label: string, parent: string | null = null) => ({ value, label, parent, help: '' });
const base = { help: '', required: false, allowNa: false };
const fields: FieldDefinition[] = [
  {
    ...base,
    key: 'frames',
    label: 'Narrative frames',
    type: 'multiple_choice',
    options: [opt('terror', 'Protesters are terrorists', 'security'), opt('security', 'Security over rights'), opt('leader', 'Best leader'), opt('stability', 'Only he guarantees stability', 'leader')],
  },
  { ...base, key: 'dimension', label: 'Dimension', type: 'single_choice', options: [opt('speech', 'Speech')] },
  { ...base, key: 'sources', label: 'Sources', type: 'multiple_choice', options: [opt('government', 'Government official')] },
];

const body = 'First paragraph here.\n\nSecond one,\nwith a line break.\n\n\nThird.';

describe('the body as paragraphs', () => {
  it('keeps each paragraph\'s offset, so a paragraph\'s text is the body at that offset', () => {
    const paras = paragraphs(body);
    expect(paras.map((p) => p.text)).toEqual(['First paragraph here.', 'Second one,\nwith a line break.', 'Third.']);
    for (const p of paras) expect(body.slice(p.start, p.start + p.text.length)).toBe(p.text);
    expect(paragraphs('')).toEqual([{ text: '', start: 0 }]);
    expect(paragraphs('one')).toEqual([{ text: 'one', start: 0 }]);
  });

  it('locates offsets, giving the blank lines between paragraphs to the next start or the previous end', () => {
    const paras = paragraphs(body);
    expect(locate(paras, 0, 'start')).toEqual({ index: 0, local: 0 });
    expect(locate(paras, 6, 'start')).toEqual({ index: 0, local: 6 });
    expect(locate(paras, 21, 'end')).toEqual({ index: 0, local: 21 });
    // 21 and 22 are the "\n\n" after the first paragraph.
    expect(locate(paras, 21, 'start')).toEqual({ index: 1, local: 0 });
    expect(locate(paras, 22, 'end')).toEqual({ index: 0, local: 21 });
    expect(locate(paras, 23, 'start')).toEqual({ index: 1, local: 0 });
    expect(locate(paras, body.length, 'end')).toEqual({ index: 2, local: 6 });
    expect(locate(paras, body.length + 5, 'end')).toEqual({ index: 2, local: 6 });
    expect(locate([], 3, 'start')).toBeNull();
  });

  it('trims white space off a selection and drops one of white space only', () => {
    expect(trimSpan(body, 19, 25)).toEqual({ from: 19, to: 25 });
    expect(trimSpan(body, 21, 23)).toBeNull();
    expect(trimSpan(body, 20, 26)).toEqual({ from: 20, to: 26 });
    expect(trimSpan(body, 5, 0)).toEqual({ from: 0, to: 5 });
    expect(trimSpan(body, -3, 999)).toEqual({ from: 0, to: body.length });
    expect(trimSpan('a  b', 1, 3)).toBeNull();
  });

  it('splits a paragraph at span boundaries for the <mark> fallback, with the tones covering each piece', () => {
    const para = paragraphs(body)[1]!; // starts at 23
    const pieces = segments(para, [
      { from: 23, to: 29, tone: 1 },
      { from: 26, to: 40, tone: 2 },
      { from: 0, to: 5, tone: 3 },
    ]);
    expect(pieces).toEqual([
      { text: 'Sec', tones: [1] },
      { text: 'ond', tones: [1, 2] },
      { text: ' one,\nwith ', tones: [2] },
      { text: 'a line break.', tones: [] },
    ]);
    expect(pieces.map((s) => s.text).join('')).toBe(para.text);
    expect(segments({ text: '', start: 0 }, [])).toEqual([{ text: '', tones: [] }]);
  });
});

describe('the frames menu', () => {
  const menu = frameMenu(fields);

  it('lists the set-valued fields\' options, children under their parents, with their parents\' labels', () => {
    expect(menu.map((g) => g.fieldKey)).toEqual(['frames', 'sources']);
    expect(menu[0]!.choices.map((c) => [c.value, c.depth, c.path])).toEqual([
      ['security', 0, []],
      ['terror', 1, ['Security over rights']],
      ['leader', 0, []],
      ['stability', 1, ['Best leader']],
    ]);
    expect(frameLabel(menu, 'frames', 'terror')).toBe('Security over rights › Protesters are terrorists');
    expect(frameLabel(menu, 'frames', 'gone')).toBe('gone');
  });

  it('filters by every word, in labels and parent labels', () => {
    expect(filterMenu(menu, 'security').flatMap((g) => g.choices.map((c) => c.value))).toEqual(['security', 'terror']);
    expect(filterMenu(menu, 'TERROR sec').flatMap((g) => g.choices.map((c) => c.value))).toEqual(['terror']);
    expect(filterMenu(menu, 'official').map((g) => g.fieldKey)).toEqual(['sources']);
    expect(filterMenu(menu, 'nothing matches')).toEqual([]);
    expect(filterMenu(menu, '  ')).toEqual(menu);
  });

  it('gives a frame family one tone, counted across fields', () => {
    expect(toneOf(menu, 'frames', 'security')).toBe(0);
    expect(toneOf(menu, 'frames', 'terror')).toBe(0);
    expect(toneOf(menu, 'frames', 'stability')).toBe(1);
    expect(toneOf(menu, 'sources', 'government')).toBe(2);
  });
});

describe('annotations from the documents', () => {
  const a: Annotation = { id: 'ann_aaaaaaaaaaaaaaaa', from: 0, to: 5, fieldKey: 'frames', frame: 'terror', authorId: 'usr_aaaaaaaaaaaaaaaa', createdAt: '2026-11-29T10:00:00.000Z' };
  const ctx = { text: body, fields };

  it('keeps only valid entries, tagged with where they are stored', () => {
    const read = readAnnotations([a, { ...a, id: 'ann_bbbbbbbbbbbbbbbb', to: 999 }, { ...a, id: 'ann_cccccccccccccccc', fieldKey: 'dimension', frame: 'speech' }, 'junk'], ctx, { kind: 'item' });
    expect(read).toEqual([{ ...a, source: { kind: 'item' } }]);
  });

  it('merges sources in text order, each id once', () => {
    const item: ShownAnnotation[] = [{ ...a, from: 10, to: 12, source: { kind: 'item' } }];
    const mine: ShownAnnotation[] = [
      { ...a, id: 'ann_dddddddddddddddd', source: { kind: 'coding', coderId: a.authorId } },
      { ...a, from: 10, to: 12, source: { kind: 'coding', coderId: a.authorId } },
    ];
    expect(mergeAnnotations(item, mine).map((x) => [x.id, x.source.kind])).toEqual([
      ['ann_dddddddddddddddd', 'coding'],
      ['ann_aaaaaaaaaaaaaaaa', 'item'],
    ]);
  });

  it('quotes the span, shortened in the middle', () => {
    expect(quoteOf(body, { from: 23, to: 52 })).toBe('Second one, with a line break');
    expect(quoteOf(body, { from: 0, to: body.length }, 21)).toBe('First para…ak. Third.');
  });

  it('adds the tagged frame to the field\'s set once; N/A gives way', () => {
    expect(withFrame(undefined, 'terror')).toEqual(['terror']);
    expect(withFrame(['leader'], 'terror')).toEqual(['leader', 'terror']);
    expect(withFrame(['terror'], 'terror')).toBeNull();
    expect(withFrame({ na: true }, 'terror')).toEqual(['terror']);
  });
});
