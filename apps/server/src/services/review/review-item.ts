/**
 * Reviewing a single-coded item field by field (issue 13, item 2): the editor accepts the
 * coder's value or revises it, with a rationale. Recorded like an adjudication (same table,
 * same audit trail, `review` noted in the entry), so the final dataset gives the field the
 * provenance `reviewed` (export/final-values.ts). The coder's coding is never touched.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { adjudications, assignments, codings, users } from '@concord/db';
import { checkValue, reviewInput, type Adjudication, type CodingValue, type ReviewDetail, type ReviewInput } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { authorize, can } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { loadItem, toItem } from '../items/items.ts';
import { writeDecision } from '../adjudications/adjudicate.ts';
import { toAdjudication } from '../adjudications/adjudication-row.ts';

/** The item, its one coder's submission and her submitted values; 409 unless it is a revealed, single-coded, submitted item. */
async function singleCoded(ctx: ServiceContext, projectId: string, itemId: string) {
  const item = await loadItem({ ctx, projectId, itemId });
  const assigned = await ctx.db
    .select({ coderId: assignments.coderId, submittedAt: assignments.submittedAt, name: users.name })
    .from(assignments)
    .innerJoin(users, eq(users.id, assignments.coderId))
    .where(eq(assignments.itemId, itemId));
  const [only] = assigned;
  if (assigned.length !== 1 || !only) {
    throw new AppError('CONFLICT', `this item has ${assigned.length} coders; a review is of an item one coder coded (double-coded items are decided in the disagreement inbox)`);
  }
  if (!only.submittedAt || item.phase !== 'revealed') throw new AppError('CONFLICT', 'the coder has not submitted this item yet; review it once it is submitted');
  const rows = await ctx.db
    .select({ fieldKey: codings.fieldKey, value: codings.value })
    .from(codings)
    .where(and(eq(codings.itemId, itemId), eq(codings.coderId, only.coderId), eq(codings.status, 'submitted')));
  const values = new Map<string, CodingValue>(rows.map((r) => [r.fieldKey, r.value]));
  return { item, coder: { coderId: only.coderId, name: only.name, submittedAt: iso(only.submittedAt)! }, values };
}

export async function getReviewDetail({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<ReviewDetail> {
  const { role } = await authorize({ ctx, projectId, action: 'adjudications.read' });
  const { item, coder, values } = await singleCoded(ctx, projectId, itemId);
  const codebook = await loadCodebook({ ctx, projectId });
  const decisions = await ctx.db
    .select()
    .from(adjudications)
    .where(and(eq(adjudications.itemId, itemId), inArray(adjudications.fieldKey, codebook.fields.map((f) => f.key).concat(''))));
  const byField = new Map(decisions.map((d) => [d.fieldKey, d]));
  return {
    item: toItem(item),
    codebookVersion: codebook.version,
    coder,
    fields: codebook.fields.map((field) => {
      const decision = byField.get(field.key);
      return { field, value: values.get(field.key) ?? null, decision: decision ? toAdjudication(decision, codebook.version) : null };
    }),
    canReview: can(role, 'adjudications.write'),
  };
}

const ACCEPTED = 'accepted as coded';

/** Accepts (the coder's value) or revises one field of a single-coded item. */
export async function reviewField({ ctx, projectId, itemId, fieldKey, input: raw }: { ctx: ServiceContext; projectId: string; itemId: string; fieldKey: string; input: ReviewInput }): Promise<Adjudication> {
  const { actor } = await authorize({ ctx, projectId, action: 'adjudications.write' });
  const input = reviewInput.parse(raw);
  const { values } = await singleCoded(ctx, projectId, itemId);
  const codebook = await loadCodebook({ ctx, projectId });
  const field = codebook.fields.find((f) => f.key === fieldKey);
  if (!field) throw notFound(`field "${fieldKey}"`);
  const value = input.action === 'accept' ? (values.get(fieldKey) ?? null) : input.value;
  const problem = value === null ? null : checkValue(field, value);
  if (problem) {
    // Accepting a value coded under an older codebook that no longer fits: the editor must revise it.
    const message = input.action === 'accept' ? `the coded value no longer fits the codebook (${problem}); revise it` : problem;
    throw new AppError('VALIDATION_FAILED', message, [{ path: ['value'], message }]);
  }
  const rationale = input.rationale || ACCEPTED;
  return inTransaction(ctx, (tx) =>
    writeDecision({ ctx: tx, input: { projectId, itemId, fieldKey, value, rationale, codebook, deciderId: actor.userId, review: input.action } }),
  );
}
