import { z } from 'zod';
import { fieldKeySchema } from './codebook.ts';
import { idSchema, text } from './common.ts';

/** What an actor is; free-form distinctions (a ministry vs. a party) go into affiliation and notes. */
export const ACTOR_KINDS = ['person', 'outlet', 'organization', 'government', 'other'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Most aliases one actor keeps (a merge adds the duplicate's name and aliases). */
export const MAX_ACTOR_ALIASES = 100;

/** A name or alias: "|" separates set values in exports, so a name may not hold one. */
const actorName = text()
  .trim()
  .min(1)
  .max(300)
  .regex(/^[^|]+$/, 'must not contain "|" (it separates actors in exports)');

const actorFields = z.object({
  name: actorName,
  kind: z.enum(ACTOR_KINDS).nullable(),
  affiliation: text().trim().max(300).nullable(),
  stance: text().trim().max(300).nullable(),
  notes: text().max(10_000),
  aliases: z
    .array(actorName)
    .max(MAX_ACTOR_ALIASES)
    .refine((a) => new Set(a.map((s) => s.toLowerCase())).size === a.length, 'lists an alias twice'),
});

export const actorIdSchema = idSchema('act');

export const actorInput = actorFields.extend({
  kind: actorFields.shape.kind.default(null),
  affiliation: actorFields.shape.affiliation.default(null),
  stance: actorFields.shape.stance.default(null),
  notes: actorFields.shape.notes.default(''),
  aliases: actorFields.shape.aliases.default([]),
  /**
   * Create-on-the-fly from the coding form: the `link` field and the item being coded. Coders
   * may create only this way (when the field allows it); the actor is then one of her codes,
   * hidden from everyone else while the item is independent.
   */
  field: fieldKeySchema.optional(),
  itemId: text().max(100).optional(),
}).refine((a) => (a.field === undefined) === (a.itemId === undefined), { message: 'field and itemId go together', path: ['itemId'] });
export type ActorInput = z.input<typeof actorInput>;

/** Only the fields sent change. */
export const actorUpdateInput = actorFields.partial();
export type ActorUpdateInput = z.infer<typeof actorUpdateInput>;

/** Merge a duplicate into this actor: its codings move here, its name and aliases become aliases. */
export const actorMergeInput = z.object({ duplicateId: actorIdSchema });
export type ActorMergeInput = z.infer<typeof actorMergeInput>;

export const actorSchema = z.object({
  id: text(),
  name: text(),
  kind: z.enum(ACTOR_KINDS).nullable(),
  affiliation: text().nullable(),
  stance: text().nullable(),
  notes: text(),
  aliases: z.array(text()),
  /** Ids of the actors merged into this one: values that still name them mean this actor. */
  mergedIds: z.array(text()),
  /** Made on the fly while coding an item that is still independent: only its maker sees it yet. */
  pending: z.boolean(),
  createdAt: text(),
  updatedAt: text(),
});
export type Actor = z.infer<typeof actorSchema>;

export const actorListQuery = z.object({
  /** Case-insensitive search in names and aliases (search-as-you-type). */
  q: text().max(200).optional(),
});

export const actorListSchema = z.object({ actors: z.array(actorSchema) });
export type ActorList = z.infer<typeof actorListSchema>;
