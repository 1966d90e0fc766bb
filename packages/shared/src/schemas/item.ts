import { z } from 'zod';
import { PHASES } from '../roles.ts';
import { DATE_ORDERS, IMPORT_ACTIONS, IMPORT_TARGETS, PLATFORMS } from '../items.ts';
import { paginationSchema, text } from './common.ts';
import { httpUrlSchema } from './http-url.ts';
import { QUEUE_STATUSES } from './queue-status.ts';
import { importCodesCheckSchema, importCodesResultSchema } from './import-codes.ts';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();

/** Most incidents one item may link to. */
export const MAX_ITEM_INCIDENTS = 50;

const incidentIdList = z
  .array(text().min(1).max(100))
  .max(MAX_ITEM_INCIDENTS)
  .refine((ids) => new Set(ids).size === ids.length, 'lists an incident twice');

/**
 * An item's fields without defaults: the create input adds them, the update input must not
 * (a default in a PATCH would overwrite what was saved with it).
 */
const itemFields = z.object({
  externalId: text().trim().max(300).nullable(),
  title: text().trim().min(1).max(2000),
  url: httpUrlSchema.nullable(),
  /** An archived copy of the original (Wayback Machine, archive.today…), for when the post is taken down. */
  archivedUrl: httpUrlSchema.nullable(),
  platform: z.enum(PLATFORMS).nullable(),
  author: text().trim().max(500).nullable(),
  publishedAt: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable(),
  language: text().trim().max(35).nullable(),
  body: text().max(1_000_000),
  reach: count,
  likes: count,
  shares: count,
  comments: count,
  /** A translation beside the original (language, title, text); null when there is none. */
  translationLanguage: text().trim().max(35).nullable(),
  translationTitle: text().trim().max(2000).nullable(),
  translationBody: text().max(1_000_000).nullable(),
  /** The item's incidents in order; the first is its primary incident. */
  incidentIds: incidentIdList,
  /** Deprecated: one incident, as before items could have several. Ignored when `incidentIds` is given. */
  incidentId: text().max(100).nullable(),
});

export const itemInput = itemFields.extend({
  externalId: itemFields.shape.externalId.default(null),
  url: itemFields.shape.url.default(null),
  archivedUrl: itemFields.shape.archivedUrl.optional(),
  platform: itemFields.shape.platform.default(null),
  author: itemFields.shape.author.default(null),
  publishedAt: itemFields.shape.publishedAt.default(null),
  language: itemFields.shape.language.default(null),
  body: itemFields.shape.body.default(''),
  reach: count.default(null),
  likes: count.default(null),
  shares: count.default(null),
  comments: count.default(null),
  // Optional rather than defaulted, so callers written before translations need not name them.
  translationLanguage: itemFields.shape.translationLanguage.optional(),
  translationTitle: itemFields.shape.translationTitle.optional(),
  translationBody: itemFields.shape.translationBody.optional(),
  incidentIds: incidentIdList.optional(),
  incidentId: itemFields.shape.incidentId.optional(),
});
export type ItemInput = z.infer<typeof itemInput>;
export const itemUpdateInput = itemFields.partial();
export type ItemUpdateInput = z.infer<typeof itemUpdateInput>;

export const itemSchema = z.object({
  id: text(),
  projectId: text(),
  externalId: text().nullable(),
  title: text(),
  url: text().nullable(),
  archivedUrl: text().nullable(),
  platform: z.enum(PLATFORMS).nullable(),
  author: text().nullable(),
  publishedAt: text().nullable(),
  language: text().nullable(),
  body: text(),
  reach: z.number().nullable(),
  likes: z.number().nullable(),
  shares: z.number().nullable(),
  comments: z.number().nullable(),
  /**
   * The number of the current title and body: it goes up when the text of an item that is assigned or has codings
   * changes (the earlier text is kept, `GET …/items/:itemId/versions/:version`).
   */
  textVersion: z.number().int(),
  translationLanguage: text().nullable(),
  translationTitle: text().nullable(),
  translationBody: text().nullable(),
  /** The item's incidents in order; the first is its primary incident. */
  incidentIds: z.array(text()),
  /** The primary incident (`incidentIds[0]`), kept for clients written before items had several. */
  incidentId: text().nullable(),
  phase: z.enum(PHASES),
  /** Set while the item is archived (deleted with codings, comments or decisions): hidden from lists and rounds, restorable. */
  archivedAt: text().nullable(),
  createdAt: text(),
});
export type Item = z.infer<typeof itemSchema>;

/** Filters shared by the paged item list and the item table. `q` searches title, text, author and external id. */
export const itemFilterQuery = z.object({
  incident: text().max(100).optional(),
  phase: z.enum(PHASES).optional(),
  platform: z.enum(PLATFORMS).optional(),
  /** Items assigned to this user. Coders may only ask for their own assignments. */
  coder: text().max(100).optional(),
  /** `me`: only the caller's assigned items (her queue). */
  assigned: z.enum(['me']).optional(),
  /** Where the queue's coder (`assigned=me`, or `coder`) stands on each item; needs one of them. */
  status: z.enum(QUEUE_STATUSES).optional(),
  q: text().max(200).optional(),
  /** Archived items are left out unless asked for: `include` lists them too, `only` alone. */
  archived: z.enum(['include', 'only']).optional(),
});
export type ItemFilterQuery = z.infer<typeof itemFilterQuery>;

export const itemListQuery = paginationSchema.extend(itemFilterQuery.shape);
export type ItemListQuery = z.infer<typeof itemListQuery>;

/**
 * One row of the items table: the item without its text and counts, so the table can hold
 * every matching item of a large project at once (about 200 bytes a row).
 */
export const itemRowSchema = itemSchema.pick({
  id: true,
  externalId: true,
  title: true,
  url: true,
  platform: true,
  author: true,
  publishedAt: true,
  incidentIds: true,
  incidentId: true,
  phase: true,
  archivedAt: true,
});
export type ItemRow = z.infer<typeof itemRowSchema>;

export const itemRowsSchema = z.object({
  /** Every matching item, in project (import) order. */
  rows: z.array(itemRowSchema),
  total: z.number().int(),
  /** True when more than MAX_ITEM_ROWS items match and `rows` holds the first MAX_ITEM_ROWS. */
  truncated: z.boolean(),
});
export type ItemRows = z.infer<typeof itemRowsSchema>;

export const phaseUpdateInput = z.object({
  phase: z.enum(PHASES),
  /**
   * Leaving the independent phase before every coder of a reliability round submitted: the
   * editor confirms that the codings submitted later are left out of reliability (not blind).
   * Without it such a change is refused (409).
   */
  confirmExcludeLate: z.boolean().default(false),
});

/**
 * target field -> CSV header. Unmapped targets fall back to the known aliases of the target
 * (e.g. `Headline` for title), case-insensitively; `null` leaves the target out (no alias).
 */
export const importMappingSchema = z.partialRecord(z.enum(IMPORT_TARGETS), text().min(1).max(300).nullable());
export type ImportMapping = z.infer<typeof importMappingSchema>;

export const dateOrderSchema = z.enum(DATE_ORDERS);

/** Data rows to leave out of an import, 1-based as in the problems list (`?skipRows=3,7`). */
export const skipRowsSchema = text()
  .max(20_000)
  .regex(/^(\d+(,\d+)*)?$/, 'a comma-separated list of row numbers')
  .transform((s) => [...new Set(s ? s.split(',').map(Number) : [])].sort((a, b) => a - b))
  .pipe(z.array(z.number().int().min(1)).max(10_000));

export const importResultSchema = z.object({
  importId: text(),
  inserted: z.number().int(),
  /** Rows whose external id matched an item that differed: that item was updated in place. */
  updated: z.number().int(),
  /** Rows whose external id matched an item with the same values: nothing written. */
  unchanged: z.number().int(),
  /** Rows with every cell blank: left out, not problems. */
  emptyRows: z.number().int(),
  incidentsCreated: z.number().int(),
  /** Actors created: names of the actors column the project did not have (by name or alias), and those of link code columns (`codes.actorsCreated`). */
  actorsCreated: z.number().int(),
  /** The rows left out because they were asked to be skipped. */
  skipped: z.array(z.number().int()),
  /** With `codes`: the coder's imported codings. */
  codes: importCodesResultSchema.optional(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const importRowActionSchema = z.object({
  row: z.number().int(),
  action: z.enum(IMPORT_ACTIONS),
  changes: z.array(text()).optional(),
});
export type ImportRowAction = z.infer<typeof importRowActionSchema>;

/** The answer of a dry run: what the import would do, and every problem (the first 100 listed). Nothing is written. */
export const importCheckSchema = z.object({
  header: z.array(text()),
  /** The column each target was read from (explicit mapping or alias); unmapped targets are absent. */
  columns: z.partialRecord(z.enum(IMPORT_TARGETS), text()),
  /** Data rows in the file, skipped ones included. */
  rows: z.number().int(),
  /** Rows that would be imported: rows without problems that are not skipped. */
  valid: z.number().int(),
  skipped: z.array(z.number().int()),
  incidentsToCreate: z.array(text()),
  /** Names in the actors column (and link code columns, `codes.actorsToCreate`) that match no actor's name or alias: created by the import. */
  actorsToCreate: z.array(text()),
  /** Rows that would create an item, update the item with their external id, or change nothing. */
  create: z.number().int(),
  update: z.number().int(),
  unchanged: z.number().int(),
  emptyRows: z.number().int(),
  /** Every valid row's action, in file order; an update names the changed fields (targets, or the header of a column kept as raw data). */
  actions: z.array(importRowActionSchema),
  /**
   * Slash dates (`7/5/2024`): `needed` when the file cannot tell day/month from month/day and no
   * `dateOrder` was given (then a problem too); `used` is the order applied; `suggested` is what the
   * file's unambiguous dates point to; `example` one ambiguous date.
   */
  dateOrder: z.object({
    needed: z.boolean(),
    used: z.enum(DATE_ORDERS).nullable(),
    suggested: z.enum(DATE_ORDERS).nullable(),
    example: text().nullable(),
  }),
  problemCount: z.number().int(),
  problems: z.array(z.object({ row: z.number().int().optional(), column: text().optional(), message: text() })),
  /** With `codes`: each code column's labels and allowed codes, and what would be written. */
  codes: importCodesCheckSchema.optional(),
});
export type ImportCheck = z.infer<typeof importCheckSchema>;

/** What deleting an item did: removed it, or archived it because it holds work (codings, comments, decisions). */
export const itemDeleteResultSchema = z.object({ ok: z.literal(true), outcome: z.enum(['deleted', 'archived']) });
export type ItemDeleteResult = z.infer<typeof itemDeleteResultSchema>;

/** Purging asks for the item's id again, so a slip of the hand cannot remove its work. */
export const itemPurgeInput = z.object({ confirmItemId: text().max(100) });

/** Most items one bulk edit changes. */
export const MAX_BULK_ITEMS = 10_000;

/**
 * A bulk edit of selected items: `set` names what changes on every one of them. `incidentIds`
 * replaces their incidents, `addIncidentIds` appends those they lack (not both); `platform`
 * and `language` (null clears) overwrite.
 */
export const itemBulkInput = z.object({
  itemIds: z
    .array(text().min(1).max(100))
    .min(1)
    .max(MAX_BULK_ITEMS)
    .refine((ids) => new Set(ids).size === ids.length, 'lists an item twice'),
  set: z
    .object({
      incidentIds: incidentIdList.optional(),
      addIncidentIds: incidentIdList.min(1).optional(),
      platform: z.enum(PLATFORMS).nullable().optional(),
      language: text().trim().max(35).nullable().optional(),
    })
    .strict()
    .refine((s) => Object.values(s).some((v) => v !== undefined), 'names nothing to change')
    .refine((s) => s.incidentIds === undefined || s.addIncidentIds === undefined, 'incidentIds replaces, addIncidentIds appends: send one'),
});
export type ItemBulkInput = z.infer<typeof itemBulkInput>;

/** What a bulk edit did: how many items changed, how many already were as asked. */
export const itemBulkResultSchema = z.object({ updated: z.number().int(), unchanged: z.number().int() });
export type ItemBulkResult = z.infer<typeof itemBulkResultSchema>;

/** One text of an item: a kept earlier version, or the current one (`current`). */
export const itemVersionSchema = z.object({
  version: z.number().int(),
  title: text(),
  body: text(),
  current: z.boolean(),
  /** When this text was replaced (null for the current text). */
  replacedAt: text().nullable(),
});
export type ItemVersion = z.infer<typeof itemVersionSchema>;

/** An item's kept versions, newest first, without their text, and the number of its current text. */
export const itemVersionListSchema = z.object({
  current: z.number().int(),
  versions: z.array(z.object({ version: z.number().int(), title: text(), replacedAt: text() })),
});
export type ItemVersionList = z.infer<typeof itemVersionListSchema>;
