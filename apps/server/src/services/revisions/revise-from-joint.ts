/**
 * Revised codings (issue 13, item 4): when an editor ends a joint session on an item of a
 * production round, the joint layer's values (`joint:<item>`, JOINT_DOC.values) become the
 * item's revised codings, one row per field, beside the blind codings, which stay as
 * submitted (reliability reads those only). Other round types end the session with the
 * editor's decisions alone, as before.
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { assignments, pendingRevisions, revisedCodings, rounds } from '@concord/db';
import { JOINT_DOC, jointDocName, type CodingValue } from '@concord/shared';
import { audit } from '../audit.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { resolveLinkValues } from '../actors/link-values.ts';
import { validateValues } from '../collab/projection.ts';
import { lockDoc, readStoredDoc } from '../collab/store.ts';

/**
 * Whether ending the item's joint session revises its codings: every assignment of the item is
 * in a production round (a round that is gone, or older than round types, counts as production).
 * An item that is also in a reliability, calibration, review or imported round is not revised.
 */
export async function revisesCodings({ ctx, itemId }: { ctx: Pick<ServiceContext, 'db'>; itemId: string }): Promise<boolean> {
  const types = await ctx.db
    .select({ type: rounds.type })
    .from(assignments)
    .leftJoin(rounds, eq(rounds.id, assignments.roundId))
    .where(eq(assignments.itemId, itemId));
  return types.length > 0 && types.every((t) => (t.type ?? 'production') === 'production');
}

/** The joint layer as stored: its values and its state vector (the version they were read at). */
function storedJointLayer(ctx: Pick<ServiceContext, 'db'>, itemId: string) {
  return readStoredDoc({
    ctx,
    docName: jointDocName(itemId),
    read: (doc) => ({ values: doc.getMap(JOINT_DOC.values).toJSON(), version: Buffer.from(Y.encodeStateVector(doc)).toString('base64') }),
  });
}

/**
 * Makes the item's revised codings equal to its joint layer as stored, audited per field
 * (`revision`: create, update, clear), and clears the item's pending mark (`markRevisionPending`)
 * in the same transaction. Without a mark there is nothing to do: another process or an earlier
 * call finished this session already, so the revisions are written exactly once per ended session.
 * The caller ended the session and waited for every live change to be stored
 * (`CollabDocs.itemAccessChanged`), so the stored layer is the whole session.
 * A value that does not fit the current codebook is left out (and logged by field, never by value).
 * ctx.actor is the editor who ended the session.
 */
export async function reviseFromJointSession({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<void> {
  const revises = await revisesCodings({ ctx, itemId });
  const codebook = revises ? await loadCodebook({ ctx, projectId }) : null;
  await inTransaction(ctx, async (tx) => {
    const mark = await tx.db.select({ itemId: pendingRevisions.itemId }).from(pendingRevisions).where(eq(pendingRevisions.itemId, itemId)).for('update');
    if (!mark.length) return;
    await tx.db.delete(pendingRevisions).where(eq(pendingRevisions.itemId, itemId));
    if (!codebook) return;
    // Compaction rewrites the stored layer under this lock; the read is one statement anyway.
    await lockDoc({ ctx: tx, docName: jointDocName(itemId) });
    const layer = await storedJointLayer(tx, itemId);
    const checked = validateValues(codebook.fields, layer.values);
    const links = await resolveLinkValues({ ctx: tx, projectId, coderId: tx.actor?.userId ?? '', fields: codebook.fields, values: checked.valid });
    for (const p of links.problems) links.values.delete(p.fieldKey);
    const leftOut = [...checked.invalid, ...links.problems].map((p) => p.fieldKey);
    if (leftOut.length) ctx.logger.warn({ itemId, fieldKeys: leftOut }, 'joint values that do not fit the codebook were not revised');
    await replaceRevisions(tx, { projectId, itemId, values: links.values, codebookVersionId: codebook.versionId, jointVersion: layer.version });
  });
}

/**
 * Called in the transaction that moves the item out of `joint`: the session has ended and its
 * revisions are owed, whatever happens to this process before `reviseFromJointSession` runs.
 * A mark already there (a session that ended before and was not finished) stays as it is.
 */
export async function markRevisionPending({ ctx: tx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<void> {
  await tx.db.insert(pendingRevisions).values({ itemId, projectId, endedBy: tx.actor?.userId ?? null }).onConflictDoNothing();
}

async function replaceRevisions(tx: ServiceContext, input: { projectId: string; itemId: string; values: Map<string, CodingValue>; codebookVersionId: string; jointVersion: string }) {
  const { projectId, itemId } = input;
  const rows = await tx.db.select().from(revisedCodings).where(eq(revisedCodings.itemId, itemId)).for('update');
  const existing = new Map(rows.map((r) => [r.fieldKey, r]));
  const state = (r: { value: CodingValue; codebookVersionId: string; jointVersion: string }) => ({ value: r.value, version: r.codebookVersionId, jointVersion: r.jointVersion });
  const entityId = (fieldKey: string) => `${itemId}:${fieldKey}`;
  for (const before of rows) {
    if (input.values.has(before.fieldKey)) continue;
    await tx.db.delete(revisedCodings).where(and(eq(revisedCodings.itemId, itemId), eq(revisedCodings.fieldKey, before.fieldKey)));
    await audit({ ctx: tx, entry: { projectId, entity: 'revision', entityId: entityId(before.fieldKey), action: 'clear', before: state(before), after: null } });
  }
  for (const [fieldKey, value] of input.values) {
    const before = existing.get(fieldKey);
    // A value the session left as it was keeps who revised it and when.
    if (before && JSON.stringify(before.value) === JSON.stringify(value)) continue;
    const after = { value, codebookVersionId: input.codebookVersionId, jointVersion: input.jointVersion, revisedBy: tx.actor?.userId ?? null, revisedAt: new Date() };
    await tx.db
      .insert(revisedCodings)
      .values({ projectId, itemId, fieldKey, ...after })
      .onConflictDoUpdate({ target: [revisedCodings.itemId, revisedCodings.fieldKey], set: after });
    await audit({ ctx: tx, entry: { projectId, entity: 'revision', entityId: entityId(fieldKey), action: before ? 'update' : 'create', before: before ? state(before) : null, after: state(after) } });
  }
}
