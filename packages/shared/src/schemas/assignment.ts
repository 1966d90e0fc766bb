import { z } from 'zod';
import { text } from './common.ts';

/**
 * What a round is for. `reliability` rounds measure agreement: their items may leave the
 * independent phase before every coder submitted only when an editor confirms that the late
 * codings are left out of reliability (`confirmExcludeLate`). `calibration` trains against
 * known answers, `production` codes the data, `review` is one coder and an editor who revises,
 * `imported` holds codings brought in from elsewhere.
 */
export const ROUND_TYPES = ['calibration', 'reliability', 'production', 'review', 'imported'] as const;
export type RoundType = (typeof ROUND_TYPES)[number];

/**
 * Overlap sampling. `k`: every item goes to k coders (balanced).
 * `sample`: a p% reliability sample goes to every listed coder, the rest to one coder each.
 * Both are reproducible from `seed`.
 */
export const assignmentInput = z.object({
  roundName: text().trim().min(1).max(200),
  /** Rounds made before types existed, and rounds created without one, are production rounds. */
  type: z.enum(ROUND_TYPES).default('production'),
  coderIds: z.array(text()).min(1).max(500),
  itemIds: z.array(text()).max(100_000).optional(),
  incidentId: text().optional(),
  mode: z.discriminatedUnion('type', [
    z.object({ type: z.literal('k'), k: z.number().int().min(1).max(100) }),
    z.object({ type: z.literal('sample'), percent: z.number().min(0).max(100) }),
  ]),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
});
/** `type` may be left out by callers in code (demo seed, tests), as by API clients: production. */
export type AssignmentInput = Omit<z.infer<typeof assignmentInput>, 'type'> & { type?: RoundType | undefined };

export const assignmentResultSchema = z.object({
  roundId: text(),
  assignments: z.number().int(),
  perCoder: z.record(text(), z.number().int()),
});

export const assignmentSchema = z.object({
  id: text(),
  itemId: text(),
  coderId: text(),
  roundId: text().nullable(),
  submittedAt: text().nullable(),
  /** False once the item left the independent phase before this coder submitted: her codings are not blind. */
  blind: z.boolean(),
  /** Set when an editor reopened this coder's submission: editable again (even on a revealed item) until she resubmits. */
  reopenedAt: text().nullable(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

/** What `assignmentInput` would create, without writing: the same plan as applying it with the same seed. */
export const assignmentPreviewSchema = z.object({
  items: z.number().int(),
  /** New assignments (pairs the coder already has are skipped, as on apply). */
  assignments: z.number().int(),
  alreadyAssigned: z.number().int(),
  perCoder: z.record(text(), z.number().int()),
});
export type AssignmentPreview = z.infer<typeof assignmentPreviewSchema>;

/** Each coder's load over all rounds. */
export const workloadRowSchema = z.object({
  coderId: text(),
  assigned: z.number().int(),
  submitted: z.number().int(),
});
export type WorkloadRow = z.infer<typeof workloadRowSchema>;
