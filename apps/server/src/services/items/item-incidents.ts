/**
 * An item's incidents live in item_incidents (ordered by position; the first is primary).
 * These helpers are the one place that reads and writes that link, for every service that
 * lists, filters or counts items by incident.
 */
import { and, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import { incidents, itemIncidents, items } from '@concord/db';
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../context.ts';

/** The item's incident ids in order, as a column of a query over `items`. */
export const incidentIdsColumn = sql<string[]>`coalesce((select array_agg(${itemIncidents.incidentId} order by ${itemIncidents.position}) from ${itemIncidents} where ${itemIncidents.itemId} = ${items.id}), '{}')`;

/** A condition over `items`: the item is linked to this incident (primary or not). */
export function inIncident({ ctx, incidentId }: { ctx: ServiceContext; incidentId: string }): SQL {
  return exists(
    ctx.db
      .select({ one: sql`1` })
      .from(itemIncidents)
      .where(and(eq(itemIncidents.itemId, items.id), eq(itemIncidents.incidentId, incidentId))),
  );
}

/** Checks that every id names an incident of the project (ids from clients are never trusted). */
export async function assertIncidentsInProject({ ctx, projectId, incidentIds }: { ctx: ServiceContext; projectId: string; incidentIds: readonly string[] }): Promise<void> {
  if (!incidentIds.length) return;
  const found = await ctx.db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.projectId, projectId), inArray(incidents.id, [...incidentIds])));
  const known = new Set(found.map((r) => r.id));
  const strangers = incidentIds.filter((id) => !known.has(id));
  if (strangers.length) {
    const message = `not incidents of this project: ${strangers.join(', ')}`;
    throw new AppError('VALIDATION_FAILED', message, [{ path: ['incidentIds'], message }]);
  }
}

/** Replaces the item's incidents with these, in this order (checked against the project first). */
export async function setItemIncidents({ ctx, projectId, itemId, incidentIds }: { ctx: ServiceContext; projectId: string; itemId: string; incidentIds: readonly string[] }): Promise<void> {
  await assertIncidentsInProject({ ctx, projectId, incidentIds });
  await ctx.db.delete(itemIncidents).where(eq(itemIncidents.itemId, itemId));
  if (incidentIds.length) await ctx.db.insert(itemIncidents).values(incidentIds.map((incidentId, position) => ({ itemId, incidentId, position })));
}

/** The incident list an input asks for: `incidentIds`, else the deprecated single `incidentId`; undefined when it names none. */
export function requestedIncidents(input: { incidentIds?: string[] | undefined; incidentId?: string | null | undefined }): string[] | undefined {
  if (input.incidentIds !== undefined) return input.incidentIds;
  if (input.incidentId !== undefined) return input.incidentId === null ? [] : [input.incidentId];
  return undefined;
}
