/**
 * What the publishable exports promise: the item columns every per-item file carries, the
 * final dataset's provenance vocabulary and JSON shape, and the byte-order-mark option.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { FIELD_TYPES } from './codebook.ts';
import { codingValueSchema } from './coding.ts';
import { PHASES } from '../roles.ts';

/**
 * The item's columns beside its internal id (`unit`), in this order: leading columns of the
 * wide layouts, the companion `items.csv` of the R and SPSS layouts. Several incidents are
 * joined with `|`, as set values are.
 */
export const ITEM_EXPORT_COLUMNS = ['external_id', 'title', 'incidents', 'platform', 'published_at', 'url'] as const;

/**
 * Where a final value comes from, per item and field:
 * - `decided`: an editor's decision (adjudication) on an item two or more coders coded;
 * - `reviewed`: an editor's decision on an item one coder coded (the review of a single coding);
 * - `unanimous`: two or more coders submitted the same value;
 * - `majority`: more than half of them did (multiple choice: each option more than half chose);
 * - `single`: one coder coded it and nobody reviewed it;
 * - `imported`: every vote came with the data (codings of a round of type `imported`), not from coding here;
 * - `revised`: the value a production round's joint session agreed on (revised codings), where no decision was recorded;
 * - `open`: no final value yet: not revealed, coders differ without a decision, or nobody coded it.
 */
export const PROVENANCES = ['unanimous', 'majority', 'decided', 'reviewed', 'revised', 'single', 'imported', 'open'] as const;
export type Provenance = (typeof PROVENANCES)[number];

/** `?bom=1` starts a CSV with a UTF-8 byte-order mark, so Excel reads Cyrillic and other non-Latin text right. */
export const csvDownloadQuery = z.object({
  bom: z.enum(['0', '1']).default('0').describe('1: start the file with a UTF-8 byte-order mark (for Excel)'),
});

const finalValueSchema = z.object({
  /** As the codebook stores it: option value, list of options, scale point, number, text, `{na: true}`; null when open. */
  value: codingValueSchema.nullable(),
  provenance: z.enum(PROVENANCES),
  /** A link field's actors (the value's ids, sorted, with their names); absent on other fields. */
  actors: z.array(z.object({ id: text(), name: text() })).optional(),
});

export const finalDatasetSchema = z.object({
  project: z.object({ id: text(), name: text() }),
  codebook: z.object({ name: text(), version: z.number().int() }),
  fields: z.array(z.object({ key: text(), label: text(), type: z.enum(FIELD_TYPES), column: text() })),
  items: z.array(
    z.object({
      id: text(),
      externalId: text().nullable(),
      title: text(),
      incidents: z.array(z.object({ id: text(), name: text() })),
      platform: text().nullable(),
      publishedAt: text().nullable(),
      url: text().nullable(),
      phase: z.enum(PHASES),
      values: z.record(text(), finalValueSchema),
    }),
  ),
});
export type FinalDataset = z.infer<typeof finalDatasetSchema>;
export type FinalDatasetItem = FinalDataset['items'][number];
