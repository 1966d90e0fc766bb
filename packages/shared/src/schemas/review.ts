/**
 * The review side of a study: reliability reports, the disagreement inbox,
 * adjudications (the gold dataset) and discussion comments.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { FIELD_TYPES, fieldDefinitionSchema, fieldKeySchema } from './codebook.ts';
import { CODING_STATUSES, codingValueSchema } from './coding.ts';
import { itemSchema } from './item.ts';
import { VERDICTS } from '../verdicts.ts';

export { RELIABLE_ALPHA, TENTATIVE_ALPHA, VERDICTS, verdictOf, type Verdict } from '../verdicts.ts';
export const MAX_BOOTSTRAP_REPLICATES = 5000;

const idList = text()
  .max(5000)
  .optional()
  .transform((s) => (s ? [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))] : undefined));

export const reliabilityQuery = z.object({
  field: fieldKeySchema.optional(),
  incident: text().max(100).optional(),
  round: text().max(100).optional(),
  /** Coder ids or emails, comma-separated. */
  coders: idList,
  /** Bootstrap replicates for the CI of the main coefficient; 0 skips the bootstrap. */
  bootstrap: z.coerce.number().int().min(0).max(MAX_BOOTSTRAP_REPLICATES).default(1000),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Count imported codings (rounds of type `imported`) too: the methodologist's explicit choice; left out by default. */
  includeImported: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});
export type ReliabilityQuery = z.infer<typeof reliabilityQuery>;

export const confidenceIntervalSchema = z.object({ low: z.number().nullable(), high: z.number().nullable(), level: z.number() });

/** One coefficient; `metric`, `level` and `weights` use the names of `concord reliability --json`. */
export const coefficientSchema = z.object({
  metric: text(),
  level: text().nullable(),
  weights: text().nullable(),
  /** Hierarchy depth (1 = top-level options) for alpha per level of a hierarchical field. */
  depth: z.number().int().nullable(),
  value: z.number().nullable(),
  reason: text().nullable(),
  n_pairable: z.number().int(),
  note: text().nullable(),
});
export type Coefficient = z.infer<typeof coefficientSchema>;

/** Percent agreement at or above this with the coefficient below TENTATIVE_ALPHA: the prevalence ("kappa") paradox. */
export const PARADOX_AGREEMENT = 0.8;

/**
 * High agreement, low coefficient: one value dominates, so the agreement expected by chance
 * is high and the few disagreements weigh heavily (Feinstein & Cicchetti 1990).
 */
export const prevalenceWarningSchema = z.object({
  percent_agreement: z.number(),
  value: z.number(),
  /** The most frequent value (for set fields: the option present most often) and its share of the coded values. */
  top_value: text().nullable(),
  top_share: z.number().nullable(),
  message: text(),
});
export type PrevalenceWarning = z.infer<typeof prevalenceWarningSchema>;

export const fieldReliabilitySchema = z.object({
  key: text(),
  label: text(),
  type: z.enum(FIELD_TYPES),
  /** Null for text fields, which have no coefficient. */
  metric: text().nullable(),
  level: text().nullable(),
  value: z.number().nullable(),
  ci: confidenceIntervalSchema.nullable(),
  n_units: z.number().int(),
  n_coders: z.number().int(),
  n_pairable: z.number().int(),
  /** Unit x coder cells without a submitted value. */
  missing: z.number().int(),
  /** N/A values (a category for choice fields; left out of ordinal and interval coefficients). */
  na: z.number().int(),
  /** Values that no longer fit the current codebook (coded under an older version), left out. */
  excluded: z.number().int(),
  percent_agreement: z.number().nullable(),
  p_below_800: z.number().nullable(),
  p_below_667: z.number().nullable(),
  reason: text().nullable(),
  others: z.array(coefficientSchema),
  /** Set when percent agreement is at least .80 but the coefficient is below .667. */
  prevalence_warning: prevalenceWarningSchema.nullable(),
  /** From the CI's lower bound (verdictOf). */
  verdict: z.enum(VERDICTS),
  /** Submitted codings (cells) of revealed items left out because they were not made blind. */
  excluded_not_blind: z.number().int(),
  /** Submitted codings (cells) of revealed items left out because they were imported (a round of type `imported`); 0 with `includeImported`. */
  excluded_imported: z.number().int(),
  /** Where `level` comes from: the field's type (its default) or the codebook (set on the field, with a reason); null for text. */
  level_source: z.enum(['type', 'codebook']).nullable(),
  /** Why the codebook sets this level (e.g. an ordinal scale treated as interval); null when the level is the type's default. */
  level_reason: text().nullable(),
  /** The codebook versions the used codings (cells) were made under, oldest first, with how many each. */
  codebook_versions: z.array(z.object({ version: z.number().int(), codings: z.number().int() })),
  /** The used codings were made under more than one codebook version: say so when reporting. */
  mixed_versions: z.boolean(),
});
export type FieldReliability = z.infer<typeof fieldReliabilitySchema>;

export const reliabilityReportSchema = z.object({
  /** The current version: its field definitions (and levels) are the ones applied. */
  codebookVersion: z.number().int(),
  /** The versions the used codings were actually made under, oldest first (may not include the current one). */
  codedUnderVersions: z.array(z.number().int()),
  bootstrap: z.object({ replicates: z.number().int(), seed: z.number().int() }),
  coders: z.array(z.object({ id: text(), email: text(), name: text() })),
  /** The project's rounds (oldest first), for the round filter. */
  rounds: z.array(z.object({ id: text(), name: text() })),
  fields: z.array(fieldReliabilitySchema),
});
export type ReliabilityReport = z.infer<typeof reliabilityReportSchema>;

export const disagreementQuery = z.object({
  field: fieldKeySchema.optional(),
  incident: text().max(100).optional(),
  coder: text().max(320).optional(),
  /** open: not adjudicated (or reopened); decided: adjudicated; all (default). */
  status: z.enum(['open', 'decided', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
  /**
   * `item`: rows grouped by item (items ranked by their most severe disagreement, each item's rows
   * together, most severe first), and `limit`/`offset` count items, so a page never splits one.
   */
  group: z.enum(['none', 'item']).default('none'),
});
export type DisagreementQuery = z.infer<typeof disagreementQuery>;

export const ADJUDICATION_STATUSES = ['decided', 'reopened'] as const;
export type AdjudicationStatus = (typeof ADJUDICATION_STATUSES)[number];

export const disagreementSchema = z.object({
  itemId: text(),
  externalId: text().nullable(),
  title: text(),
  incidentId: text().nullable(),
  fieldKey: text(),
  fieldType: z.enum(FIELD_TYPES),
  /** Largest distance between two coders' values, 0..1 (the ranking key). */
  severity: z.number(),
  /** Mean distance over coder pairs, 0..1. */
  meanDistance: z.number(),
  values: z.array(z.object({ coderId: text(), email: text(), name: text(), value: codingValueSchema })),
  adjudication: z.object({ status: z.enum(ADJUDICATION_STATUSES), value: codingValueSchema.nullable() }).nullable(),
});
export type Disagreement = z.infer<typeof disagreementSchema>;

export const disagreementListSchema = z.object({
  disagreements: z.array(disagreementSchema),
  /** Disagreements matching the filters (all pages). */
  total: z.number().int(),
  /** Items with at least one of them (all pages). */
  itemTotal: z.number().int(),
});

export const adjudicationInput = z.object({
  /** The consensus value; null records that the field has no value for this item. */
  value: codingValueSchema.nullable(),
  rationale: text().trim().min(1, 'give a rationale for the decision').max(10_000),
});
export type AdjudicationInput = z.infer<typeof adjudicationInput>;

export const adjudicationSchema = z.object({
  id: text(),
  itemId: text(),
  fieldKey: text(),
  value: codingValueSchema.nullable(),
  rationale: text(),
  status: z.enum(ADJUDICATION_STATUSES),
  codebookVersion: z.number().int(),
  decidedBy: text().nullable(),
  decidedAt: text(),
});
export type Adjudication = z.infer<typeof adjudicationSchema>;

/**
 * A revised coding (issue 13, item 4): the value a production round's joint session agreed on
 * for a field, stored when an editor ended the session. The blind codings stay as submitted.
 */
export const revisedCodingSchema = z.object({
  itemId: text(),
  fieldKey: text(),
  value: codingValueSchema,
  codebookVersion: z.number().int(),
  /** The joint document's state vector (base64) the value was read at. */
  jointVersion: text(),
  revisedBy: text().nullable(),
  revisedAt: text(),
});
export type RevisedCoding = z.infer<typeof revisedCodingSchema>;

export const adjudicationListQuery = z.object({
  status: z.enum(['decided', 'reopened', 'all']).default('decided'),
  field: fieldKeySchema.optional(),
});

export const commentInput = z.object({
  body: text().trim().min(1).max(10_000),
  /** The field under discussion (a disagreement thread); omit for the item as a whole. */
  fieldKey: fieldKeySchema.nullable().default(null),
});
export type CommentInput = z.infer<typeof commentInput>;

export const commentSchema = z.object({
  id: text(),
  projectId: text(),
  itemId: text(),
  fieldKey: text().nullable(),
  authorId: text().nullable(),
  authorName: text().nullable(),
  body: text(),
  /** Members named by `@handle` in the body (see mentions.ts), in order of first mention. */
  mentions: z.array(text()),
  createdAt: text(),
});
export type Comment = z.infer<typeof commentSchema>;

/** One step of a decision, from the audit log: who decided, reopened or revised what, when, and why. */
export const adjudicationStepSchema = z.object({
  action: text(),
  at: text(),
  actorId: text().nullable(),
  actorName: text().nullable(),
  value: codingValueSchema.nullable(),
  rationale: text(),
  status: z.enum(ADJUDICATION_STATUSES),
  /** The value before this step (null for the first decision). */
  previousValue: codingValueSchema.nullable(),
});
export type AdjudicationStep = z.infer<typeof adjudicationStepSchema>;

/**
 * One disagreement in full: the item, the field, every assigned coder's value and notes
 * (their text fields on the item: memos such as subtext and context), the decision and
 * its history. `severity` is null when the item is not in the inbox (a joint session, or
 * the values agree).
 */
export const disagreementDetailSchema = z.object({
  item: itemSchema,
  field: fieldDefinitionSchema,
  codebookVersion: z.number().int(),
  severity: z.number().nullable(),
  meanDistance: z.number().nullable(),
  coders: z.array(
    z.object({
      coderId: text(),
      email: text(),
      name: text(),
      /** Null: no value for this field. */
      value: codingValueSchema.nullable(),
      status: z.enum(CODING_STATUSES).nullable(),
      submittedAt: text().nullable(),
      /** The item's text version this coder submitted under (the text she saw); compare with `item.textVersion`. */
      itemVersion: z.number().int().nullable(),
      notes: z.array(z.object({ fieldKey: text(), label: text(), text: text() })),
    }),
  ),
  adjudication: adjudicationSchema.nullable(),
  history: z.array(adjudicationStepSchema),
  /** Whether the caller may record or reopen the decision (editors and owners). */
  canAdjudicate: z.boolean(),
});
export type DisagreementDetail = z.infer<typeof disagreementDetailSchema>;
