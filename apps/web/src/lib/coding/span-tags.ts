/**
 * Span tags of the coding view over the live documents: where a tag may go and what the page
 * says about it, reading a document's tags, adding and removing one. The pure parts (menu,
 * tones, reading an annotation) are in $lib/annotations.ts; the widget is SpanTags.svelte.
 */
import { CODING_DOC, newId, type Annotation, type FieldDefinition, type Phase } from '@concord/shared';
import type * as Y from 'yjs';
import { readAnnotations, withFrame, type AnnotationSource, type MenuChoice, type MenuGroup, type ShownAnnotation } from '$lib/annotations.ts';

export type TagHome = 'coding' | 'item' | null;

/** Why no tag can be added here, or null when one can. */
export function tagRefusal(input: { menu: readonly MenuGroup[]; home: TagHome; assigned: boolean; phase: Phase }): string | null {
  if (input.menu.length === 0) return 'The codebook has no multiple-choice (frame) field to tag spans with.';
  if (input.home) return null;
  if (input.assigned && input.phase === 'independent') return 'Your codings of this item are final, and so are your tags.';
  return 'You can read the tags on this item but not add any.';
}

/** A line about where tags go and who sees them (only while the item is coded blind). */
export function tagNote(input: { home: TagHome; phase: Phase }): string {
  if (input.phase !== 'independent') return '';
  if (input.home === 'coding') return 'Blind coding: your tags are yours alone until the item is revealed; a tag also codes its frame.';
  const hidden = 'Coders’ own tags stay hidden until the item is revealed or a joint session opens.';
  return input.home === 'item' ? `Your tags go to the shared item document, where the coders see them. ${hidden}` : hidden;
}

/**
 * Keeps `set` equal to the valid tags of a document's array; returns the unobserve (pooled
 * documents outlive the item shown).
 */
export function watchTags(
  array: Y.Array<unknown>,
  ctx: { text: string; fields: readonly FieldDefinition[] },
  source: AnnotationSource,
  set: (list: ShownAnnotation[]) => void,
): () => void {
  const read = () => set(readAnnotations(array.toArray(), ctx, source));
  array.observe(read);
  read();
  return () => array.unobserve(read);
}

/** A new tag of `span` with the frame `choice`, by `authorId`. */
export function newTag(span: { from: number; to: number }, choice: MenuChoice, authorId: string): Annotation {
  return { id: newId('annotation'), from: span.from, to: span.to, fieldKey: choice.fieldKey, frame: choice.value, authorId, createdAt: new Date().toISOString() };
}

/**
 * Stores a tag in the coder's own coding document and codes its frame in the same transaction
 * (researchers count a tag as coding its frame): the blind phase's way.
 */
export function tagInCodingDoc(doc: Y.Doc, tag: Annotation): void {
  const map = doc.getMap(CODING_DOC.values);
  doc.transact(() => {
    doc.getArray(CODING_DOC.annotations).push([tag]);
    const next = withFrame(map.get(tag.fieldKey), tag.frame);
    if (next) map.set(tag.fieldKey, next);
  });
}

/** Removes the tag `id` from a document's array, if it is there. */
export function removeTagFrom(array: Y.Array<unknown>, id: string): void {
  const index = array.toArray().findIndex((x) => (x as { id?: unknown } | null)?.id === id);
  if (index >= 0) array.delete(index, 1);
}
