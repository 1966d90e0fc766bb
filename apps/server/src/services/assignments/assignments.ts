import { and, asc, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import { assignments, items, projectMembers, rounds } from '@concord/db';
import { newId, type Assignment, type AssignmentInput, type AssignmentPreview, type WorkloadRow } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize, can } from '../authz.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { inIncident } from '../items/item-incidents.ts';
import { planAssignments } from './sampling.ts';

/** The plan of a round (who codes which item), checked against the project; no writes. */
async function planRound(ctx: ServiceContext, projectId: string, input: AssignmentInput) {
  const members = await ctx.db
    .select({ userId: projectMembers.userId })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), inArray(projectMembers.userId, input.coderIds)));
  const memberIds = new Set(members.map((m) => m.userId));
  const strangers = input.coderIds.filter((id) => !memberIds.has(id));
  if (strangers.length) throw new AppError('VALIDATION_FAILED', `not members of this project: ${strangers.join(', ')}`);
  if (input.mode.type === 'k' && input.mode.k > memberIds.size) {
    throw new AppError('VALIDATION_FAILED', `k = ${input.mode.k} but only ${memberIds.size} coders were given`);
  }

  // Archived items are out of rounds.
  const where = [eq(items.projectId, projectId), isNull(items.archivedAt)];
  if (input.incidentId) where.push(inIncident({ ctx, incidentId: input.incidentId }));
  if (input.itemIds) where.push(inArray(items.id, input.itemIds.length ? input.itemIds : ['']));
  const itemRows = await ctx.db.select({ id: items.id }).from(items).where(and(...where));
  if (input.itemIds && itemRows.length !== new Set(input.itemIds).size) {
    throw new AppError('VALIDATION_FAILED', 'some item ids are not items of this project');
  }
  if (!itemRows.length) throw new AppError('VALIDATION_FAILED', 'no items to assign');

  const plan = planAssignments(
    itemRows.map((r) => r.id),
    input.coderIds,
    input.mode,
    input.seed,
  );
  return { itemRows, plan };
}

/**
 * Dry run of `createRound`: the same plan (same seed, same result), counted per coder,
 * without the pairs that already exist (apply skips those too).
 */
export async function previewRound({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: AssignmentInput }): Promise<AssignmentPreview> {
  await authorize({ ctx, projectId, action: 'assignments.manage' });
  const { itemRows, plan } = await planRound(ctx, projectId, input);
  const existing = await ctx.db
    .select({ itemId: assignments.itemId, coderId: assignments.coderId })
    .from(assignments)
    .where(and(eq(assignments.projectId, projectId), inArray(assignments.coderId, input.coderIds)));
  const taken = new Set(existing.map((a) => `${a.itemId} ${a.coderId}`));
  const perCoder: Record<string, number> = Object.fromEntries(input.coderIds.map((id) => [id, 0]));
  let fresh = 0;
  for (const p of plan) {
    if (taken.has(`${p.itemId} ${p.coderId}`)) continue;
    fresh++;
    perCoder[p.coderId] = (perCoder[p.coderId] ?? 0) + 1;
  }
  return { items: itemRows.length, assignments: fresh, alreadyAssigned: plan.length - fresh, perCoder };
}

/** Each member's assignments over all rounds, and how many they submitted (managers only). */
export async function workload({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<WorkloadRow[]> {
  await authorize({ ctx, projectId, action: 'assignments.manage' });
  const rows = await ctx.db
    .select({ coderId: assignments.coderId, assigned: count(), submitted: count(assignments.submittedAt) })
    .from(assignments)
    .where(eq(assignments.projectId, projectId))
    .groupBy(assignments.coderId)
    .orderBy(asc(assignments.coderId));
  return rows.map((r) => ({ coderId: r.coderId, assigned: Number(r.assigned), submitted: Number(r.submitted) }));
}

export async function createRound({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: AssignmentInput }) {
  const { actor } = await authorize({ ctx, projectId, action: 'assignments.manage' });
  const { itemRows, plan } = await planRound(ctx, projectId, input);
  const codebook = await loadCodebook({ ctx, projectId });
  const made = await inTransaction(ctx, async (tx) => {
    const roundId = newId('round');
    await tx.db.insert(rounds).values({
      id: roundId,
      projectId,
      name: input.roundName,
      type: input.type ?? 'production',
      codebookVersionId: codebook.versionId,
      params: { mode: input.mode, seed: input.seed, coderIds: input.coderIds, incidentId: input.incidentId ?? null, itemCount: itemRows.length },
      createdBy: actor.userId,
    });
    const perCoder: Record<string, number> = Object.fromEntries(input.coderIds.map((id) => [id, 0]));
    let inserted = 0;
    for (let i = 0; i < plan.length; i += 2000) {
      const rows = await tx.db
        .insert(assignments)
        .values(plan.slice(i, i + 2000).map((p) => ({ id: newId('assignment'), projectId, roundId, ...p })))
        .onConflictDoNothing()
        .returning({ coderId: assignments.coderId });
      inserted += rows.length;
      for (const r of rows) perCoder[r.coderId] = (perCoder[r.coderId] ?? 0) + 1;
    }
    // An item already in a joint session or revealed is not independent for its new coders.
    const open = tx.db.select({ id: items.id }).from(items).where(and(eq(items.projectId, projectId), ne(items.phase, 'independent')));
    await tx.db.update(assignments).set({ blind: false }).where(and(eq(assignments.roundId, roundId), inArray(assignments.itemId, open)));
    await audit({ ctx: tx, entry: { projectId, entity: 'round', entityId: roundId, action: 'create', after: { name: input.roundName, type: input.type ?? 'production', codebookVersion: codebook.version, assignments: inserted } } });
    return { roundId, assignments: inserted, perCoder };
  });
  // A new coder of an item codes it blind: a shared item document she has open stops showing
  // her its content now (SECURITY.md rule 2), not at her next reconnect.
  for (const [coderId, n] of Object.entries(made.perCoder)) if (n > 0) await ctx.collab?.memberAccessChanged({ projectId, userId: coderId });
  return made;
}

/** Coders see their own assignments; managers see everyone's. */
export async function listAssignments({ ctx, projectId, filter }: { ctx: ServiceContext; projectId: string; filter: { coder?: string | undefined; item?: string | undefined } }): Promise<Assignment[]> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'assignments.read' });
  const where = [eq(assignments.projectId, projectId)];
  if (!can(role, 'assignments.manage')) where.push(eq(assignments.coderId, actor.userId));
  if (filter.coder) where.push(eq(assignments.coderId, filter.coder));
  if (filter.item) where.push(eq(assignments.itemId, filter.item));
  const rows = await ctx.db.select().from(assignments).where(and(...where)).orderBy(asc(assignments.createdAt), asc(assignments.id));
  return rows.map((r) => ({ id: r.id, itemId: r.itemId, coderId: r.coderId, roundId: r.roundId, submittedAt: iso(r.submittedAt), blind: r.blind, reopenedAt: iso(r.reopenedAt) }));
}
