import { asc, count, eq, and } from 'drizzle-orm';
import { incidents, items } from '@concord/db';
import { newId, type Incident } from '@concord/shared';
import type { z } from 'zod';
import type { incidentInput } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';

export async function listIncidents(ctx: ServiceContext, projectId: string): Promise<Incident[]> {
  await authorize(ctx, projectId, 'items.read');
  const rows = await ctx.db
    .select({ id: incidents.id, name: incidents.name, description: incidents.description, itemCount: count(items.id) })
    .from(incidents)
    .leftJoin(items, eq(items.incidentId, incidents.id))
    .where(eq(incidents.projectId, projectId))
    .groupBy(incidents.id)
    .orderBy(asc(incidents.createdAt), asc(incidents.name));
  return rows;
}

async function assertNameFree(ctx: ServiceContext, projectId: string, name: string, exceptId?: string) {
  const [dup] = await ctx.db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.projectId, projectId), eq(incidents.name, name)));
  if (dup && dup.id !== exceptId) throw new AppError('CONFLICT', `an incident named "${name}" already exists`);
}

export async function createIncident(ctx: ServiceContext, projectId: string, input: z.infer<typeof incidentInput>): Promise<Incident> {
  await authorize(ctx, projectId, 'incidents.manage');
  await assertNameFree(ctx, projectId, input.name);
  const [row] = await ctx.db.insert(incidents).values({ id: newId('incident'), projectId, ...input }).returning();
  return { id: row!.id, name: row!.name, description: row!.description, itemCount: 0 };
}

export async function updateIncident(
  ctx: ServiceContext,
  projectId: string,
  incidentId: string,
  input: Partial<z.infer<typeof incidentInput>>,
): Promise<void> {
  await authorize(ctx, projectId, 'incidents.manage');
  if (input.name) await assertNameFree(ctx, projectId, input.name, incidentId);
  const updated = await ctx.db
    .update(incidents)
    .set(input)
    .where(and(eq(incidents.id, incidentId), eq(incidents.projectId, projectId)))
    .returning({ id: incidents.id });
  if (!updated.length) throw notFound('incident');
}

export async function deleteIncident(ctx: ServiceContext, projectId: string, incidentId: string): Promise<void> {
  await authorize(ctx, projectId, 'incidents.manage');
  const deleted = await ctx.db
    .delete(incidents)
    .where(and(eq(incidents.id, incidentId), eq(incidents.projectId, projectId)))
    .returning({ id: incidents.id });
  if (!deleted.length) throw notFound('incident');
}

/** Checks that an incident id belongs to the project (ids from clients are never trusted). */
export async function assertIncidentInProject(ctx: ServiceContext, projectId: string, incidentId: string): Promise<void> {
  const [row] = await ctx.db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.id, incidentId), eq(incidents.projectId, projectId)));
  if (!row) throw new AppError('VALIDATION_FAILED', `incident ${incidentId} is not in this project`);
}
