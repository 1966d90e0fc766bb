/**
 * Importing codes already made (issue 12, item 7): columns of an item import read as a coder's
 * values of codebook fields. Sent beside the item mapping (`?codes=` JSON); the dry run answers
 * with each mapped column's distinct labels, the code each maps to, and the codes allowed.
 */
import { z } from 'zod';
import { fieldKeySchema, FIELD_TYPES } from './codebook.ts';
import { naSchema } from './coding.ts';
import { text } from './common.ts';

/** What one label of the file becomes: an option code, a scale point, N/A, or `null` (left missing). */
export const importCodeSchema = z.union([text().min(1).max(120), z.number().int(), naSchema]);
export type ImportCode = z.infer<typeof importCodeSchema>;

/** Whose codes the columns are: a member of the project, or the project's "Imported" coder (an account nobody signs in to). */
export const importCoderSchema = z.union([z.object({ userId: text().min(1).max(100) }).strict(), z.object({ imported: z.literal(true) }).strict()]);
export type ImportCoder = z.infer<typeof importCoderSchema>;

/** The domain of the project's "Imported" coder's account email (RFC 2606: no mail reaches it), so lists can tell it from people. */
export const IMPORTED_CODER_DOMAIN = 'imported.concord.invalid';

/** Most distinct labels the dry run lists per code column. */
export const MAX_LISTED_LABELS = 1000;

/** Most code columns one import maps. */
export const MAX_CODE_COLUMNS = 50;

export const importCodesSchema = z.object({
  coder: importCoderSchema,
  columns: z
    .array(
      z.object({
        /** The CSV header (or JSON key) holding the values. */
        column: text().min(1).max(300),
        fieldKey: fieldKeySchema,
        /**
         * File label -> code. Labels left out take the suggested code (matched by code, label or slug, case-insensitively).
         * For a `link` field a label is an actor's name and its code an actor id (matched by name or alias, case-insensitively).
         */
        valueMap: z.record(text().max(300), importCodeSchema.nullable()).default({}),
        /** A `link` field's names that match no actor (and are not mapped) create actors; otherwise each is a problem on its row. */
        createActors: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(MAX_CODE_COLUMNS),
});
export type ImportCodes = z.infer<typeof importCodesSchema>;
export type ImportCodesInput = z.input<typeof importCodesSchema>;

/** A code the field allows, as the value-mapping step lists it: frames with their parent, scale points, N/A. */
export const allowedCodeSchema = z.object({
  code: importCodeSchema,
  label: text(),
  /** The parent option's code (hierarchical frames). */
  parent: text().nullable(),
});
export type AllowedCode = z.infer<typeof allowedCodeSchema>;

export const codeColumnCheckSchema = z.object({
  column: text(),
  fieldKey: text(),
  fieldLabel: text(),
  fieldType: z.enum(FIELD_TYPES),
  /** Every distinct label in the column (the entries of a list cell for multiple choice), in file order; empty for number and text fields. */
  labels: z.array(
    z.object({
      label: text(),
      /** Rows holding it. */
      rows: z.number().int(),
      /** The server's match by code, label or slug; null when none. */
      suggested: importCodeSchema.nullable(),
      /** What it maps to: the request's valueMap entry, else the suggestion; null is missing (with a problem unless the request said null). */
      code: importCodeSchema.nullable(),
      /** The request mapped it (possibly to null: leave the value missing). */
      mapped: z.boolean(),
      /** A `link` field's name that matches no actor: the import creates one (`createActors`, or the column is the items' actors column). */
      newActor: z.boolean().optional(),
    }),
  ),
  /** Distinct labels beyond the first MAX_LISTED_LABELS, not listed (a column of free text mapped to a choice field). */
  moreLabels: z.number().int(),
  /** The codes allowed; for a `link` field the actors the importer sees (code: the actor's id, label: its name). */
  allowed: z.array(allowedCodeSchema),
  /** A `link` field's column: whether names that match no actor create one. */
  createActors: z.boolean().optional(),
});
export type CodeColumnCheck = z.infer<typeof codeColumnCheckSchema>;

/** The dry run's part about codes. */
export const importCodesCheckSchema = z.object({
  /** Null for the "Imported" coder before the first import makes its account. */
  coderId: text().nullable(),
  coderName: text(),
  columns: z.array(codeColumnCheckSchema),
  /** Codings the import would write (new rows' and new coders' values). */
  codings: z.number().int(),
  /** Items whose codes by this coder would come in (each gets a submitted assignment in an imported round). */
  items: z.number().int(),
  /** Items whose imported codes equal the file's: nothing to write. */
  unchangedItems: z.number().int(),
  /** Names in `link` columns the import would create as actors (first spelling of each). */
  actorsToCreate: z.array(text()).optional(),
});
export type ImportCodesCheck = z.infer<typeof importCodesCheckSchema>;

export const importCodesResultSchema = z.object({
  coderId: text(),
  /** The imported round that holds the new assignments; null when nothing new came in. */
  roundId: text().nullable(),
  codings: z.number().int(),
  items: z.number().int(),
  unchangedItems: z.number().int(),
  /** Items revealed because the imported coder was the last one to submit. */
  revealed: z.number().int(),
  /** Actors created for names of `link` columns that matched none. */
  actorsCreated: z.number().int().optional(),
});
export type ImportCodesResult = z.infer<typeof importCodesResultSchema>;
