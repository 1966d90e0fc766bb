/**
 * A coder's calibration feedback on one item: per field her submitted value, gold, its
 * rationale and whether they match. Blind coding: only her own values, and only after her
 * own submission (SECURITY.md, rule 1: gold is no coder's value, but it must not steer a
 * coding in progress); nobody else's codings are read here.
 */
import { and, eq } from 'drizzle-orm';
import { assignments, codings } from '@concord/db';
import { sameValue, type CalibrationFeedback, type CalibrationField } from '@concord/shared';
import { AppError, forbidden } from '../../errors.ts';
import { authorize, mayReadGold } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { iso, type ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { loadGold, type GoldValue } from './gold.ts';

export async function getCalibrationFeedback({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<CalibrationFeedback> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'codings.writeOwn' });
  const item = await loadItem({ ctx, projectId, itemId });
  const [assignment] = await ctx.db
    .select({ submittedAt: assignments.submittedAt })
    .from(assignments)
    .where(and(eq(assignments.itemId, itemId), eq(assignments.coderId, actor.userId)));
  if (!assignment) throw forbidden('calibration feedback is for the coders of the item, after their own submission');
  if (!assignment.submittedAt) throw new AppError('CONFLICT', 'submit your coding of this item first: feedback against gold comes after your own submission');

  const [codebook, own, gold] = await Promise.all([
    loadCodebook({ ctx, projectId }),
    ctx.db
      .select({ fieldKey: codings.fieldKey, value: codings.value })
      .from(codings)
      .where(and(eq(codings.itemId, itemId), eq(codings.coderId, actor.userId), eq(codings.status, 'submitted'))),
    loadGold({ ctx, projectId, itemIds: [itemId] }),
  ]);
  const mine = new Map(own.map((c) => [c.fieldKey, c.value]));
  const key = gold.get(itemId) ?? new Map<string, GoldValue>();
  const fields: CalibrationField[] = codebook.fields.map((f) => {
    const stored = key.get(f.key);
    const g = stored && mayReadGold({ source: stored.source, viewerRole: role, viewerIsItemCoder: true, phase: item.phase }) ? stored : undefined;
    const value = mine.get(f.key) ?? null;
    return {
      fieldKey: f.key,
      label: f.label,
      type: f.type,
      value,
      gold: g?.value ?? null,
      hasGold: Boolean(g),
      source: g?.source ?? null,
      rationale: g?.rationale ?? '',
      match: g ? sameValue(value, g.value) : null,
    };
  });
  const compared = fields.filter((f) => f.hasGold);
  return { itemId, submittedAt: iso(assignment.submittedAt)!, fields, compared: compared.length, matched: compared.filter((f) => f.match).length };
}
