/**
 * Actors named by an item import's actors column (a linked-record list): a name matches a listed
 * actor by its name or one of its aliases, case-insensitively; the others are created, once each.
 * Runs in the import's transaction; the import's one audit entry counts them.
 */
import { actors } from '@concord/db';
import { newId } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { foldName, listedFor } from './actor-record.ts';


/** The names among `names` (first spelling of each, in order) that no actor the importer sees has as name or alias. */
export async function actorsToCreate(ctx: ServiceContext, projectId: string, userId: string, names: Iterable<string>): Promise<string[]> {
  const listed = await ctx.db.select({ name: actors.name, aliases: actors.aliases }).from(actors).where(listedFor(projectId, userId));
  const known = new Set(listed.flatMap((a) => [a.name, ...a.aliases].map(foldName)));
  const out: string[] = [];
  for (const name of names) {
    if (known.has(foldName(name))) continue;
    known.add(foldName(name));
    out.push(name);
  }
  return out;
}

/** Creates the actors `names` lacks; returns how many. */
export async function ensureActors(tx: ServiceContext, projectId: string, userId: string, names: Iterable<string>): Promise<number> {
  const missing = await actorsToCreate(tx, projectId, userId, names);
  if (missing.length) await tx.db.insert(actors).values(missing.map((name) => ({ id: newId('actor'), projectId, name, createdBy: userId })));
  return missing.length;
}
