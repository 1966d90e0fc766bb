/**
 * The values of `link` fields: sets of actor ids. One place resolves them, for every writer
 * (the coding projection, the REST save, a merge) and reader (exports): an id of an actor merged
 * into another means the other, and the set keeps its order without repeats.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { actors, items } from '@concord/db';
import type { CodingValue, FieldDefinition } from '@concord/shared';
import type { ServiceContext } from '../context.ts';

/** The ids with `to` substituted for each merged id, first occurrence kept. */
export function mapActorIds(ids: readonly string[], to: (id: string) => string): string[] {
  return [...new Set(ids.map(to))];
}

export interface LinkProblem {
  fieldKey: string;
  message: string;
}

/**
 * Checks the link fields among `values` for coder `coderId`: every id must name an actor of the
 * project that she may use (not deleted, and visible to her: someone else's on-the-fly actor
 * on an item still independent is as unknown as a made-up id). Returns the values with merged
 * ids resolved, and the fields that fail.
 */
export async function resolveLinkValues({ ctx, projectId, coderId, fields, values }: {
  ctx: ServiceContext;
  projectId: string;
  coderId: string;
  fields: readonly FieldDefinition[];
  values: ReadonlyMap<string, CodingValue>;
}): Promise<{ values: Map<string, CodingValue>; problems: LinkProblem[] }> {
  const out = new Map(values);
  const links = fields.filter((f) => f.type === 'link' && Array.isArray(values.get(f.key)));
  const ids = [...new Set(links.flatMap((f) => values.get(f.key) as string[]))];
  if (ids.length === 0) return { values: out, problems: [] };
  const rows = await ctx.db
    .select({ id: actors.id, mergedInto: actors.mergedInto, deletedAt: actors.deletedAt, createdBy: actors.createdBy, createdOnItem: actors.createdOnItem })
    .from(actors)
    .where(and(eq(actors.projectId, projectId), inArray(actors.id, ids)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const roots = [...new Set(rows.flatMap((r) => (r.mergedInto && !byId.has(r.mergedInto) ? [r.mergedInto] : [])))];
  if (roots.length) {
    for (const r of await ctx.db
      .select({ id: actors.id, mergedInto: actors.mergedInto, deletedAt: actors.deletedAt, createdBy: actors.createdBy, createdOnItem: actors.createdOnItem })
      .from(actors)
      .where(and(eq(actors.projectId, projectId), inArray(actors.id, roots)))) {
      byId.set(r.id, r);
    }
  }
  const origins = [...new Set([...byId.values()].flatMap((r) => (r.createdOnItem && r.createdBy !== coderId ? [r.createdOnItem] : [])))];
  const independent = new Set(
    origins.length
      ? (await ctx.db.select({ id: items.id, phase: items.phase }).from(items).where(inArray(items.id, origins))).filter((i) => i.phase === 'independent').map((i) => i.id)
      : [],
  );
  const rootOf = (id: string) => byId.get(id)?.mergedInto ?? id;
  const usable = (id: string) => {
    const root = byId.get(rootOf(id));
    return root !== undefined && root.deletedAt === null && !(root.createdOnItem && root.createdBy !== coderId && independent.has(root.createdOnItem));
  };
  const problems: LinkProblem[] = [];
  for (const f of links) {
    const value = values.get(f.key) as string[];
    const bad = value.find((id) => !usable(id));
    if (bad !== undefined) problems.push({ fieldKey: f.key, message: `field "${f.key}": "${bad}" is not an actor of this project` });
    else out.set(f.key, mapActorIds(value, rootOf));
  }
  return { values: out, problems };
}

export interface ActorName {
  /** The id a value means: the actor's own, or the one it was merged into. */
  id: string;
  name: string;
}

/** Every actor of the project (merged and deleted ones too) by id, for the exports. */
export async function actorNames({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<Map<string, ActorName>> {
  const rows = await ctx.db.select({ id: actors.id, name: actors.name, mergedInto: actors.mergedInto }).from(actors).where(eq(actors.projectId, projectId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return new Map(
    rows.map((r) => {
      const root = (r.mergedInto && byId.get(r.mergedInto)) || r;
      return [r.id, { id: root.id, name: root.name }];
    }),
  );
}

/** A link value's ids (resolved) and names, as the exports write them: each joined with "|", ids sorted and names in the same order. */
export function linkCells(value: CodingValue | null | undefined, names: ReadonlyMap<string, ActorName>): { ids: string[]; names: string[] } | null {
  if (!Array.isArray(value)) return null;
  const ids = mapActorIds(value, (id) => names.get(id)?.id ?? id).sort();
  return { ids, names: ids.map((id) => names.get(id)?.name ?? id) };
}
