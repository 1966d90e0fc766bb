/**
 * The narrative workbench (issue 14 item 6): per frame and per incident, the items with their
 * final values (the final dataset's), text fields (subtext, context, reactions) and tagged
 * passages, each quotable with its item reference. Same audience and blind rule as the final
 * dataset: only revealed items have values or passages; everything else is `open`.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { FIELD_TYPES } from './codebook.ts';
import { codingValueSchema } from './coding.ts';
import { csvDownloadQuery, PROVENANCES } from './exports.ts';
import { PHASES } from '../roles.ts';

/** Items per page of `GET …/workbench` (the exports are not paged). */
export const WORKBENCH_PAGE_DEFAULT = 50;
export const WORKBENCH_PAGE_MAX = 200;

/**
 * Filters shared by the page and its exports. `field` picks the choice field whose options are
 * the frames (default: the codebook's first multiple-choice field); `frame` keeps the items whose
 * final value or a tagged passage has that frame or one of its child frames; `incident` keeps the
 * items of that incident.
 */
export const workbenchFilterQuery = z.object({
  field: text().max(100).optional(),
  frame: text().max(200).optional(),
  incident: text().max(100).optional(),
});
export type WorkbenchFilters = z.infer<typeof workbenchFilterQuery>;

export const workbenchQuery = workbenchFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(WORKBENCH_PAGE_MAX).default(WORKBENCH_PAGE_DEFAULT),
  offset: z.coerce.number().int().min(0).default(0),
});
export type WorkbenchQuery = z.infer<typeof workbenchQuery>;

export const workbenchCsvQuery = workbenchFilterQuery.extend(csvDownloadQuery.shape);

/**
 * One tagged passage of an item's text: the same span tagged with the same frame by several
 * people is one passage, with every tagger. `source` says where the tags were: `coding` (a
 * submitted coder's own span tags, the spans export) or `discussion` (the shared item
 * document, written after reveal or by managers).
 */
export const workbenchPassageSchema = z.object({
  fieldKey: text(),
  frame: text(),
  /** UTF-16 offsets into the item's text, end exclusive (as in spans.csv). */
  start: z.number().int(),
  end: z.number().int(),
  text: text(),
  /** Pseudonyms (C1, C2…), or names when the owner turned them on. */
  taggedBy: z.array(text()),
  sources: z.array(z.enum(['coding', 'discussion'])),
});
export type WorkbenchPassage = z.infer<typeof workbenchPassageSchema>;

export const workbenchItemSchema = z.object({
  id: text(),
  externalId: text().nullable(),
  title: text(),
  url: text().nullable(),
  platform: text().nullable(),
  publishedAt: text().nullable(),
  language: text().nullable(),
  incidents: z.array(z.object({ id: text(), name: text() })),
  phase: z.enum(PHASES),
  translation: z.object({ language: text().nullable(), title: text().nullable(), body: text().nullable() }).nullable(),
  /** The frames of the frame field's final value (empty when open or none). */
  frames: z.array(text()),
  values: z.record(text(), z.object({ value: codingValueSchema.nullable(), provenance: z.enum(PROVENANCES), text: text() })),
  passages: z.array(workbenchPassageSchema),
});
export type WorkbenchItem = z.infer<typeof workbenchItemSchema>;

export const workbenchFrameSchema = z.object({ value: text(), label: text(), parent: text().nullable() });
export type WorkbenchFrame = z.infer<typeof workbenchFrameSchema>;

export const workbenchSchema = z.object({
  project: z.object({ id: text(), name: text() }),
  /** The field whose options are the frames; null when the codebook has no choice field. */
  frameField: z.object({ key: text(), label: text() }).nullable(),
  /** Choice fields one may group by (the `field` filter's options). */
  frameFields: z.array(z.object({ key: text(), label: text() })),
  frames: z.array(workbenchFrameSchema),
  incidents: z.array(z.object({ id: text(), name: text() })),
  fields: z.array(z.object({ key: text(), label: text(), type: z.enum(FIELD_TYPES) })),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(workbenchItemSchema),
});
export type Workbench = z.infer<typeof workbenchSchema>;
