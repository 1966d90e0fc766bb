/**
 * Span agreement: Krippendorff's unitizing alphas over the coders' span tags (issue 14).
 * The statistics are @concord/reliability's `unitizingAlpha`; the server's
 * `GET …/reliability/spans` and the report's `spans` section have this shape.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { confidenceIntervalSchema, reliabilityQuery } from './review.ts';

/** Said wherever a span coefficient is shown: which definition it is. */
export const UNITIZING_DEFINITION = {
  id: 'krippendorff-2016',
  text:
    'Krippendorff’s unitizing alphas as defined by Krippendorff, Mathet, Bouvry & Widlöcher (2016, Quality & Quantity 50, 2347–2364) and Krippendorff (2019, Content Analysis, 4th ed., §12.6): coincidences of tagged lengths (UTF-16 characters of the item text) between coders, items pooled as alpha pools units. u-alpha judges where tags are and which frame they carry; |u-alpha tagged against untagged text; cu-alpha the frames of the passages two coders both tagged. Per frame: u-alpha of that frame against all other text, and cu-alpha ((k)u-alpha) of that frame on passages both coders tagged. Intervals: percentile bootstrap over items.',
} as const;

/** The reliability filters; imported codings never carry span tags (an import brings values, not passages), so there is no includeImported. */
export const spanReliabilityQuery = reliabilityQuery.omit({ includeImported: true });
export type SpanReliabilityQuery = z.infer<typeof spanReliabilityQuery>;

export const spanCoefficientSchema = z.object({
  value: z.number().nullable(),
  ci: confidenceIntervalSchema.nullable(),
  /** Why the value is null (nothing pairable, only one frame used…). */
  reason: text().nullable(),
});
export type SpanCoefficient = z.infer<typeof spanCoefficientSchema>;

/** The field-level coefficients on a set of items and coders. */
export const spanFamilySchema = z.object({
  /** u-alpha: unitizing and frames together. */
  u: spanCoefficientSchema,
  /** |u-alpha: tagged against untagged text, whatever the frame. */
  binary: spanCoefficientSchema,
  /** cu-alpha: the frames of passages that two coders both tagged. */
  cu: spanCoefficientSchema,
  /** Items with two or more coders (the only ones that enter). */
  n_items: z.number().int(),
  n_coders: z.number().int(),
  n_tags: z.number().int(),
});
export type SpanFamily = z.infer<typeof spanFamilySchema>;

export const spanFrameSchema = z.object({
  frame: text(),
  label: text(),
  n_tags: z.number().int(),
  /** u-alpha of this frame against all other text. */
  u: spanCoefficientSchema,
  /** (k)u-alpha: this frame against the other frames, on passages both coders tagged. */
  cu: spanCoefficientSchema,
  /** Share of this frame's tagged length that another coder also tagged (what cu judges). */
  coverage: z.number().nullable(),
});
export type SpanFrame = z.infer<typeof spanFrameSchema>;

export const spanFieldSchema = z.object({
  key: text(),
  label: text(),
  overall: spanFamilySchema,
  frames: z.array(spanFrameSchema),
  /** Per pair of coders, on the items both tagged; coders by id in the API, by pseudonym in the report. */
  pairs: z.array(spanFamilySchema.extend({ coders: z.tuple([text(), text()]) })),
  incidents: z.array(spanFamilySchema.extend({ incident: z.object({ id: text(), name: text() }) })),
  /** Tagged length falling on several frames of one coder at once, in % (such passages count as their own combined value in u and cu). */
  overlap_percent: z.number(),
});
export type SpanField = z.infer<typeof spanFieldSchema>;

export const spanReliabilitySchema = z.object({
  definition: z.object({ id: z.literal(UNITIZING_DEFINITION.id), text: text() }),
  bootstrap: z.object({ replicates: z.number().int(), seed: z.number().int() }),
  /** Submitted coders whose tags were left out because they did not code blind. */
  excluded_not_blind: z.number().int(),
  fields: z.array(spanFieldSchema),
});
export type SpanReliability = z.infer<typeof spanReliabilitySchema>;
