/**
 * The reliability drill-down of one field: where its (dis)agreement comes from. Every
 * number is computed by `@concord/reliability` on the same matrix as the field's row in
 * `GET …/reliability` (submitted codings of revealed items, the wide export's layout).
 */
import { z } from 'zod';
import { text } from './common.ts';
import { fieldKeySchema } from './codebook.ts';
import { confidenceIntervalSchema, fieldReliabilitySchema, reliabilityQuery } from './review.ts';

export const fieldDrilldownQuery = reliabilityQuery.omit({ field: true });
export type FieldDrilldownQuery = z.infer<typeof fieldDrilldownQuery>;

export const fieldDrilldownParams = z.object({ projectId: text().max(100), fieldKey: fieldKeySchema });

const coderRef = z.object({ id: text(), email: text(), name: text() });

/** One value (category, scale point, option) against all the others. */
export const valueReliabilitySchema = z.object({
  /** The value as exported ("NA" for N/A). */
  value: text(),
  /** The codebook's label for it (the value itself for numbers). */
  label: text(),
  /** Nominal alpha of the data recoded as "this value" versus "any other" (per-category alpha, Krippendorff 2011). */
  alpha: z.number().nullable(),
  /** Pairable values that are (set fields: contain) this value. */
  count: z.number().int(),
  /** count over all pairable values (set fields: over pairable coded sets). */
  prevalence: z.number().nullable(),
});
export type ValueReliability = z.infer<typeof valueReliabilitySchema>;

/** Two coders alone, on the units both coded. */
export const coderPairSchema = z.object({
  a: text(),
  b: text(),
  n_units: z.number().int(),
  percent_agreement: z.number().nullable(),
  /** Cohen's kappa, unweighted (null for set fields). */
  kappa: z.number().nullable(),
  /** Cohen's kappa, quadratic weights (ordinal and number fields only). */
  kappa_quadratic: z.number().nullable(),
  /** The field's coefficient (alpha at its level, or MASI alpha) for the pair. */
  alpha: z.number().nullable(),
});
export type CoderPair = z.infer<typeof coderPairSchema>;

/** One coder against the rest: the coefficient without them, and their mean pairwise agreement. */
export const coderVsRestSchema = z.object({
  coder: text(),
  /** Units this coder coded that at least one other coder coded too. */
  n_units: z.number().int(),
  /** The field's coefficient with this coder left out (null with fewer than three coders). */
  alpha_without: z.number().nullable(),
  /** The field's coefficient minus alpha_without: negative when this coder lowers agreement. */
  effect: z.number().nullable(),
  /** Mean of the pairwise coefficients of this coder with each other coder. */
  mean_pair_alpha: z.number().nullable(),
  mean_pair_agreement: z.number().nullable(),
});
export type CoderVsRest = z.infer<typeof coderVsRestSchema>;

/** The field's coefficient on a subset of units (one incident, one round, one week). */
export const subsetReliabilitySchema = z.object({
  /** Incident or round id, or the week's Monday (YYYY-MM-DD); null for items without an incident. */
  key: text().nullable(),
  label: text(),
  value: z.number().nullable(),
  ci: confidenceIntervalSchema.nullable(),
  n_units: z.number().int(),
  n_coders: z.number().int(),
  percent_agreement: z.number().nullable(),
  reason: text().nullable(),
});
export type SubsetReliability = z.infer<typeof subsetReliabilitySchema>;

export const fieldDrilldownSchema = z.object({
  codebookVersion: z.number().int(),
  bootstrap: z.object({ replicates: z.number().int(), seed: z.number().int() }),
  coders: z.array(coderRef),
  /** The project's rounds (oldest first), for the round filter. */
  rounds: z.array(z.object({ id: text(), name: text() })),
  /** The field's row, exactly as `GET …/reliability?field=KEY` gives it. */
  field: fieldReliabilitySchema,
  values: z.array(valueReliabilitySchema),
  pairs: z.array(coderPairSchema),
  vsRest: z.array(coderVsRestSchema),
  incidents: z.array(subsetReliabilitySchema),
  /** Across rounds when the data span more than one round, else by week of reveal (UTC, weeks start on Monday). */
  drift: z.object({ by: z.enum(['round', 'week']), points: z.array(subsetReliabilitySchema) }),
});
export type FieldDrilldown = z.infer<typeof fieldDrilldownSchema>;
