import { adjudications } from '@concord/db';
import { checkValue, newId, type Adjudication, type AdjudicationInput } from '@concord/shared';
import { eq } from 'drizzle-orm';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { loadItem } from '../items/items.ts';
import { resolveLinkValues } from '../actors/link-values.ts';
import { adjudicationOf, auditState, toAdjudication } from './adjudication-row.ts';

/**
 * Records the consensus (gold) value of an item's field, with its rationale, or revises
 * it. Only on revealed items and in joint sessions, so a decision never precedes independent coding; checked
 * against the current codebook. Codings are never touched: the reliability data stay
 * as the coders left them.
 */
export async function adjudicate({ ctx, projectId, itemId, fieldKey, input }: { ctx: ServiceContext; projectId: string; itemId: string; fieldKey: string; input: AdjudicationInput }): Promise<Adjudication> {
  const { actor } = await authorize({ ctx, projectId, action: 'adjudications.write' });
  const item = await loadItem({ ctx, projectId, itemId });
  const codebook = await loadCodebook({ ctx, projectId });
  const field = codebook.fields.find((f) => f.key === fieldKey);
  if (!field) throw notFound(`field "${fieldKey}"`);
  // In a joint session too (issue 13, item 4): the session's decisions are recorded while it is open.
  if (item.phase === 'independent') {
    throw new AppError('CONFLICT', 'the item is in the independent phase; adjudicate in a joint session or once it is revealed');
  }
  const problem = input.value === null ? null : checkValue(field, input.value);
  if (problem) throw new AppError('VALIDATION_FAILED', problem, [{ path: ['value'], message: problem }]);
  let value = input.value;
  if (value !== null && field.type === 'link') {
    // A decision names actors like a coding does: known ones, merged ids meaning the actor kept.
    const links = await resolveLinkValues({ ctx, projectId, coderId: actor.userId, fields: [field], values: new Map([[fieldKey, value]]) });
    const failed = links.problems[0];
    if (failed) throw new AppError('VALIDATION_FAILED', failed.message, [{ path: ['value'], message: failed.message }]);
    value = links.values.get(fieldKey)!;
  }

  return inTransaction(ctx, (tx) => writeDecision({ ctx: tx, input: { projectId, itemId, fieldKey, value, rationale: input.rationale, codebook, deciderId: actor.userId } }));
}

/**
 * Writes (or revises) the decision on an item's field with its audit entry and event, in the
 * caller's transaction: the one write path of adjudications and of reviews (services/review/),
 * which mark theirs with `review` in the audit entry.
 */
export async function writeDecision({ ctx: tx, input }: {
  ctx: ServiceContext;
  input: {
    projectId: string;
    itemId: string;
    fieldKey: string;
    value: AdjudicationInput['value'];
    rationale: string;
    codebook: { versionId: string; version: number };
    deciderId: string;
    review?: 'accept' | 'revise';
  };
}): Promise<Adjudication> {
  const { projectId, itemId, fieldKey, codebook } = input;
  const before = await adjudicationOf({ ctx: tx, itemId, fieldKey, lock: true });
  const decision = {
    value: input.value,
    rationale: input.rationale,
    status: 'decided' as const,
    codebookVersionId: codebook.versionId,
    decidedBy: input.deciderId,
    decidedAt: new Date(),
  };
  const [after] = before
    ? await tx.db.update(adjudications).set(decision).where(eq(adjudications.id, before.id)).returning()
    : await tx.db.insert(adjudications).values({ id: newId('adjudication'), projectId, itemId, fieldKey, ...decision }).returning();
  await audit({ ctx: tx, entry: {
    projectId,
    entity: 'adjudication',
    entityId: `${itemId}:${fieldKey}`,
    action: before ? 'revise' : 'decide',
    before: auditState(before),
    after: { ...auditState(after!), ...(input.review ? { review: input.review } : {}) },
  } });
  tx.events?.publish({ type: 'adjudication.changed', projectId, itemId, fieldKey, status: 'decided' });
  return toAdjudication(after!, codebook.version);
}
