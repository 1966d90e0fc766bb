/**
 * Merging a duplicate actor into another: the duplicate's name and aliases become aliases of
 * the one kept, empty details are filled from it, and every coded reference (codings and
 * decisions) moves to the kept actor, each change audited. The duplicate's row stays, pointing
 * at the kept one, so values still naming it (a coder's live document keeps the old id until
 * she edits it; the projection resolves it then, link-values.ts) mean the kept actor.
 */
import { and, eq, sql } from 'drizzle-orm';
import { actors, adjudications, codings } from '@concord/db';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import type { Actor, ActorMergeInput } from '@concord/shared';
import { foldName, loadActor, toActor } from './actor-record.ts';
import { mapActorIds } from './link-values.ts';

/** The kept actor's aliases after the merge: its own, then the duplicate's name and aliases, never its own name, no repeats. */
export function mergedAliases(kept: { name: string; aliases: readonly string[] }, duplicate: { name: string; aliases: readonly string[] }): string[] {
  const seen = new Set([foldName(kept.name)]);
  const out: string[] = [];
  for (const a of [...kept.aliases, duplicate.name, ...duplicate.aliases]) {
    if (seen.has(foldName(a))) continue;
    seen.add(foldName(a));
    out.push(a);
  }
  return out;
}

/**
 * Rows whose value is a set naming `id`. Actor ids (`act_` and 16 random characters) are not
 * option codes anyone writes, so containment finds link values whatever the field's version.
 */
const names = (column: typeof codings.value | typeof adjudications.value, id: string) => sql`${column} @> ${JSON.stringify([id])}::jsonb`;

export async function mergeActors({ ctx, projectId, actorId, input }: { ctx: ServiceContext; projectId: string; actorId: string; input: ActorMergeInput }): Promise<Actor> {
  const { actor: me } = await authorize({ ctx, projectId, action: 'actors.manage' });
  if (input.duplicateId === actorId) {
    const message = 'an actor cannot be merged into itself';
    throw new AppError('VALIDATION_FAILED', message, [{ path: ['duplicateId'], message }]);
  }
  return inTransaction(ctx, async (tx) => {
    const kept = await loadActor({ ctx: tx, projectId, actorId, viewerId: me.userId });
    const duplicate = await loadActor({ ctx: tx, projectId, actorId: input.duplicateId, viewerId: me.userId });
    const now = new Date();
    const [row] = await tx.db
      .update(actors)
      .set({
        aliases: mergedAliases(kept, duplicate),
        kind: kept.kind ?? duplicate.kind,
        affiliation: kept.affiliation ?? duplicate.affiliation,
        stance: kept.stance ?? duplicate.stance,
        notes: [kept.notes, duplicate.notes].filter((n) => n.trim() !== '').join('\n\n'),
        updatedAt: now,
      })
      .where(eq(actors.id, actorId))
      .returning();
    await tx.db.update(actors).set({ mergedInto: actorId, updatedAt: now }).where(eq(actors.id, duplicate.id));
    // Earlier merges into the duplicate now point at the kept actor: one hop resolves any id.
    await tx.db.update(actors).set({ mergedInto: actorId }).where(eq(actors.mergedInto, duplicate.id));
    const to = (id: string) => (id === duplicate.id ? actorId : id);

    const coded = await tx.db.select().from(codings).where(and(eq(codings.projectId, projectId), names(codings.value, duplicate.id)));
    for (const c of coded) {
      const value = mapActorIds(c.value as string[], to);
      await tx.db.update(codings).set({ value }).where(eq(codings.id, c.id));
      await audit({ ctx: tx, entry: { projectId, entity: 'coding', entityId: `${c.itemId}:${c.coderId}:${c.fieldKey}`, action: 'merge-actor', before: { value: c.value }, after: { value } } });
    }
    const decided = await tx.db.select().from(adjudications).where(and(eq(adjudications.projectId, projectId), names(adjudications.value, duplicate.id)));
    for (const d of decided) {
      const value = mapActorIds(d.value as string[], to);
      await tx.db.update(adjudications).set({ value }).where(eq(adjudications.id, d.id));
      await audit({ ctx: tx, entry: { projectId, entity: 'adjudication', entityId: `${d.itemId}:${d.fieldKey}`, action: 'merge-actor', before: { value: d.value }, after: { value } } });
    }
    const merged = toActor(row!, kept.pending, [...kept.mergedIds, duplicate.id, ...duplicate.mergedIds]);
    const { row: _row, ...duplicateBefore } = duplicate;
    await audit({ ctx: tx, entry: { projectId, entity: 'actor', entityId: actorId, action: 'merge', before: { duplicate: duplicateBefore, aliases: kept.aliases }, after: { aliases: merged.aliases } } });
    return merged;
  });
}
