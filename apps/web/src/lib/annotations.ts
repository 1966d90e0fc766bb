/**
 * Pure helpers of span tagging in the coding view: the item text as rendered paragraphs
 * with their offsets, the frames menu, tones, quotes, and the annotations read from the
 * documents (see Annotation in @concord/shared). No Yjs and no DOM here (annotation-dom.ts
 * maps DOM selections), so they are unit-tested directly.
 */
import { readAnnotation, taggableFields, type Annotation, type FieldDefinition } from '@concord/shared';
import { orderOptions } from '$lib/coding-form.ts';

/** A paragraph of the item's body as ItemView renders it, with its offset in the body. */
export interface Paragraph {
  text: string;
  start: number;
}

/** The body split as ItemView shows it (on blank lines), keeping each paragraph's offset. */
export function paragraphs(body: string): Paragraph[] {
  const out: Paragraph[] = [];
  const gap = /\n{2,}/g;
  let start = 0;
  for (let m = gap.exec(body); m; m = gap.exec(body)) {
    out.push({ text: body.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  out.push({ text: body.slice(start), start });
  return out;
}

/**
 * Where a body offset falls among the paragraphs: the paragraph index and the offset in it.
 * An offset in the blank lines between two paragraphs belongs to the next one when it starts
 * a span and to the previous one when it ends one, so a highlight never covers the gap alone.
 */
export function locate(paras: readonly Paragraph[], offset: number, edge: 'start' | 'end'): { index: number; local: number } | null {
  if (!paras.length) return null;
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i]!;
    const end = p.start + p.text.length;
    if (edge === 'start' ? offset < end : offset <= end) {
      if (offset >= p.start) return { index: i, local: offset - p.start };
      return edge === 'start' ? { index: i, local: 0 } : i > 0 ? { index: i - 1, local: paras[i - 1]!.text.length } : { index: 0, local: 0 };
    }
  }
  const last = paras.length - 1;
  return { index: last, local: paras[last]!.text.length };
}

/** A selection's span without the white space at its ends; null when nothing but white space is selected. */
export function trimSpan(body: string, from: number, to: number): { from: number; to: number } | null {
  let a = Math.max(0, Math.min(from, to));
  let b = Math.min(body.length, Math.max(from, to));
  while (a < b && /\s/.test(body[a]!)) a++;
  while (b > a && /\s/.test(body[b - 1]!)) b--;
  return a < b ? { from: a, to: b } : null;
}

/** One entry of the frames menu: an option of a set-valued field, children under their parent. */
export interface MenuChoice {
  fieldKey: string;
  value: string;
  label: string;
  /** The parent frames' labels, outermost first (shown with a child, and searched). */
  path: string[];
  depth: number;
}
export interface MenuGroup {
  fieldKey: string;
  label: string;
  choices: MenuChoice[];
}

/** The frames a span can be tagged with, grouped by field, in the order the form shows them. */
export function frameMenu(fields: readonly FieldDefinition[]): MenuGroup[] {
  return taggableFields(fields).map((field) => {
    const byValue = new Map(field.options.map((o) => [o.value, o]));
    const pathOf = (parent: string | null): string[] => {
      const out: string[] = [];
      const seen = new Set<string>();
      for (let p = parent; p !== null && !seen.has(p); p = byValue.get(p)?.parent ?? null) {
        seen.add(p);
        out.unshift(byValue.get(p)?.label ?? p);
      }
      return out;
    };
    return {
      fieldKey: field.key,
      label: field.label,
      choices: orderOptions(field.options).map(({ option, depth }) => ({ fieldKey: field.key, value: option.value, label: option.label, path: pathOf(option.parent), depth })),
    };
  });
}

/** The menu narrowed to choices whose label, parent labels or value contain every word of `query`. */
export function filterMenu(groups: readonly MenuGroup[], query: string): MenuGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...groups];
  const hay = (c: MenuChoice) => [c.label, c.value, ...c.path].join(' ').toLowerCase();
  return groups.map((g) => ({ ...g, choices: g.choices.filter((c) => words.every((w) => hay(c).includes(w))) })).filter((g) => g.choices.length);
}

/** How many highlight tones there are (CSS: ::highlight(concord-tone-N) and mark[data-tone=N]). */
export const TONES = 6;

/**
 * A frame's tone: one per top-level frame in codebook order, shared by its child frames, so
 * a frame family reads as one colour; fields after the first continue the count.
 */
export function toneOf(groups: readonly MenuGroup[], fieldKey: string, frame: string): number {
  let roots = 0;
  for (const g of groups) {
    let root = -1;
    for (const c of g.choices) {
      if (c.depth === 0) root = roots++;
      if (g.fieldKey === fieldKey && c.value === frame) return root % TONES;
    }
  }
  return 0;
}

/** "Parent › Child" label of a frame, or its value when the codebook no longer has it. */
export function frameLabel(groups: readonly MenuGroup[], fieldKey: string, frame: string): string {
  const choice = groups.find((g) => g.fieldKey === fieldKey)?.choices.find((c) => c.value === frame);
  return choice ? [...choice.path, choice.label].join(' › ') : frame;
}

/** The quoted text of a span, shortened in the middle past `max` characters, white space collapsed. */
export function quoteOf(body: string, span: { from: number; to: number }, max = 160): string {
  const text = body.slice(span.from, span.to).replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half).trimEnd()}…${text.slice(text.length - half).trimStart()}`;
}

/** Where an annotation is stored: the shared item document or a coder's coding document. */
export type AnnotationSource = { kind: 'item' } | { kind: 'coding'; coderId: string };
export interface ShownAnnotation extends Annotation {
  source: AnnotationSource;
}

/** The valid annotations of a document's array (anything malformed or off the text is left out). */
export function readAnnotations(entries: Iterable<unknown>, ctx: { text: string; fields: readonly FieldDefinition[] }, source: AnnotationSource): ShownAnnotation[] {
  const out: ShownAnnotation[] = [];
  for (const raw of entries) {
    const a = readAnnotation(raw, ctx);
    if (a) out.push({ ...a, source });
  }
  return out;
}

/** Every source's annotations in text order, each id once (the first source wins). */
export function mergeAnnotations(...lists: readonly (readonly ShownAnnotation[])[]): ShownAnnotation[] {
  const seen = new Set<string>();
  const out: ShownAnnotation[] = [];
  for (const list of lists) {
    for (const a of list) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      out.push(a);
    }
  }
  return out.sort((a, b) => a.from - b.from || a.to - b.to || a.createdAt.localeCompare(b.createdAt));
}

/** A piece of a paragraph for the <mark> fallback: its text and the tones of the spans covering it. */
export interface Segment {
  text: string;
  tones: number[];
}

/** Splits a paragraph at every span boundary inside it (for browsers without the CSS Custom Highlight API). */
export function segments(para: Paragraph, spans: readonly { from: number; to: number; tone: number }[]): Segment[] {
  const end = para.start + para.text.length;
  const inside = spans.filter((s) => s.from < end && s.to > para.start);
  const cuts = new Set([para.start, end]);
  for (const s of inside) {
    cuts.add(Math.max(s.from, para.start));
    cuts.add(Math.min(s.to, end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!];
    const tones = [...new Set(inside.filter((s) => s.from <= a && s.to >= b).map((s) => s.tone))];
    out.push({ text: para.text.slice(a - para.start, b - para.start), tones });
  }
  return out.length ? out : [{ text: para.text, tones: [] }];
}

/**
 * The value of a set-valued field after tagging a span with `frame`: the frame joins the set
 * (a tag counts as coding the frame; N/A gives way to it); null when it is already there.
 */
export function withFrame(current: unknown, frame: string): string[] | null {
  const set = Array.isArray(current) ? current.filter((v): v is string => typeof v === 'string') : [];
  return set.includes(frame) ? null : [...set, frame];
}
