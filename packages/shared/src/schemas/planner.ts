/**
 * The reliability planner (`POST /api/projects/:id/reliability/plan`): how many items and
 * coders a round needs for the lower bound of alpha's 95% bootstrap interval to reach a
 * target with a given probability, by simulation (`@concord/reliability`, planReliability).
 * Every size is bounded so that a request cannot run for minutes; the server also caps the
 * total simulation work (`budget` in the answer) and says when it stopped there.
 */
import { z } from 'zod';
import { text } from './common.ts';
import { fieldKeySchema } from './codebook.ts';

export const PLANNER_LIMITS = {
  simulations: { min: 20, max: 500, default: 100 },
  replicates: { min: 100, max: 2000, default: 500 },
  items: { min: 5, max: 2000 },
  coders: { min: 2, max: 8 },
  /** Values of an expected distribution. */
  values: 200,
} as const;

/** Pilot: this project's blind codings of the field on revealed items (what GET …/reliability measures). */
const pilotSource = z.object({ type: z.literal('pilot') });

/** An expected alpha, with the share of each value (any non-negative weights; uniform over the field's values when left out). */
const expectedSource = z.object({
  type: z.literal('expected'),
  alpha: z.number().min(0).max(1),
  distribution: z
    .array(z.object({ value: text().max(200), weight: z.number().min(0).max(1e9) }))
    .min(2)
    .max(PLANNER_LIMITS.values)
    .optional(),
});

const L = PLANNER_LIMITS;
export const reliabilityPlanInput = z
  .object({
    field: fieldKeySchema,
    source: z.discriminatedUnion('type', [pilotSource, expectedSource]),
    /** The lower bound to reach. */
    target: z.number().min(0).max(0.99).default(0.8),
    /** The probability with which the lower bound must reach the target. */
    probability: z.number().min(0.5).max(0.99).default(0.95),
    minCoders: z.number().int().min(L.coders.min).max(L.coders.max).default(2),
    maxCoders: z.number().int().min(L.coders.min).max(L.coders.max).default(4),
    minItems: z.number().int().min(L.items.min).max(L.items.max).default(10),
    maxItems: z.number().int().min(L.items.min).max(L.items.max).default(500),
    simulations: z.number().int().min(L.simulations.min).max(L.simulations.max).default(L.simulations.default),
    replicates: z.number().int().min(L.replicates.min).max(L.replicates.max).default(L.replicates.default),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  })
  .refine((p) => p.minCoders <= p.maxCoders, { message: 'minCoders must not exceed maxCoders', path: ['maxCoders'] })
  .refine((p) => p.minItems <= p.maxItems, { message: 'minItems must not exceed maxItems', path: ['maxItems'] });
export type ReliabilityPlanInput = z.input<typeof reliabilityPlanInput>;
/** The input with its defaults filled in, as the service receives it. */
export type ReliabilityPlanRequest = z.output<typeof reliabilityPlanInput>;

const planEvaluationSchema = z.object({
  items: z.number().int(),
  coders: z.number().int(),
  /** Simulated studies run (fewer than asked when the candidate was decided early). */
  simulations: z.number().int(),
  /** Studies whose lower bound reached the target. */
  reached: z.number().int(),
  share: z.number(),
  meets: z.boolean(),
  meanLow: z.number().nullable(),
  meanAlpha: z.number().nullable(),
});

export const reliabilityPlanSchema = z.object({
  field: fieldKeySchema,
  /** The field's coefficient: alpha at this level (`masi` for sets of options). */
  level: text(),
  model: z.object({
    source: z.enum(['pilot', 'expected']),
    /** The alpha simulated (a negative pilot alpha is simulated as 0). */
    alpha: z.number(),
    pilotAlpha: z.number().nullable(),
    pilotUnits: z.number().int().nullable(),
    pilotCoders: z.number().int().nullable(),
    distribution: z.array(z.object({ value: text(), probability: z.number() })),
  }),
  target: z.number(),
  probability: z.number(),
  confidence: z.number(),
  simulations: z.number().int(),
  replicates: z.number().int(),
  seed: z.number().int(),
  plan: z.object({ items: z.number().int(), coders: z.number().int(), codings: z.number().int(), share: z.number() }).nullable(),
  reason: text().nullable(),
  candidates: z.array(z.object({ coders: z.number().int(), items: z.number().int().nullable(), share: z.number().nullable(), reason: text().nullable() })),
  evaluations: z.array(planEvaluationSchema),
  /** Work used and allowed: value draws (simulations x replicates x items x coders; x3 at the ordinal level), summed. */
  work: z.number(),
  budget: z.number(),
  budgetExhausted: z.boolean(),
  /**
   * The round that follows from the plan: items not yet assigned to anyone, still in the
   * independent phase, drawn with the seed; `available` counts them all (fewer than the plan
   * asks for means the round would be smaller).
   */
  assignment: z.object({ itemIds: z.array(text()), available: z.number().int() }).nullable(),
});
export type ReliabilityPlanResult = z.infer<typeof reliabilityPlanSchema>;
