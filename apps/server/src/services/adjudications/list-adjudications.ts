import { and, asc, eq, type SQL } from 'drizzle-orm';
import { adjudications, codebookVersions, items, users } from '@concord/db';
import type { Adjudication, AdjudicationStatus } from '@concord/shared';
import { authorize, mayReadDisagreement } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { toAdjudication } from './adjudication-row.ts';

/** Decisions in item order, then field key. Internal: callers authorize. */
export async function loadAdjudications({ ctx, projectId, filter }: {
  ctx: ServiceContext;
  projectId: string;
  filter: { status: AdjudicationStatus | 'all'; field?: string | undefined; revealedOnly?: boolean };
}) {
  const where: SQL[] = [eq(adjudications.projectId, projectId)];
  if (filter.status !== 'all') where.push(eq(adjudications.status, filter.status));
  if (filter.field) where.push(eq(adjudications.fieldKey, filter.field));
  if (filter.revealedOnly) where.push(eq(items.phase, 'revealed'));
  return ctx.db
    .select({ row: adjudications, version: codebookVersions.version, externalId: items.externalId, decidedByEmail: users.email, phase: items.phase })
    .from(adjudications)
    .innerJoin(items, eq(items.id, adjudications.itemId))
    .innerJoin(codebookVersions, eq(codebookVersions.id, adjudications.codebookVersionId))
    .leftJoin(users, eq(users.id, adjudications.decidedBy))
    .where(and(...where))
    .orderBy(asc(items.seq), asc(adjudications.fieldKey));
}

/**
 * The gold dataset (status decided, by default) beside the untouched codings. Decisions of an
 * item sent back to independent coding are left out, as its own decisions answer 403 then
 * (mayReadDisagreement): they were made from the coders' values, hidden until the reveal.
 */
export async function listAdjudications({ ctx, projectId, query }: {
  ctx: ServiceContext;
  projectId: string;
  query: { status: AdjudicationStatus | 'all'; field?: string | undefined };
}): Promise<Adjudication[]> {
  const { role } = await authorize({ ctx, projectId, action: 'adjudications.read' });
  return (await loadAdjudications({ ctx, projectId, filter: query }))
    .filter((r) => mayReadDisagreement({ viewerRole: role, viewerIsItemCoder: false, phase: r.phase }))
    .map((r) => toAdjudication(r.row, r.version));
}
