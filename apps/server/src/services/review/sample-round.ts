/**
 * Sampling a share of a review round for double coding (issue 13, item 2), so reliability can
 * be measured on it: a second coder for a random share of the round's items, seeded and
 * recorded (the round's params and the audit log). Only items still open for blind double
 * coding are eligible: one coder, not submitted, independent. Once their one coder submits,
 * an item is revealed, and a second coding would not be independent. A preview computes the
 * same plan and writes nothing, so the form can show what applying it will do.
 */
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { assignments, items, projectMembers, rounds } from '@concord/db';
import { newId, sampleInput, type ReviewRounds, type SampleInput, type SampleResult } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { mulberry32, shuffled } from '../assignments/sampling.ts';
import { onlyCoder } from './review-queue.ts';

export type SampleSize = { share: number } | { count: number };

/** The plan: round(share × eligible) items (or `count`, at most all) in seeded order, each to the next listed coder who is not its own. */
export function planSample(eligible: readonly { itemId: string; coderId: string }[], coderIds: readonly string[], size: SampleSize, seed: number) {
  const random = mulberry32(seed);
  const order = shuffled([...eligible].sort((a, b) => a.itemId.localeCompare(b.itemId)), random);
  const coders = shuffled([...new Set(coderIds)].sort(), random);
  const wanted = 'share' in size ? Math.round(size.share * order.length) : Math.min(size.count, order.length);
  const plan: { itemId: string; coderId: string }[] = [];
  let next = 0;
  for (const e of order) {
    if (plan.length === wanted) break;
    const candidates = coders.filter((c) => c !== e.coderId);
    if (!candidates.length) continue;
    // Round-robin over the listed coders, skipping the item's own, so loads differ by at most one or two.
    let pick = coders[next % coders.length]!;
    if (pick === e.coderId) pick = coders[++next % coders.length]!;
    next++;
    plan.push({ itemId: e.itemId, coderId: pick });
  }
  return plan;
}

export async function sampleRound({ ctx, projectId, roundId, input: raw }: { ctx: ServiceContext; projectId: string; roundId: string; input: SampleInput }): Promise<SampleResult> {
  const { actor } = await authorize({ ctx, projectId, action: 'assignments.manage' });
  const input = sampleInput.parse(raw);
  const [round] = await ctx.db.select().from(rounds).where(and(eq(rounds.id, roundId), eq(rounds.projectId, projectId)));
  if (!round) throw notFound('round');
  if (round.type !== 'review') throw new AppError('CONFLICT', `this is a ${round.type} round; only a review round is sampled for double coding`);
  const members = await ctx.db.select({ userId: projectMembers.userId }).from(projectMembers).where(eq(projectMembers.projectId, projectId));
  const memberIds = new Set(members.map((m) => m.userId));
  const strangers = input.coderIds.filter((id) => !memberIds.has(id));
  if (strangers.length) throw new AppError('VALIDATION_FAILED', `not members of this project: ${strangers.join(', ')}`, [{ path: ['coderIds'], message: 'not members' }]);

  const size: SampleSize = input.count !== undefined ? { count: input.count } : { share: input.share! };

  return inTransaction(ctx, async (tx) => {
    const eligible = await tx.db
      .select({ itemId: assignments.itemId, coderId: assignments.coderId })
      .from(assignments)
      .innerJoin(items, eq(items.id, assignments.itemId))
      .where(openForDoubleCoding(tx, [roundId]))
      .for('update', { of: assignments });
    const plan = planSample(eligible, input.coderIds, size, input.seed);
    const perCoder: Record<string, number> = Object.fromEntries(input.coderIds.map((id) => [id, 0]));
    for (const p of plan) perCoder[p.coderId] = (perCoder[p.coderId] ?? 0) + 1;
    const itemIds = plan.map((p) => p.itemId);
    const result = { roundId, eligible: eligible.length, itemIds, perCoder, seed: input.seed };
    if (input.preview) return { ...result, applied: false };
    if (plan.length) {
      await tx.db.insert(assignments).values(plan.map((p) => ({ id: newId('assignment'), projectId, roundId, ...p })));
    }
    const record = { share: input.share ?? null, count: input.count ?? null, seed: input.seed, coderIds: input.coderIds, eligible: eligible.length, itemIds, by: actor.userId, at: new Date().toISOString() };
    const samples = Array.isArray(round.params.samples) ? round.params.samples : [];
    await tx.db.update(rounds).set({ params: { ...round.params, samples: [...samples, record] } }).where(eq(rounds.id, roundId));
    await audit({ ctx: tx, entry: { projectId, entity: 'round', entityId: roundId, action: 'sample', after: { name: round.name, ...record, assignments: plan.length } } });
    return { ...result, applied: true };
  });
}

/** A condition over `assignments` joined with `items`: the rounds' items still open for blind double coding. */
function openForDoubleCoding(ctx: ServiceContext, roundIds: string[]) {
  return and(inArray(assignments.roundId, roundIds), isNull(assignments.submittedAt), eq(items.phase, 'independent'), isNull(items.archivedAt), onlyCoder({ ctx }));
}

interface SampleRecord {
  seed: number;
  share?: number | null;
  count?: number | null;
  itemIds: string[];
  at: string;
}

/** The project's review rounds, each with how many items are still open for double coding and the samples drawn so far. */
export async function listReviewRounds({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<ReviewRounds> {
  await authorize({ ctx, projectId, action: 'assignments.manage' });
  const list = await ctx.db
    .select()
    .from(rounds)
    .where(and(eq(rounds.projectId, projectId), eq(rounds.type, 'review')))
    .orderBy(asc(rounds.createdAt), asc(rounds.id));
  const open = list.length
    ? await ctx.db
        .select({ roundId: assignments.roundId, n: count() })
        .from(assignments)
        .innerJoin(items, eq(items.id, assignments.itemId))
        .where(openForDoubleCoding(ctx, list.map((r) => r.id)))
        .groupBy(assignments.roundId)
    : [];
  const openBy = new Map(open.map((o) => [o.roundId, Number(o.n)]));
  const out = list.map((round) => {
    const samples = (Array.isArray(round.params.samples) ? round.params.samples : []) as SampleRecord[];
    return {
      id: round.id,
      name: round.name,
      createdAt: round.createdAt.toISOString(),
      open: openBy.get(round.id) ?? 0,
      samples: samples.map((s) => ({ seed: s.seed, share: s.share ?? null, count: s.count ?? null, items: s.itemIds.length, at: s.at })),
    };
  });
  return { rounds: out };
}
