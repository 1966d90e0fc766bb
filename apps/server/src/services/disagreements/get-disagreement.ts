import { and, asc, eq, inArray } from 'drizzle-orm';
import { assignments, auditLog, codings, users } from '@concord/db';
import type { AdjudicationStep, CodingValue, DisagreementDetail } from '@concord/shared';
import { forbidden, notFound } from '../../errors.ts';
import { authorize, can, mayReadCodingsOf, mayReadDisagreement } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { iso, type ServiceContext } from '../context.ts';
import { loadItem, toItem } from '../items/items.ts';
import { adjudicationOf, toAdjudication, versionNumber } from '../adjudications/adjudication-row.ts';
import { rankDisagreements } from './list-disagreements.ts';

interface AuditedDecision {
  value?: CodingValue | null;
  rationale?: string;
  status?: 'decided' | 'reopened';
}

/**
 * One disagreement side by side: the item, each assigned coder's value of the field and
 * their notes (the text fields they filled in on the item), the decision and every step
 * of it from the audit log. Blind rule: refused while the item is independent, and to
 * anyone who is neither a manager nor one of the item's coders (mayReadDisagreement).
 */
export async function getDisagreement({ ctx, projectId, itemId, fieldKey }: { ctx: ServiceContext; projectId: string; itemId: string; fieldKey: string }): Promise<DisagreementDetail> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'disagreements.read' });
  const itemRow = await loadItem({ ctx, projectId, itemId });
  const codebook = await loadCodebook({ ctx, projectId });
  const field = codebook.fields.find((f) => f.key === fieldKey);
  if (!field) throw notFound(`field "${fieldKey}"`);

  const coders = await ctx.db
    .select({ coderId: assignments.coderId, email: users.email, name: users.name, submittedAt: assignments.submittedAt })
    .from(assignments)
    .innerJoin(users, eq(users.id, assignments.coderId))
    .where(eq(assignments.itemId, itemId))
    .orderBy(asc(users.email));
  const viewerIsItemCoder = coders.some((c) => c.coderId === actor.userId);
  if (!mayReadDisagreement({ viewerRole: role, viewerIsItemCoder, phase: itemRow.phase })) {
    throw forbidden(itemRow.phase === 'independent' ? 'the codings of this item stay blind until it is revealed' : 'only the item\'s coders and the project\'s managers see its disagreements');
  }
  const visible = coders.filter((c) =>
    mayReadCodingsOf({ viewerId: actor.userId, viewerRole: role, viewerIsItemCoder, coderId: c.coderId, phase: itemRow.phase }),
  );

  const textFields = codebook.fields.filter((f) => f.type === 'text');
  const rows = visible.length
    ? await ctx.db
        .select({ coderId: codings.coderId, fieldKey: codings.fieldKey, value: codings.value, status: codings.status, itemVersion: codings.itemVersion })
        .from(codings)
        .where(and(eq(codings.itemId, itemId), inArray(codings.coderId, visible.map((c) => c.coderId))))
    : [];
  const valueOf = (coderId: string, key: string) => rows.find((r) => r.coderId === coderId && r.fieldKey === key);

  const [ranked, decision, steps] = await Promise.all([
    itemRow.phase === 'revealed' ? rankDisagreements({ ctx, projectId, codebook, filters: { field: fieldKey } }) : Promise.resolve([]),
    adjudicationOf({ ctx, itemId, fieldKey }),
    ctx.db
      .select({ action: auditLog.action, at: auditLog.at, actorId: auditLog.actorId, actorName: users.name, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(eq(auditLog.projectId, projectId), eq(auditLog.entity, 'adjudication'), eq(auditLog.entityId, `${itemId}:${fieldKey}`)))
      .orderBy(asc(auditLog.id)),
  ]);
  const ranking = ranked.find((d) => d.itemId === itemId);

  const history: AdjudicationStep[] = steps.map((s) => {
    const after = (s.after ?? {}) as AuditedDecision;
    const before = s.before as AuditedDecision | null;
    return {
      action: s.action,
      at: iso(s.at)!,
      actorId: s.actorId,
      actorName: s.actorName ?? null,
      value: after.value ?? null,
      rationale: after.rationale ?? '',
      status: after.status ?? 'decided',
      previousValue: before?.value ?? null,
    };
  });

  return {
    item: toItem(itemRow),
    field,
    codebookVersion: codebook.version,
    severity: ranking?.severity ?? null,
    meanDistance: ranking?.meanDistance ?? null,
    coders: visible.map((c) => {
      const own = valueOf(c.coderId, fieldKey);
      return {
        coderId: c.coderId,
        email: c.email,
        name: c.name,
        value: own?.value ?? null,
        status: own?.status ?? null,
        submittedAt: iso(c.submittedAt),
        // Set on all of a coder's codings at once (her submit), so any of them tells.
        itemVersion: rows.find((r) => r.coderId === c.coderId && r.itemVersion !== null)?.itemVersion ?? null,
        notes: textFields.flatMap((f) => {
          const note = valueOf(c.coderId, f.key)?.value;
          return typeof note === 'string' && note.trim() ? [{ fieldKey: f.key, label: f.label, text: note }] : [];
        }),
      };
    }),
    adjudication: decision ? toAdjudication(decision, await versionNumber({ ctx, versionId: decision.codebookVersionId })) : null,
    history,
    canAdjudicate: can(role, 'adjudications.write'),
  };
}
