/**
 * The review queue (issue 13, item 2): items of `review` rounds that their one coder
 * submitted (which revealed them), awaiting the editor's field-by-field review. An item a
 * methodologist sampled for double coding has two coders: it goes to the disagreement inbox
 * instead, like any other double-coded item.
 */
import { and, asc, eq, inArray, isNotNull, isNull, ne, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { adjudications, assignments, items, rounds, users } from '@concord/db';
import type { ReviewQueue, ReviewQueueQuery } from '@concord/shared';
import { authorize } from '../authz.ts';
import { iso, type ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { inIncident, incidentIdsColumn } from '../items/item-incidents.ts';

const other = alias(assignments, 'other_assignment');

/** A condition over `assignments`: no other coder is assigned to the item. */
export const onlyCoder = ({ ctx }: { ctx: ServiceContext }) =>
  notExists(
    ctx.db
      .select({ one: sql`1` })
      .from(other)
      .where(and(eq(other.itemId, assignments.itemId), ne(other.id, assignments.id))),
  );

export async function listReviewQueue({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: ReviewQueueQuery }): Promise<ReviewQueue> {
  await authorize({ ctx, projectId, action: 'adjudications.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  const where = [
    eq(assignments.projectId, projectId),
    eq(rounds.type, 'review'),
    isNotNull(assignments.submittedAt),
    eq(items.phase, 'revealed'),
    isNull(items.archivedAt),
    onlyCoder({ ctx }),
  ];
  if (query.coder) where.push(eq(assignments.coderId, query.coder));
  if (query.incident) where.push(inIncident({ ctx, incidentId: query.incident }));
  const rows = await ctx.db
    .select({
      itemId: items.id,
      externalId: items.externalId,
      title: items.title,
      incidentIds: incidentIdsColumn,
      coderId: assignments.coderId,
      coderName: users.name,
      roundId: rounds.id,
      roundName: rounds.name,
      submittedAt: assignments.submittedAt,
    })
    .from(assignments)
    .innerJoin(rounds, eq(rounds.id, assignments.roundId))
    .innerJoin(items, eq(items.id, assignments.itemId))
    .innerJoin(users, eq(users.id, assignments.coderId))
    .where(and(...where))
    .orderBy(asc(items.seq));

  const keys = new Set(codebook.fields.map((f) => f.key));
  const decided = new Map<string, number>();
  const ids = rows.map((r) => r.itemId);
  for (let i = 0; i < ids.length; i += 5000) {
    const found = await ctx.db
      .select({ itemId: adjudications.itemId, fieldKey: adjudications.fieldKey })
      .from(adjudications)
      .where(and(inArray(adjudications.itemId, ids.slice(i, i + 5000)), eq(adjudications.status, 'decided')));
    for (const a of found) if (keys.has(a.fieldKey)) decided.set(a.itemId, (decided.get(a.itemId) ?? 0) + 1);
  }
  const fields = codebook.fields.length;
  const entries = rows
    .map((r) => ({ ...r, submittedAt: iso(r.submittedAt)!, fields, reviewed: decided.get(r.itemId) ?? 0 }))
    .filter((e) => query.status === 'all' || (query.status === 'reviewed') === (e.reviewed >= fields));
  return { entries, total: entries.length };
}
