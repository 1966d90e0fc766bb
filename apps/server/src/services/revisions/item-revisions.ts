/**
 * Reading revised codings (revise-from-joint.ts): on the item (its joint session's readers) and
 * for the final dataset. Blind rules (SECURITY.md, rules 1 and 4): like the item's decisions,
 * never while the item is independent, and then only for managers and the item's coders.
 */
import { and, asc, eq } from 'drizzle-orm';
import { codebookVersions, items, revisedCodings } from '@concord/db';
import type { CodingValue, RevisedCoding } from '@concord/shared';
import { authorizeSessionRead } from '../adjudications/item-decisions.ts';
import { iso, type ServiceContext } from '../context.ts';

export async function listItemRevisions({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<RevisedCoding[]> {
  await authorizeSessionRead({ ctx, projectId, itemId, what: 'revised codings' });
  const rows = await ctx.db
    .select({ row: revisedCodings, version: codebookVersions.version })
    .from(revisedCodings)
    .innerJoin(codebookVersions, eq(codebookVersions.id, revisedCodings.codebookVersionId))
    .where(eq(revisedCodings.itemId, itemId))
    .orderBy(asc(revisedCodings.fieldKey));
  return rows.map(({ row, version }) => ({
    itemId: row.itemId,
    fieldKey: row.fieldKey,
    value: row.value,
    codebookVersion: version,
    jointVersion: row.jointVersion,
    revisedBy: row.revisedBy,
    revisedAt: iso(row.revisedAt)!,
  }));
}

/**
 * The revised values of the project's revealed items, keyed `item \0 field`, for the final
 * dataset (which authorizes, and shows values of revealed items only). No authorization here.
 */
export async function loadRevisedValues({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<Map<string, CodingValue>> {
  const rows = await ctx.db
    .select({ itemId: revisedCodings.itemId, fieldKey: revisedCodings.fieldKey, value: revisedCodings.value })
    .from(revisedCodings)
    .innerJoin(items, eq(items.id, revisedCodings.itemId))
    .where(and(eq(revisedCodings.projectId, projectId), eq(items.phase, 'revealed')));
  return new Map(rows.map((r) => [`${r.itemId}\u0000${r.fieldKey}`, r.value]));
}
