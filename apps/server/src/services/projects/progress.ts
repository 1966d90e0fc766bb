/**
 * How far a project's coding is, as its member may know it. Counts of other coders' work move
 * while items are coded blind (a draft saved or cleared, an item submitted), so a coder who
 * watched them could learn what another coder does on a blind item. Members who may read
 * revealed codings (managers) see the project's totals; everyone else sees their own work
 * only: their assigned items, those they coded, submitted, and those of them revealed.
 */
import { and, count, countDistinct, eq, inArray, isNotNull, type SQL } from 'drizzle-orm';
import { assignments, codings, items } from '@concord/db';
import type { ProjectProgress, Role } from '@concord/shared';
import { can } from '../authz.ts';
import type { ServiceContext } from '../context.ts';

type Counts = Omit<ProjectProgress, 'scope'>;
type CountRows = { projectId: string; n: number }[];

/** Project totals: items, items with any coding, items with a submitted assignment, revealed items. */
async function projectTotals(ctx: ServiceContext, projectIds: string[]): Promise<Record<keyof Counts, CountRows>> {
  const [itemRows, revealedRows, codedRows, submittedRows] = await Promise.all([
    ctx.db.select({ projectId: items.projectId, n: count() }).from(items).where(inArray(items.projectId, projectIds)).groupBy(items.projectId),
    ctx.db.select({ projectId: items.projectId, n: count() }).from(items).where(and(inArray(items.projectId, projectIds), eq(items.phase, 'revealed'))).groupBy(items.projectId),
    ctx.db.select({ projectId: codings.projectId, n: countDistinct(codings.itemId) }).from(codings).where(inArray(codings.projectId, projectIds)).groupBy(codings.projectId),
    ctx.db
      .select({ projectId: assignments.projectId, n: countDistinct(assignments.itemId) })
      .from(assignments)
      .where(and(inArray(assignments.projectId, projectIds), isNotNull(assignments.submittedAt)))
      .groupBy(assignments.projectId),
  ]);
  return { items: itemRows, coded: codedRows, submitted: submittedRows, revealed: revealedRows };
}

/** One member's own work: their assigned items, and of those, coded by them, submitted by them, revealed. */
async function ownWork(ctx: ServiceContext, projectIds: string[], userId: string): Promise<Record<keyof Counts, CountRows>> {
  const mine = (extra?: SQL) => and(inArray(assignments.projectId, projectIds), eq(assignments.coderId, userId), extra);
  const perProject = (where: SQL | undefined) =>
    ctx.db.select({ projectId: assignments.projectId, n: countDistinct(assignments.itemId) }).from(assignments).where(where).groupBy(assignments.projectId);
  const [itemRows, codedRows, submittedRows, revealedRows] = await Promise.all([
    perProject(mine()),
    ctx.db
      .select({ projectId: assignments.projectId, n: countDistinct(assignments.itemId) })
      .from(assignments)
      .innerJoin(codings, and(eq(codings.itemId, assignments.itemId), eq(codings.coderId, assignments.coderId)))
      .where(mine())
      .groupBy(assignments.projectId),
    perProject(mine(isNotNull(assignments.submittedAt))),
    ctx.db
      .select({ projectId: assignments.projectId, n: countDistinct(assignments.itemId) })
      .from(assignments)
      .innerJoin(items, eq(items.id, assignments.itemId))
      .where(mine(eq(items.phase, 'revealed')))
      .groupBy(assignments.projectId),
  ]);
  return { items: itemRows, coded: codedRows, submitted: submittedRows, revealed: revealedRows };
}

/** Progress per project, for `userId` holding `role` in each. */
export async function progressOf({ ctx, memberships, userId }: { ctx: ServiceContext; memberships: { projectId: string; role: Role }[]; userId: string }): Promise<Map<string, ProjectProgress>> {
  const out = new Map<string, ProjectProgress>();
  const totals = memberships.filter((m) => can(m.role, 'codings.readRevealed')).map((m) => m.projectId);
  const own = memberships.filter((m) => !can(m.role, 'codings.readRevealed')).map((m) => m.projectId);
  for (const id of totals) out.set(id, { scope: 'project', items: 0, coded: 0, submitted: 0, revealed: 0 });
  for (const id of own) out.set(id, { scope: 'mine', items: 0, coded: 0, submitted: 0, revealed: 0 });
  const counted = await Promise.all([totals.length ? projectTotals(ctx, totals) : null, own.length ? ownWork(ctx, own, userId) : null]);
  for (const rows of counted) {
    if (!rows) continue;
    for (const key of ['items', 'coded', 'submitted', 'revealed'] as const) for (const r of rows[key]) out.get(r.projectId)![key] = Number(r.n);
  }
  return out;
}

/** Items in each project (every member reads the items list; not a count of anyone's work). */
export async function itemCounts({ ctx, projectIds }: { ctx: ServiceContext; projectIds: string[] }): Promise<Map<string, number>> {
  const out = new Map(projectIds.map((id) => [id, 0]));
  if (!projectIds.length) return out;
  const rows = await ctx.db.select({ projectId: items.projectId, n: count() }).from(items).where(inArray(items.projectId, projectIds)).groupBy(items.projectId);
  for (const r of rows) out.set(r.projectId, Number(r.n));
  return out;
}
