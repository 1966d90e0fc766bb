/**
 * Span annotations: a highlighted stretch of an item's text tagged with a frame (an option of
 * one of the codebook's set-valued fields). Stored as plain objects in a Y.Array: in the
 * shared item document (ITEM_DOC.annotations), or, while the item is coded blind, in the
 * coder's own coding document (CODING_DOC.annotations). The rules every reader and writer
 * shares live here, without zod, so the coding page carries them and not the schema library
 * (schemas/annotation.ts holds the zod schema of the same shape, for APIs and tests).
 */
import type { Action, Phase } from './roles.ts';
import type { FieldDefinition } from './schemas/codebook.ts';

export interface Annotation {
  /** `ann_` id (newId('annotation')). */
  id: string;
  /**
   * Offsets into the item's `body`, in UTF-16 code units (JavaScript string indices), `from`
   * inclusive, `to` exclusive. Item text is imported and not edited, so offsets stay valid.
   */
  from: number;
  to: number;
  /** The set-valued (multiple choice) field the frame belongs to. */
  fieldKey: string;
  /** The option value of that field: the frame (a parent or a child frame). */
  frame: string;
  /** `usr_` id of who tagged the span. */
  authorId: string;
  /** ISO 8601 time of tagging. */
  createdAt: string;
}

export type TaggableField = Extract<FieldDefinition, { type: 'multiple_choice' }>;

/**
 * The fields a span can be tagged with: the set-valued ones (frames, sources…). A span tag
 * adds its frame to the set; a single-choice field would have one value replaced by the
 * next tag, so those are coded in the form only.
 */
export function taggableFields(fields: readonly FieldDefinition[]): TaggableField[] {
  return fields.filter((f): f is TaggableField => f.type === 'multiple_choice');
}

export const ANNOTATION_ID = /^ann_[a-z2-7]{16}$/;
export const ANNOTATION_AUTHOR_ID = /^usr_[a-z2-7]{16}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const KEYS = ['id', 'from', 'to', 'fieldKey', 'frame', 'authorId', 'createdAt'] as const;

/**
 * What is wrong with an annotation of this shape on this text and codebook, or null. The span
 * must be non-empty and inside the text; the frame must be an option of a taggable field.
 */
export function checkAnnotation(a: Annotation, ctx: { text: string; fields: readonly FieldDefinition[] }): string | null {
  if (!Number.isInteger(a.from) || !Number.isInteger(a.to) || a.from < 0) return 'the span offsets must be whole numbers from 0';
  if (a.from >= a.to) return 'the span must not be empty (from < to)';
  if (a.to > ctx.text.length) return `the span ends after the text (${a.to} > ${ctx.text.length})`;
  const field = taggableFields(ctx.fields).find((f) => f.key === a.fieldKey);
  if (!field) return `"${a.fieldKey}" is not a set-valued field of the codebook`;
  if (!field.options.some((o) => o.value === a.frame)) return `"${a.frame}" is not an option of "${a.fieldKey}"`;
  return null;
}

/** A stored entry as an Annotation when it has exactly the shape and fits the text and codebook; else null. */
export function readAnnotation(raw: unknown, ctx: { text: string; fields: readonly FieldDefinition[] }): Annotation | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (Object.keys(r).some((k) => !(KEYS as readonly string[]).includes(k))) return null;
  if (typeof r.id !== 'string' || !ANNOTATION_ID.test(r.id)) return null;
  if (typeof r.authorId !== 'string' || !ANNOTATION_AUTHOR_ID.test(r.authorId)) return null;
  if (typeof r.createdAt !== 'string' || !ISO_TIME.test(r.createdAt)) return null;
  if (typeof r.from !== 'number' || typeof r.to !== 'number' || typeof r.fieldKey !== 'string' || typeof r.frame !== 'string') return null;
  const a: Annotation = { id: r.id, from: r.from, to: r.to, fieldKey: r.fieldKey, frame: r.frame, authorId: r.authorId, createdAt: r.createdAt };
  return checkAnnotation(a, ctx) ? null : a;
}

/**
 * Why the shared item document refuses this member's writes in this phase, or null when it
 * takes them. `may` answers the project's policy for the member (the server's `can`, or the
 * project's `actions` list in the browser), so both sides apply the same rule.
 */
export function itemDocWriteRefusal(may: (action: Action) => boolean, phase: Phase): string | null {
  if (!may('itemDoc.write')) return 'this role may not write the item document';
  // A coder's annotations are codes: while the item is coded blind, only managers write the
  // shared document, so nothing of one coder's reading reaches another before reveal.
  if (phase === 'independent' && !may('codings.readRevealed')) return 'during independent coding only editors write the shared item document';
  return null;
}

/**
 * Whether the shared item document's content is withheld from this member: from the item's
 * own coders while they code it blind. After a joint session or a reveal it holds the coders'
 * tags and discussion, and an editor may send the item back to independent coding (with new
 * coders). The server sends them presence only (collab/access.ts), and the browser shows no
 * shared tags and writes nothing there.
 */
export function itemDocBlindFor({ phase, itemCoder }: { phase: Phase; itemCoder: boolean }): boolean {
  return phase === 'independent' && itemCoder;
}

/**
 * Where a new span tag goes. An item coder in the independent phase keeps it in their own
 * coding document (hidden by the blind rules until reveal; none once submitted), whatever
 * their role: an editor who also codes the item must not show their reading to the others.
 * Everyone else, and every phase after, tags in the shared item document when they may write it.
 */
export function annotationHome(input: { phase: Phase; itemCoder: boolean; codingWritable: boolean; itemDocWritable: boolean }): 'coding' | 'item' | null {
  if (input.phase === 'independent' && input.itemCoder) return input.codingWritable ? 'coding' : null;
  return input.itemDocWritable ? 'item' : null;
}
