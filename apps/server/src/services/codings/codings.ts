/**
 * A coder's own codings of an item, and who may read whose. Blind coding is enforced
 * here: other coders' values leave the server only when mayReadCodingsOf says so.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { assignments, codebookVersions, codings, items } from '@concord/db';
import { checkValue, type Coding, type CodingValue, type ErrorDetail, type Role } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize, mayReadCodingsOf } from '../authz.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadItem } from '../items/items.ts';
import { resolveLinkValues } from '../actors/link-values.ts';
import type { CollabDocs } from '../collab/docs.ts';
import { codingFrozenReason } from '../collab/access.ts';

type CodingRow = typeof codings.$inferSelect;

async function versionNumbers(ctx: ServiceContext, rows: CodingRow[]): Promise<Map<string, number>> {
  const ids = [...new Set(rows.map((r) => r.codebookVersionId))];
  if (!ids.length) return new Map();
  const versions = await ctx.db.select({ id: codebookVersions.id, version: codebookVersions.version }).from(codebookVersions).where(inArray(codebookVersions.id, ids));
  return new Map(versions.map((v) => [v.id, v.version]));
}

async function toCodings(ctx: ServiceContext, rows: CodingRow[]): Promise<Coding[]> {
  const versions = await versionNumbers(ctx, rows);
  return rows.map((r) => ({
    itemId: r.itemId,
    coderId: r.coderId,
    fieldKey: r.fieldKey,
    codebookVersion: versions.get(r.codebookVersionId)!,
    value: r.value,
    status: r.status,
    updatedAt: iso(r.updatedAt)!,
    submittedAt: iso(r.submittedAt),
    itemVersion: r.itemVersion,
  }));
}

async function assignmentOf(ctx: ServiceContext, itemId: string, coderId: string) {
  const [row] = await ctx.db.select().from(assignments).where(and(eq(assignments.itemId, itemId), eq(assignments.coderId, coderId)));
  return row ?? null;
}

async function ownRows(ctx: ServiceContext, itemId: string, coderId: string) {
  return ctx.db
    .select()
    .from(codings)
    .where(and(eq(codings.itemId, itemId), eq(codings.coderId, coderId)))
    .orderBy(asc(codings.fieldKey));
}

export async function getMyCodings({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<Coding[]> {
  const { actor } = await authorize({ ctx, projectId, action: 'codings.writeOwn' });
  await loadItem({ ctx, projectId, itemId });
  return toCodings(ctx, await ownRows(ctx, itemId, actor.userId));
}

function collabOf(ctx: ServiceContext): CollabDocs {
  if (!ctx.collab) throw new AppError('INTERNAL', 'codings are written through the live documents, which this context lacks');
  return ctx.collab;
}

/**
 * Saves draft values (null clears a field back to missing). Only assigned coders
 * code an item; submitted codings and revealed items are frozen.
 */
export async function saveMyCodings({ ctx, projectId, itemId, values }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  values: Record<string, CodingValue | null>;
}): Promise<Coding[]> {
  const { actor } = await authorize({ ctx, projectId, action: 'codings.writeOwn' });
  const item = await loadItem({ ctx, projectId, itemId });
  const assignment = await assignmentOf(ctx, itemId, actor.userId);
  if (!assignment) throw new AppError('FORBIDDEN', 'you are not assigned to this item');
  const frozen = codingFrozenReason(item.phase, assignment);
  if (frozen) throw new AppError('CONFLICT', assignment.submittedAt ? 'you already submitted this item; its codings are final' : frozen);

  const codebook = await loadCodebook({ ctx, projectId });
  const fields = new Map(codebook.fields.map((f) => [f.key, f]));
  const problems: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = fields.get(key);
    if (!field) problems.push({ path: ['values', key], message: `unknown field "${key}"` });
    else if (value !== null) {
      const message = checkValue(field, value);
      if (message) problems.push({ path: ['values', key], message: `${field.label}: ${message}` });
    }
  }
  const coded = new Map(Object.entries(values).flatMap(([k, v]) => (v === null || problems.some((p) => p.path?.[1] === k) ? [] : [[k, v] as const])));
  for (const p of (await resolveLinkValues({ ctx, projectId, coderId: actor.userId, fields: codebook.fields, values: coded })).problems) {
    problems.push({ path: ['values', p.fieldKey], message: `${fields.get(p.fieldKey)!.label}: ${p.message}` });
  }
  // People read the message (the web shows it as is), so it names fields by their labels.
  if (problems.length) throw new AppError('VALIDATION_FAILED', `some values do not fit the codebook: ${problems.map((p) => p.message).join('; ')}`, problems);

  // One write path: the change goes into the coder's live document, which persists it and
  // projects it onto the codings rows (with the audit entries) in one transaction.
  await collabOf(ctx).writeCodingValues({ itemId, coderId: actor.userId, values });
  return toCodings(ctx, await ownRows(ctx, itemId, actor.userId));
}

/**
 * Whether the coder's submit now is blind: the item is still independent and never left
 * that phase since she was assigned (assignments/independence.ts). Read in the submit's transaction.
 */
async function stillBlind(tx: ServiceContext, assignmentId: string, itemId: string): Promise<boolean> {
  const [row] = await tx.db
    .select({ blind: assignments.blind, phase: items.phase })
    .from(assignments)
    .innerJoin(items, eq(items.id, assignments.itemId))
    .where(and(eq(assignments.id, assignmentId), eq(items.id, itemId)));
  return row !== undefined && row.blind && row.phase === 'independent';
}

/**
 * Submits the coder's codings of an item. Required fields must be coded (N/A counts).
 * When the last assigned coder submits, an item in independent phase is revealed. Each coding
 * records whether it was made blind (stillBlind) and the item's text version it was made on:
 * the version current at submit, the text in front of the coder when she committed her values.
 * `seenVersion` (the web sends the version it shows) makes that exact: a submit made on a text
 * that has since changed is refused (409), and the coder reads the new text first.
 */
export async function submitMyCodings({ ctx, projectId, itemId, seenVersion }: { ctx: ServiceContext; projectId: string; itemId: string; seenVersion?: number }): Promise<{ revealed: boolean }> {
  const { actor } = await authorize({ ctx, projectId, action: 'codings.writeOwn' });
  await loadItem({ ctx, projectId, itemId });
  const assignment = await assignmentOf(ctx, itemId, actor.userId);
  if (!assignment) throw new AppError('FORBIDDEN', 'you are not assigned to this item');
  if (assignment.submittedAt) throw new AppError('CONFLICT', 'you already submitted this item');
  const codebook = await loadCodebook({ ctx, projectId });
  const rows = await ownRows(ctx, itemId, actor.userId);
  const coded = new Set(rows.map((r) => r.fieldKey));
  const missing = codebook.fields.filter((f) => f.required && !coded.has(f.key));
  if (missing.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      `required fields are not coded: ${missing.map((f) => `"${f.label}"`).join(', ')}`,
      missing.map((f) => ({ path: ['values', f.key], message: `"${f.label}" is required` })),
    );
  }
  const result = await inTransaction(ctx, async (tx) => {
    const now = new Date();
    const blind = await stillBlind(tx, assignment.id, itemId);
    // Locked for share: an edit of the text either committed before (its number is read) or waits for this submit.
    const [current] = await tx.db.select({ textVersion: items.textVersion, phase: items.phase }).from(items).where(eq(items.id, itemId)).for('share');
    const itemVersion = current!.textVersion;
    if (seenVersion !== undefined && seenVersion !== itemVersion) {
      throw new AppError('CONFLICT', `the item's text changed while you coded it (you see version ${seenVersion}, it is now version ${itemVersion}): reload it and check your values before submitting`);
    }
    await tx.db.update(codings).set({ status: 'submitted', submittedAt: now, blind, itemVersion }).where(and(eq(codings.itemId, itemId), eq(codings.coderId, actor.userId)));
    await tx.db.update(assignments).set({ submittedAt: now }).where(eq(assignments.id, assignment.id));
    for (const r of rows) {
      await audit({ ctx: tx, entry: { projectId, entity: 'coding', entityId: `${itemId}:${actor.userId}:${r.fieldKey}`, action: 'submit', before: { status: r.status }, after: { status: 'submitted', blind } } });
    }
    const pending = await tx.db.select({ id: assignments.id }).from(assignments).where(and(eq(assignments.itemId, itemId), isNull(assignments.submittedAt)));
    const revealed =
      pending.length === 0 &&
      (
        await tx.db
          .update(items)
          .set({ phase: 'revealed', revealedAt: now, updatedAt: now })
          .where(and(eq(items.id, itemId), eq(items.phase, 'independent')))
          .returning({ id: items.id })
      ).length > 0;
    // Published when the transaction commits.
    tx.events?.publish({ type: 'coding.submitted', projectId, itemId, coderId: actor.userId, revealed, phase: current!.phase });
    if (revealed) tx.events?.publish({ type: 'item.phaseChanged', projectId, itemId, from: 'independent', to: 'revealed' });
    return { revealed };
  });
  // The coder's document is frozen now, and a reveal opens the others' documents.
  await ctx.collab?.itemAccessChanged(itemId);
  return result;
}

/** Every coding of the item that the caller may see right now. */
export async function listItemCodings({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<Coding[]> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'items.read' });
  const item = await loadItem({ ctx, projectId, itemId });
  const viewerIsItemCoder = (await assignmentOf(ctx, itemId, actor.userId)) !== null;
  const rows = await ctx.db.select().from(codings).where(eq(codings.itemId, itemId)).orderBy(asc(codings.coderId), asc(codings.fieldKey));
  const visible = rows.filter((r) =>
    mayReadCodingsOf({ viewerId: actor.userId, viewerRole: role as Role, viewerIsItemCoder, coderId: r.coderId, phase: item.phase }),
  );
  return toCodings(ctx, visible);
}
