/**
 * Calibration against gold: the answer key of an item's fields (a decided adjudication or an
 * imported key), a coder's feedback after her own submission, and each coder's agreement
 * with the key for the methodologist.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { FIELD_TYPES, fieldKeySchema } from './codebook.ts';
import { codingValueSchema } from './coding.ts';
import { RELIABLE_ALPHA } from './review.ts';

/** Where a gold value comes from: an imported answer key, or an editor's decided adjudication. */
export const GOLD_SOURCES = ['imported', 'decided'] as const;
export type GoldSource = (typeof GOLD_SOURCES)[number];

/** Most rows one gold import takes (an answer key, not a dataset). */
export const MAX_GOLD_ROWS = 50_000;

/**
 * One answer: the item by id or by external id, the field, and the value as the exports write
 * it (a cell: option value, `a|b` for sets, a lone `|` for the empty set, `NA`, a number), or
 * as JSON in `rows` (a coding value, or a cell string).
 */
export const goldRowSchema = z
  .object({
    item_id: text().max(100).optional(),
    external_id: text().max(500).optional(),
    field: fieldKeySchema,
    value: z.union([codingValueSchema, z.null()]),
    rationale: text().max(10_000).optional(),
  })
  .refine((r) => Boolean(r.item_id) !== Boolean(r.external_id), 'give item_id or external_id (one of them)');
export type GoldRow = z.infer<typeof goldRowSchema>;

/** `POST …/gold`: CSV text (header `item_id` or `external_id`, `field`, `value`, optional `rationale`) or JSON rows. */
export const goldImportInput = z.union([
  z.object({ csv: text().min(1).max(20_000_000) }).strict(),
  z.object({ rows: z.array(goldRowSchema).min(1).max(MAX_GOLD_ROWS) }).strict(),
]);
export type GoldImportInput = z.infer<typeof goldImportInput>;

export const goldImportResultSchema = z.object({
  rows: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** SHA-256 of the uploaded CSV text or of the JSON rows as sent (also in the audit entry). */
  sha256: text(),
});
export type GoldImportResult = z.infer<typeof goldImportResultSchema>;

/** One field of a coder's feedback on an item she submitted. */
export const calibrationFieldSchema = z.object({
  fieldKey: text(),
  label: text(),
  type: z.enum(FIELD_TYPES),
  /** Her submitted value (null: she left it empty). */
  value: codingValueSchema.nullable(),
  /** The gold value (null: no gold for this field, or gold says "no value"; see `hasGold`). */
  gold: codingValueSchema.nullable(),
  hasGold: z.boolean(),
  source: z.enum(GOLD_SOURCES).nullable(),
  rationale: text(),
  /** Whether her value equals gold (sets compared as sets); null without gold. */
  match: z.boolean().nullable(),
});
export type CalibrationField = z.infer<typeof calibrationFieldSchema>;

export const calibrationFeedbackSchema = z.object({
  itemId: text(),
  submittedAt: text(),
  fields: z.array(calibrationFieldSchema),
  /** Fields with gold, and how many of them she matched. */
  compared: z.number().int(),
  matched: z.number().int(),
});
export type CalibrationFeedback = z.infer<typeof calibrationFeedbackSchema>;

export const CALIBRATION_PERIODS = ['round', 'week'] as const;

export const calibrationQuery = z.object({
  /** Only the codings of calibration rounds (default), or of every round. */
  rounds: z.enum(['calibration', 'all']).default('calibration'),
  /** Over time: by round (default) or by ISO week (UTC Monday) of submission. */
  by: z.enum(CALIBRATION_PERIODS).default('round'),
  /** A coder is ready when alpha against gold reaches this on every field with data. */
  threshold: z.coerce.number().min(0).max(1).default(RELIABLE_ALPHA),
});
export type CalibrationQuery = z.infer<typeof calibrationQuery>;

/** A coder against gold on one field (over a period, or overall). */
export const goldAgreementSchema = z.object({
  fieldKey: text(),
  /** Items with both her value and gold. */
  n: z.number().int(),
  /** Krippendorff's alpha, coder and gold as two coders, at the field's level (nominal, ordinal, interval, MASI). */
  alpha: z.number().nullable(),
  alphaLevel: text().nullable(),
  /** Cohen's kappa (unweighted for choices, quadratic-weighted for scales and numbers); null for multiple choice. */
  kappa: z.number().nullable(),
  kappaWeights: text().nullable(),
  percentAgreement: z.number().nullable(),
});
export type GoldAgreement = z.infer<typeof goldAgreementSchema>;

export const calibrationCoderSchema = z.object({
  coderId: text(),
  email: text(),
  name: text(),
  fields: z.array(goldAgreementSchema),
  periods: z.array(z.object({ key: text(), label: text(), fields: z.array(goldAgreementSchema) })),
  /** Every field with data has alpha ≥ threshold (false without data). */
  ready: z.boolean(),
});
export type CalibrationCoder = z.infer<typeof calibrationCoderSchema>;

export const calibrationReportSchema = z.object({
  threshold: z.number(),
  rounds: z.enum(['calibration', 'all']),
  by: z.enum(CALIBRATION_PERIODS),
  /** The codebook's coded fields (text left out), in codebook order. */
  fields: z.array(z.object({ key: text(), label: text(), type: z.enum(FIELD_TYPES) })),
  /** Gold values per source over the project. */
  gold: z.object({ imported: z.number().int(), decided: z.number().int() }),
  coders: z.array(calibrationCoderSchema),
});
export type CalibrationReport = z.infer<typeof calibrationReportSchema>;
