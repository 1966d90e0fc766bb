import { and, asc, eq } from 'drizzle-orm';
import { adjudications, assignments, codebookVersions } from '@concord/db';
import type { Adjudication } from '@concord/shared';
import { forbidden } from '../../errors.ts';
import { authorize, mayReadDisagreement } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { toAdjudication } from './adjudication-row.ts';

/**
 * The decisions on one item, for everyone in its joint session (issue 13, item 4): managers
 * and the item's coders, once it left the independent phase (as its disagreements, whose
 * detail carries the same decisions). Refused while it is coded blind, whoever asks.
 */
export async function listItemDecisions({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<Adjudication[]> {
  await authorizeSessionRead({ ctx, projectId, itemId, what: 'decisions' });
  const rows = await ctx.db
    .select({ row: adjudications, version: codebookVersions.version })
    .from(adjudications)
    .innerJoin(codebookVersions, eq(codebookVersions.id, adjudications.codebookVersionId))
    .where(eq(adjudications.itemId, itemId))
    .orderBy(asc(adjudications.fieldKey));
  return rows.map((r) => toAdjudication(r.row, r.version));
}

/**
 * Who reads what a joint session ended with (its decisions, its revised codings): managers and
 * the item's coders, once the item left the independent phase; 403 otherwise, saying why.
 */
export async function authorizeSessionRead({ ctx, projectId, itemId, what }: { ctx: ServiceContext; projectId: string; itemId: string; what: string }): Promise<void> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'items.read' });
  const item = await loadItem({ ctx, projectId, itemId });
  const [mine] = await ctx.db
    .select({ id: assignments.id })
    .from(assignments)
    .where(and(eq(assignments.itemId, itemId), eq(assignments.coderId, actor.userId)));
  if (!mayReadDisagreement({ viewerRole: role, viewerIsItemCoder: mine !== undefined, phase: item.phase })) {
    throw forbidden(item.phase === 'independent' ? `the item is coded blind; its ${what} come after` : `a ${role} who does not code this item may not read its ${what}`);
  }
}
