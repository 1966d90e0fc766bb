import { z } from 'zod';
import { text } from './common.ts';

export const FIELD_TYPES = ['single_choice', 'multiple_choice', 'ordinal', 'number', 'text', 'link'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const codeSchema = text()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[^|]+$/, 'must not contain "|" (it separates set values in exports)');

/** A display colour, `#rrggbb`: REFI-QDA codebooks (.qdc) carry one per code, so it survives the exchange. */
export const codeColorSchema = text().regex(/^#[0-9a-f]{6}$/, 'must be a colour #rrggbb (lowercase)');

export const optionSchema = z.object({
  value: codeSchema,
  label: text().trim().min(1).max(300),
  /** Value of the parent option, for hierarchical (parent/child) frames. */
  parent: codeSchema.nullable().default(null),
  help: text().max(2000).default(''),
  color: codeColorSchema.optional(),
});
export type FieldOption = z.infer<typeof optionSchema>;

export const scalePointSchema = z.object({
  value: z.number().int().min(-1000).max(1000),
  label: text().trim().min(1).max(300),
});
export type ScalePoint = z.infer<typeof scalePointSchema>;

/** Keys and (new) option codes: lowercase ASCII identifiers, so exports and R/Python keep them as they are. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
const IDENTIFIER_MESSAGE = 'must be lowercase letters, digits and _ , starting with a letter (for example "journalists_media")';

export const fieldKeySchema = text().regex(IDENTIFIER_PATTERN, IDENTIFIER_MESSAGE);

/** What a new or changed option code must be; saved codes are checked by `newCodeIssues` only when they change. */
export const optionCodeSchema = text().regex(IDENTIFIER_PATTERN, IDENTIFIER_MESSAGE);

const fieldBase = z.object({
  key: fieldKeySchema,
  label: text().trim().min(1).max(300),
  help: text().max(4000).default(''),
  required: z.boolean().default(false),
  /** Whether "not applicable" may be chosen; N/A is a value, distinct from missing. */
  allowNa: z.boolean().default(false),
  color: codeColorSchema.optional(),
});

/**
 * The measurement level, when it is not the type's default (LEVEL_CHOICES in measurement.ts): part of the
 * version, so changing it on a coded field makes a new version. `levelReason` records why
 * (an ordinal scale treated as interval assumes equal steps between its points).
 */
const levelReason = text().trim().max(2000).optional();

export const fieldDefinitionSchema = z
  .discriminatedUnion('type', [
    fieldBase.extend({ type: z.literal('single_choice'), options: z.array(optionSchema).min(1).max(500) }),
    fieldBase.extend({ type: z.literal('multiple_choice'), options: z.array(optionSchema).min(1).max(500) }),
    fieldBase.extend({
      type: z.literal('ordinal'),
      scale: z.array(scalePointSchema).min(2).max(101),
      level: z.enum(['ordinal', 'interval']).optional(),
      levelReason,
    }),
    fieldBase.extend({
      type: z.literal('number'),
      min: z.number().nullable().default(null),
      max: z.number().nullable().default(null),
      integer: z.boolean().default(false),
      level: z.enum(['interval', 'ratio']).optional(),
      levelReason,
    }),
    fieldBase.extend({ type: z.literal('text'), maxLength: z.number().int().min(1).max(100_000).default(10_000) }),
    /** A set of the project's actors (linked records); `allowCreate` lets coders add one on the fly. */
    fieldBase.extend({ type: z.literal('link'), allowCreate: z.boolean().default(false) }),
  ])
  .superRefine((field, ctx) => {
    if (field.type === 'single_choice' || field.type === 'multiple_choice') {
      const values = new Set<string>();
      for (const [i, o] of field.options.entries()) {
        if (values.has(o.value)) {
          ctx.addIssue({ code: 'custom', path: ['options', i, 'value'], message: `duplicate option "${o.value}"` });
        }
        values.add(o.value);
      }
      for (const [i, o] of field.options.entries()) {
        if (o.parent !== null && (!values.has(o.parent) || o.parent === o.value)) {
          ctx.addIssue({ code: 'custom', path: ['options', i, 'parent'], message: `unknown parent option "${o.parent}"` });
        }
      }
    }
    if (field.type === 'ordinal') {
      const seen = new Set<number>();
      for (const [i, p] of field.scale.entries()) {
        if (seen.has(p.value)) ctx.addIssue({ code: 'custom', path: ['scale', i, 'value'], message: `duplicate scale point ${p.value}` });
        seen.add(p.value);
      }
    }
    if ((field.type === 'ordinal' || field.type === 'number') && field.level !== undefined && field.level !== (field.type === 'ordinal' ? 'ordinal' : 'interval') && !field.levelReason) {
      ctx.addIssue({ code: 'custom', path: ['levelReason'], message: `say why this ${field.type} field is treated as ${field.level}` });
    }
    if (field.type === 'number' && field.min !== null && field.max !== null && field.min > field.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'min must not exceed max' });
    }
  });
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;
export type FieldDefinitionInput = z.input<typeof fieldDefinitionSchema>;

export const codebookInput = z.object({
  name: text().trim().min(1).max(200),
  fields: z.array(fieldDefinitionSchema).max(200).superRefine((fields, ctx) => {
    const keys = new Set<string>();
    for (const [i, f] of fields.entries()) {
      if (keys.has(f.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate field key "${f.key}"` });
      keys.add(f.key);
    }
  }),
});
export type CodebookInput = z.infer<typeof codebookInput>;

/** Replacing all fields: `baseVersion` is the version edited (stale is 409); `newVersion` always records a version. */
export const codebookReplaceInput = codebookInput.extend({
  baseVersion: z.number().int().min(1),
  /** Record the change as version N+1 even when no coded field changed (the editor does, so every save is listed). */
  newVersion: z.boolean().default(false),
});
export type CodebookReplaceInput = z.infer<typeof codebookReplaceInput>;

export const codebookVersionSchema = z.object({
  version: z.number(),
  note: text(),
  createdBy: text().nullable(),
  createdAt: text(),
  current: z.boolean(),
});
export type CodebookVersion = z.infer<typeof codebookVersionSchema>;

export const codebookSchema = z.object({
  id: text(),
  projectId: text(),
  name: text(),
  version: z.number().int(),
  versionId: text(),
  fields: z.array(fieldDefinitionSchema),
});
export type Codebook = z.infer<typeof codebookSchema>;

/** A REFI-QDA codebook (.qdc XML) to import as the next codebook version; `baseVersion` as in saves (default: the current one). */
export const codebookQdcImportInput = z.object({
  xml: text().min(1).max(5_000_000),
  baseVersion: z.number().int().min(1).optional(),
});
export type CodebookQdcImportInput = z.infer<typeof codebookQdcImportInput>;

/** Editing one field: the client says which version it edited, so stale edits get 409. */
export const fieldUpdateInput = z.object({
  baseVersion: z.number().int().min(1),
  field: fieldDefinitionSchema,
});
export const fieldCreateInput = fieldUpdateInput;
export const fieldDeleteInput = z.object({ baseVersion: z.coerce.number().int().min(1) });
