import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { incidents, itemIncidents, items } from '@concord/db';
import { incidentInput, newId, type Incident, type IncidentInput, type IncidentUpdateInput } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';

type IncidentRow = typeof incidents.$inferSelect;

const toIncident = (r: IncidentRow, itemCount: number): Incident => ({
  id: r.id,
  name: r.name,
  description: r.description,
  country: r.country,
  startDate: r.startDate,
  endDate: r.endDate,
  tags: r.tags,
  itemCount,
});

/** The project's incidents in creation order; an item linked to several incidents counts under each, an archived one under none. */
export async function listIncidents({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<Incident[]> {
  await authorize({ ctx, projectId, action: 'items.read' });
  const rows = await ctx.db
    .select({ incident: incidents, itemCount: count(items.id) })
    .from(incidents)
    .leftJoin(itemIncidents, eq(itemIncidents.incidentId, incidents.id))
    // Archived items are not counted (they are not listed either).
    .leftJoin(items, and(eq(items.id, itemIncidents.itemId), isNull(items.archivedAt)))
    .where(eq(incidents.projectId, projectId))
    .groupBy(incidents.id)
    .orderBy(asc(incidents.createdAt), asc(incidents.name));
  return rows.map((r) => toIncident(r.incident, r.itemCount));
}

async function loadIncident(ctx: ServiceContext, projectId: string, incidentId: string): Promise<IncidentRow> {
  const [row] = await ctx.db.select().from(incidents).where(and(eq(incidents.id, incidentId), eq(incidents.projectId, projectId)));
  if (!row) throw notFound('incident');
  return row;
}

async function assertNameFree(ctx: ServiceContext, projectId: string, name: string, exceptId?: string) {
  const [dup] = await ctx.db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.projectId, projectId), eq(incidents.name, name)));
  if (dup && dup.id !== exceptId) throw new AppError('CONFLICT', `an incident named "${name}" already exists`);
}

function assertDatesInOrder(startDate: string | null, endDate: string | null) {
  if (startDate && endDate && endDate < startDate) {
    const message = `the end date ${endDate} comes before the start date ${startDate}`;
    throw new AppError('VALIDATION_FAILED', message, [{ path: ['endDate'], message }]);
  }
}

/** `raw` is parsed here too, so callers other than the route (demo seed, tests) get the defaults and checks. */
export async function createIncident({ ctx, projectId, input: raw }: { ctx: ServiceContext; projectId: string; input: IncidentInput }): Promise<Incident> {
  await authorize({ ctx, projectId, action: 'incidents.manage' });
  const input = incidentInput.parse(raw);
  assertDatesInOrder(input.startDate, input.endDate);
  return inTransaction(ctx, async (tx) => {
    await assertNameFree(tx, projectId, input.name);
    const [row] = await tx.db.insert(incidents).values({ id: newId('incident'), projectId, ...input }).returning();
    const incident = toIncident(row!, 0);
    await audit({ ctx: tx, entry: { projectId, entity: 'incident', entityId: incident.id, action: 'create', after: incident } });
    return incident;
  });
}

/** Changes only the fields the input names; dates are checked against the stored ones. */
export async function updateIncident({ ctx, projectId, incidentId, input }: { ctx: ServiceContext; projectId: string; incidentId: string; input: IncidentUpdateInput }): Promise<void> {
  await authorize({ ctx, projectId, action: 'incidents.manage' });
  await inTransaction(ctx, async (tx) => {
    const before = await loadIncident(tx, projectId, incidentId);
    assertDatesInOrder(input.startDate === undefined ? before.startDate : input.startDate, input.endDate === undefined ? before.endDate : input.endDate);
    if (input.name) await assertNameFree(tx, projectId, input.name, incidentId);
    const [after] = await tx.db.update(incidents).set(input).where(eq(incidents.id, incidentId)).returning();
    const keys = Object.keys(input) as (keyof IncidentUpdateInput)[];
    const pick = (r: IncidentRow) => Object.fromEntries(keys.map((k) => [k, r[k]]));
    await audit({ ctx: tx, entry: { projectId, entity: 'incident', entityId: incidentId, action: 'update', before: pick(before), after: pick(after!) } });
  });
}

/** Deletes the incident; its items stay, without this link. */
export async function deleteIncident({ ctx, projectId, incidentId }: { ctx: ServiceContext; projectId: string; incidentId: string }): Promise<void> {
  await authorize({ ctx, projectId, action: 'incidents.manage' });
  await inTransaction(ctx, async (tx) => {
    const before = await loadIncident(tx, projectId, incidentId);
    await tx.db.delete(incidents).where(eq(incidents.id, incidentId));
    await audit({ ctx: tx, entry: { projectId, entity: 'incident', entityId: incidentId, action: 'delete', before: toIncident(before, 0) } });
  });
}
