/**
 * A project's actors (issue 12, item 4): list, create (by managers, or on the fly by a coder
 * where a `link` field allows it), edit and delete. Merging duplicates is merge-actors.ts.
 */
import { and, eq } from 'drizzle-orm';
import { actors, assignments } from '@concord/db';
import { actorInput, newId, type Actor, type ActorInput, type ActorUpdateInput } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize, authorizeActorCreate } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { foldName, listedFor, loadActor, mergedIdsOf, sameName, selectActors, toActor, type ActorRow } from './actor-record.ts';

/** The actors the caller sees, by name; `q` matches names and aliases (case-insensitive). */
export async function listActors({ ctx, projectId, query = {} }: { ctx: ServiceContext; projectId: string; query?: { q?: string | undefined } }): Promise<Actor[]> {
  const { actor } = await authorize({ ctx, projectId, action: 'items.read' });
  const q = foldName(query.q?.trim() ?? '');
  const rows = (await selectActors({ ctx, where: listedFor(projectId, actor.userId) })).filter((r) => !q || [r.row.name, ...r.row.aliases].some((n) => foldName(n).includes(q)));
  const merged = await mergedIdsOf({ ctx, ids: rows.map((r) => r.row.id) });
  return rows.map((r) => toActor(r.row, r.pending, merged.get(r.row.id) ?? []));
}

function conflict(existing: ActorRow): AppError {
  const message = `an actor named "${existing.name}" already exists`;
  return new AppError('CONFLICT', message, [{ path: ['name'], message }]);
}

/** Whether the caller may create on the fly: the field is a link field that allows it, and the item is hers to code. */
async function onTheFlyFacts(ctx: ServiceContext, projectId: string, userId: string, fieldKey: string, itemId: string) {
  const codebook = await loadCodebook({ ctx, projectId });
  const field = codebook.fields.find((f) => f.key === fieldKey);
  if (!field || field.type !== 'link') {
    const message = `"${fieldKey}" is not a link field of the codebook`;
    throw new AppError('VALIDATION_FAILED', message, [{ path: ['field'], message }]);
  }
  const [assigned] = await ctx.db
    .select({ id: assignments.id })
    .from(assignments)
    .where(and(eq(assignments.projectId, projectId), eq(assignments.itemId, itemId), eq(assignments.coderId, userId)));
  return { fieldAllowsCreate: field.allowCreate, assigned: assigned !== undefined };
}

/** `raw` is parsed here too, so callers other than the route (imports, tests) get the defaults and checks. */
export async function createActor({ ctx, projectId, input: raw }: { ctx: ServiceContext; projectId: string; input: ActorInput }): Promise<Actor> {
  const { actor: me, role } = await authorize({ ctx, projectId, action: 'items.read' });
  const { field, itemId, ...input } = actorInput.parse(raw);
  const onTheFly = field !== undefined && itemId !== undefined ? await onTheFlyFacts(ctx, projectId, me.userId, field, itemId) : null;
  authorizeActorCreate({ role }, onTheFly);
  return inTransaction(ctx, async (tx) => {
    const existing = await sameName({ ctx: tx, projectId, viewerId: me.userId, name: input.name });
    if (existing) throw conflict(existing);
    const [row] = await tx.db
      .insert(actors)
      .values({ id: newId('actor'), projectId, ...input, createdBy: me.userId, createdOnItem: onTheFly ? itemId! : null })
      .returning();
    const created = toActor(row!, onTheFly !== null, []);
    // Made while coding: the record is one of her codes, so it sits under `value`, which the
    // audit withholds like a coding's value while the item is independent (list-audit.ts).
    const after = onTheFly ? { onItem: itemId, field, value: created } : created;
    await audit({ ctx: tx, entry: { projectId, entity: 'actor', entityId: created.id, action: 'create', after } });
    return created;
  });
}

/** Changes only the fields the input names. */
export async function updateActor({ ctx, projectId, actorId, input }: { ctx: ServiceContext; projectId: string; actorId: string; input: ActorUpdateInput }): Promise<Actor> {
  const { actor: me } = await authorize({ ctx, projectId, action: 'actors.manage' });
  return inTransaction(ctx, async (tx) => {
    const before = await loadActor({ ctx: tx, projectId, actorId, viewerId: me.userId });
    if (input.name !== undefined) {
      const existing = await sameName({ ctx: tx, projectId, viewerId: me.userId, name: input.name, exceptId: actorId });
      if (existing) throw conflict(existing);
    }
    const [row] = await tx.db.update(actors).set({ ...input, updatedAt: new Date() }).where(eq(actors.id, actorId)).returning();
    const after = toActor(row!, before.pending, before.mergedIds);
    const keys = Object.keys(input) as (keyof ActorUpdateInput)[];
    const pick = (a: Actor) => Object.fromEntries(keys.map((k) => [k, a[k]]));
    await audit({ ctx: tx, entry: { projectId, entity: 'actor', entityId: actorId, action: 'update', before: pick(before), after: pick(after) } });
    return after;
  });
}

/**
 * Deletes an actor from the list and from what can be coded. The row stays (`deleted_at`), so
 * values already coded with it still export under its name; saying whether anyone coded it
 * would tell a manager about values still blind.
 */
export async function deleteActor({ ctx, projectId, actorId }: { ctx: ServiceContext; projectId: string; actorId: string }): Promise<void> {
  const { actor: me } = await authorize({ ctx, projectId, action: 'actors.manage' });
  await inTransaction(ctx, async (tx) => {
    const { row: _row, ...before } = await loadActor({ ctx: tx, projectId, actorId, viewerId: me.userId });
    await tx.db.update(actors).set({ deletedAt: new Date(), updatedAt: new Date() }).where(eq(actors.id, actorId));
    await audit({ ctx: tx, entry: { projectId, entity: 'actor', entityId: actorId, action: 'delete', before } });
  });
}
