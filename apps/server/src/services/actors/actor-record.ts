/**
 * One actor row as the API shows it, and who sees which actors. An actor made on the fly while
 * coding an item is one of its maker's codes: while that item is independent nobody else sees it
 * (SECURITY.md, rule 1), not in the list, not as a duplicate name, not as a usable value.
 */
import { and, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { actors, items } from '@concord/db';
import type { Actor } from '@concord/shared';
import { notFound } from '../../errors.ts';
import { iso, type ServiceContext } from '../context.ts';

export type ActorRow = typeof actors.$inferSelect;

/**
 * Names compared and searched case-insensitively in JavaScript, not SQL: the database's
 * `lower()` and ILIKE fold only ASCII under the C locale (PGlite's), and names are Cyrillic too.
 */
export const foldName = (s: string): string => s.toLowerCase();

/** The phase of the item an actor was made on (null: made elsewhere, or the item is gone). */
const originPhase = sql<string | null>`(select ${items.phase} from ${items} where ${items.id} = ${actors.createdOnItem})`;

/** Rows `viewerId` may see: not made on the fly on an independent item, unless by the viewer. */
export function visibleTo(viewerId: string): SQL {
  return or(isNull(actors.createdOnItem), eq(actors.createdBy, viewerId), sql`${originPhase} is distinct from 'independent'`)!;
}

/** Listed actors: live (not merged away, not deleted) and visible to the viewer. */
export function listedFor(projectId: string, viewerId: string): SQL {
  return and(eq(actors.projectId, projectId), isNull(actors.mergedInto), isNull(actors.deletedAt), visibleTo(viewerId))!;
}

export interface ActorListRow {
  row: ActorRow;
  pending: boolean;
}

/** Selects listed actors matching `where`, with whether each is still pending (its item independent). */
export async function selectActors({ ctx, where }: { ctx: ServiceContext; where: SQL }): Promise<ActorListRow[]> {
  const rows = await ctx.db
    .select({ row: actors, pending: sql<boolean>`(${actors.createdOnItem} is not null and ${originPhase} = 'independent')` })
    .from(actors)
    .where(where);
  // By name, case-insensitively, in code-unit order: the same on every database and collation.
  const key = (r: { row: ActorRow }) => `${foldName(r.row.name)}\u0000${r.row.id}`;
  return rows.map((r) => ({ row: r.row, pending: r.pending === true })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The ids merged into each of `ids` (merges are flattened: merged_into always names a live actor). */
export async function mergedIdsOf({ ctx, ids }: { ctx: ServiceContext; ids: string[] }): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await ctx.db.select({ id: actors.id, into: actors.mergedInto }).from(actors).where(inArray(actors.mergedInto, ids));
  for (const r of rows) out.get(r.into!)?.push(r.id);
  return out;
}

export function toActor(r: ActorRow, pending: boolean, mergedIds: string[]): Actor {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    affiliation: r.affiliation,
    stance: r.stance,
    notes: r.notes,
    aliases: r.aliases,
    mergedIds: [...mergedIds].sort(),
    pending,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

/** A listed actor the viewer sees, as the API shows it; 404 otherwise (as if it did not exist). */
export async function loadActor({ ctx, projectId, actorId, viewerId }: { ctx: ServiceContext; projectId: string; actorId: string; viewerId: string }): Promise<Actor & { row: ActorRow }> {
  const [found] = await selectActors({ ctx, where: and(eq(actors.id, actorId), listedFor(projectId, viewerId))! });
  if (!found) throw notFound('actor');
  const merged = await mergedIdsOf({ ctx, ids: [actorId] });
  return { ...toActor(found.row, found.pending, merged.get(actorId) ?? []), row: found.row };
}


/** Another listed actor the viewer sees with this name (case-insensitive), if any. */
export async function sameName({ ctx, projectId, viewerId, name, exceptId }: { ctx: ServiceContext; projectId: string; viewerId: string; name: string; exceptId?: string }): Promise<ActorRow | null> {
  const where = [listedFor(projectId, viewerId)];
  if (exceptId) where.push(ne(actors.id, exceptId));
  const rows = await ctx.db.select().from(actors).where(and(...where));
  return rows.find((r) => foldName(r.name) === foldName(name)) ?? null;
}
