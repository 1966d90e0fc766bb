import { and, eq } from 'drizzle-orm';
import { adjudications, codebookVersions } from '@concord/db';
import type { Adjudication } from '@concord/shared';
import { iso, type ServiceContext } from '../context.ts';

export type AdjudicationRow = typeof adjudications.$inferSelect;

export function toAdjudication(r: AdjudicationRow, codebookVersion: number): Adjudication {
  return {
    id: r.id,
    itemId: r.itemId,
    fieldKey: r.fieldKey,
    value: r.value ?? null,
    rationale: r.rationale,
    status: r.status,
    codebookVersion,
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt)!,
  };
}

/** The decision on an item's field, locked for update when `lock` (inside a transaction). */
export async function adjudicationOf({ ctx, itemId, fieldKey, lock = false }: { ctx: ServiceContext; itemId: string; fieldKey: string; lock?: boolean }): Promise<AdjudicationRow | null> {
  const query = ctx.db.select().from(adjudications).where(and(eq(adjudications.itemId, itemId), eq(adjudications.fieldKey, fieldKey)));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function versionNumber({ ctx, versionId }: { ctx: ServiceContext; versionId: string }): Promise<number> {
  const [row] = await ctx.db.select({ version: codebookVersions.version }).from(codebookVersions).where(eq(codebookVersions.id, versionId));
  return row!.version;
}

/** What the audit log keeps of a decision, before and after each step. */
export const auditState = (r: AdjudicationRow | null) =>
  r ? { value: r.value ?? null, rationale: r.rationale, status: r.status, version: r.codebookVersionId, decidedBy: r.decidedBy } : null;
