/**
 * Review rounds (issue 13, item 2): one coder codes each item, an editor reviews it field by
 * field (accept or revise, with a rationale), and the result is recorded like an adjudication.
 * Also reopening one coder's submission, and sampling a share of a review round for double coding.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { fieldDefinitionSchema } from './codebook.ts';
import { codingValueSchema } from './coding.ts';
import { PHASES } from '../roles.ts';
import { adjudicationSchema } from './review.ts';
import { itemSchema } from './item.ts';

/** `POST …/items/:itemId/codings/:coderId/reopen`: the reason is required and audited. */
export const reopenSubmissionInput = z.object({
  reason: text().trim().min(1, 'give a reason for reopening the submission').max(2000),
});
export type ReopenSubmissionInput = z.infer<typeof reopenSubmissionInput>;

export const reopenSubmissionResultSchema = z.object({
  itemId: text(),
  coderId: text(),
  phase: z.enum(PHASES),
  /** False when the item was no longer independent for the coder (she may have seen others' values): excluded from reliability. */
  blind: z.boolean(),
});
export type ReopenSubmissionResult = z.infer<typeof reopenSubmissionResultSchema>;

export const REVIEW_STATUSES = ['pending', 'reviewed', 'all'] as const;

export const reviewQueueQuery = z.object({
  /** The coder's user id. */
  coder: text().max(100).optional(),
  incident: text().max(100).optional(),
  /** pending (the default): some field has no decision yet; reviewed: every field decided. */
  status: z.enum(REVIEW_STATUSES).default('pending'),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuery>;

export const reviewQueueEntrySchema = z.object({
  itemId: text(),
  externalId: text().nullable(),
  title: text(),
  incidentIds: z.array(text()),
  coderId: text(),
  coderName: text(),
  roundId: text(),
  roundName: text(),
  submittedAt: text(),
  /** Fields of the current codebook, and how many of them have a decision. */
  fields: z.number().int(),
  reviewed: z.number().int(),
});
export type ReviewQueueEntry = z.infer<typeof reviewQueueEntrySchema>;

export const reviewQueueSchema = z.object({ entries: z.array(reviewQueueEntrySchema), total: z.number().int() });
export type ReviewQueue = z.infer<typeof reviewQueueSchema>;

/** A single-coded item for review: every field with the coder's submitted value and the decision, if any. */
export const reviewDetailSchema = z.object({
  item: itemSchema,
  codebookVersion: z.number().int(),
  coder: z.object({ coderId: text(), name: text(), submittedAt: text() }),
  fields: z.array(
    z.object({
      field: fieldDefinitionSchema,
      /** Null: the coder left the field without a value. */
      value: codingValueSchema.nullable(),
      decision: adjudicationSchema.nullable(),
    }),
  ),
  /** Whether the caller may accept or revise (editors and owners). */
  canReview: z.boolean(),
});
export type ReviewDetail = z.infer<typeof reviewDetailSchema>;

/** One field's review: accept the coder's value (rationale optional), or revise it (rationale required). */
export const reviewInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), rationale: text().trim().max(10_000).default('') }),
  z.object({
    action: z.literal('revise'),
    value: codingValueSchema.nullable(),
    rationale: text().trim().min(1, 'give a rationale for the revision').max(10_000),
  }),
]);
export type ReviewInput = z.input<typeof reviewInput>;

/**
 * `POST …/rounds/:roundId/sample`: a second, blind coder for a random share (or a number) of a
 * review round's items still open. With `preview` nothing is written: the same plan is returned.
 */
export const sampleInput = z
  .object({
    /** Share of the round's items still open for double coding (0 < share ≤ 1); or `count`. */
    share: z.number().gt(0).max(1).optional(),
    /** How many of the open items (at most all of them); or `share`. */
    count: z.number().int().min(1).max(100_000).optional(),
    /** Who may be the second coder (never the item's own coder), balanced between them. */
    coderIds: z.array(text()).min(1).max(500),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    preview: z.boolean().default(false),
  })
  .refine((v) => (v.share === undefined) !== (v.count === undefined), { message: 'give either a share or a count of items', path: ['share'] });
export type SampleInput = z.input<typeof sampleInput>;

export const sampleResultSchema = z.object({
  roundId: text(),
  /** Items that could still be double coded blind: one coder, not submitted, independent. */
  eligible: z.number().int(),
  itemIds: z.array(text()),
  perCoder: z.record(text(), z.number().int()),
  seed: z.number().int(),
  /** False for a preview: nothing was assigned. */
  applied: z.boolean(),
});
export type SampleResult = z.infer<typeof sampleResultSchema>;

/** `GET …/review/rounds`: the review rounds a manager may sample, with how many items are still open for double coding. */
export const reviewRoundSchema = z.object({
  id: text(),
  name: text(),
  createdAt: text(),
  /** Items of the round still open for blind double coding (one coder, not submitted, independent). */
  open: z.number().int(),
  /** The samples drawn so far, oldest first. */
  samples: z.array(z.object({ seed: z.number().int(), share: z.number().nullable(), count: z.number().int().nullable(), items: z.number().int(), at: text() })),
});
export type ReviewRound = z.infer<typeof reviewRoundSchema>;
export const reviewRoundsSchema = z.object({ rounds: z.array(reviewRoundSchema) });
export type ReviewRounds = z.infer<typeof reviewRoundsSchema>;
