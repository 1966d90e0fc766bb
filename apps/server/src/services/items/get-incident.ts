/**
 * One incident with its progress, for the incident page. The counts follow the rule of the
 * project's progress (services/projects/progress.ts, SECURITY.md rule 7): members who may read
 * revealed codings see the incident's totals; a coder sees her own work on its items only, as
 * other coders' counts move while items are coded blind.
 */
import { and, count, countDistinct, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { assignments, codings, itemIncidents, items } from '@concord/db';
import type { IncidentDetail, ProjectProgress } from '@concord/shared';
import { authorize, can } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { listIncidents } from './incidents.ts';
import { notFound } from '../../errors.ts';

type Counts = Omit<ProjectProgress, 'scope'>;

/** Items of the incident (archived ones left out, as in its item count). */
const inIncident = (incidentId: string) => and(eq(itemIncidents.incidentId, incidentId), isNull(items.archivedAt));

async function totals(ctx: ServiceContext, incidentId: string): Promise<Counts> {
  // (item, incident) is item_incidents' key: each item counts once.
  const linked = (extra?: SQL) => ctx.db.select({ n: count() }).from(itemIncidents).innerJoin(items, eq(items.id, itemIncidents.itemId)).where(and(inIncident(incidentId), extra));
  const [[all], [revealed], [coded], [submitted]] = await Promise.all([
    linked(),
    linked(eq(items.phase, 'revealed')),
    ctx.db
      .select({ n: countDistinct(codings.itemId) })
      .from(itemIncidents)
      .innerJoin(items, eq(items.id, itemIncidents.itemId))
      .innerJoin(codings, eq(codings.itemId, items.id))
      .where(inIncident(incidentId)),
    ctx.db
      .select({ n: countDistinct(assignments.itemId) })
      .from(itemIncidents)
      .innerJoin(items, eq(items.id, itemIncidents.itemId))
      .innerJoin(assignments, and(eq(assignments.itemId, items.id), isNotNull(assignments.submittedAt)))
      .where(inIncident(incidentId)),
  ]);
  return { items: Number(all?.n ?? 0), coded: Number(coded?.n ?? 0), submitted: Number(submitted?.n ?? 0), revealed: Number(revealed?.n ?? 0) };
}

async function ownWork(ctx: ServiceContext, incidentId: string, userId: string): Promise<Counts> {
  const mine = (extra?: SQL) =>
    ctx.db
      .select({ n: countDistinct(assignments.itemId) })
      .from(assignments)
      .innerJoin(itemIncidents, eq(itemIncidents.itemId, assignments.itemId))
      .innerJoin(items, eq(items.id, assignments.itemId))
      .where(and(inIncident(incidentId), eq(assignments.coderId, userId), extra));
  const [[all], [coded], [submitted], [revealed]] = await Promise.all([
    mine(),
    ctx.db
      .select({ n: countDistinct(assignments.itemId) })
      .from(assignments)
      .innerJoin(itemIncidents, eq(itemIncidents.itemId, assignments.itemId))
      .innerJoin(items, eq(items.id, assignments.itemId))
      .innerJoin(codings, and(eq(codings.itemId, assignments.itemId), eq(codings.coderId, assignments.coderId)))
      .where(and(inIncident(incidentId), eq(assignments.coderId, userId))),
    mine(isNotNull(assignments.submittedAt)),
    mine(eq(items.phase, 'revealed')),
  ]);
  return { items: Number(all?.n ?? 0), coded: Number(coded?.n ?? 0), submitted: Number(submitted?.n ?? 0), revealed: Number(revealed?.n ?? 0) };
}

export async function getIncident({ ctx, projectId, incidentId }: { ctx: ServiceContext; projectId: string; incidentId: string }): Promise<IncidentDetail> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'items.read' });
  const incident = (await listIncidents({ ctx, projectId })).find((i) => i.id === incidentId);
  if (!incident) throw notFound('incident');
  const managers = can(role, 'codings.readRevealed');
  const counts = managers ? await totals(ctx, incidentId) : await ownWork(ctx, incidentId, actor.userId);
  return { ...incident, progress: { scope: managers ? 'project' : 'mine', ...counts } };
}
