/**
 * Actors named by an import: the items' actors column (a linked-record list) and a `link` field's
 * code column. A name matches an actor the importer sees by its name, else one of its aliases,
 * trimmed and case-insensitively; the others are created, once each. Runs in the import's
 * transaction; the import's one audit entry counts them.
 */
import { actors } from '@concord/db';
import { newId } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { foldName, listedFor, selectActors } from './actor-record.ts';

export const actorKey = (name: string): string => foldName(name.trim());

export interface ListedActor {
  id: string;
  name: string;
}

/** The actors an importer sees, by name order, and the one a name or alias names. */
export interface ActorDirectory {
  listed: ListedActor[];
  /** The actor whose name is `name`, else the first (by name) with it as an alias. */
  match(name: string): ListedActor | undefined;
  has(id: string): boolean;
}

export async function actorDirectory({ ctx, projectId, userId }: { ctx: ServiceContext; projectId: string; userId: string }): Promise<ActorDirectory> {
  const rows = await selectActors({ ctx, where: listedFor(projectId, userId) });
  const byName = new Map<string, ListedActor>();
  const byAlias = new Map<string, ListedActor>();
  for (const { row } of rows) {
    const actor = { id: row.id, name: row.name };
    if (!byName.has(actorKey(row.name))) byName.set(actorKey(row.name), actor);
    for (const alias of row.aliases) if (!byAlias.has(actorKey(alias))) byAlias.set(actorKey(alias), actor);
  }
  const ids = new Set(rows.map((r) => r.row.id));
  return {
    listed: rows.map(({ row }) => ({ id: row.id, name: row.name })),
    match: (name) => byName.get(actorKey(name)) ?? byAlias.get(actorKey(name)),
    has: (id) => ids.has(id),
  };
}

/** The names among `names` (first spelling of each, in order) that no actor the importer sees has as name or alias. */
export async function actorsToCreate({ ctx, projectId, userId, names }: { ctx: ServiceContext; projectId: string; userId: string; names: Iterable<string> }): Promise<string[]> {
  const directory = await actorDirectory({ ctx, projectId, userId });
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (directory.match(name) || seen.has(actorKey(name))) continue;
    seen.add(actorKey(name));
    out.push(name);
  }
  return out;
}

/** Inserts actors whose ids were chosen beforehand (a `link` column's new names, whose ids its values already hold). */
export async function insertActors({ ctx: tx, projectId, userId, made }: { ctx: ServiceContext; projectId: string; userId: string; made: readonly { id: string; name: string }[] }): Promise<number> {
  if (made.length) await tx.db.insert(actors).values(made.map(({ id, name }) => ({ id, projectId, name, createdBy: userId })));
  return made.length;
}

/** Creates the actors `names` lacks; returns how many. */
export async function ensureActors({ ctx: tx, projectId, userId, names }: { ctx: ServiceContext; projectId: string; userId: string; names: Iterable<string> }): Promise<number> {
  const missing = await actorsToCreate({ ctx: tx, projectId, userId, names });
  return insertActors({ ctx: tx, projectId, userId, made: missing.map((name) => ({ id: newId('actor'), name })) });
}
