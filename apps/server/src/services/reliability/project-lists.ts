/** Names for the filters and breakdowns of reliability. No authorization here: callers authorize first. */
import { asc, eq } from 'drizzle-orm';
import { incidents, rounds } from '@concord/db';
import type { ServiceContext } from '../context.ts';

export function projectRounds({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<{ id: string; name: string }[]> {
  return ctx.db.select({ id: rounds.id, name: rounds.name }).from(rounds).where(eq(rounds.projectId, projectId)).orderBy(asc(rounds.createdAt), asc(rounds.id));
}

export function projectIncidents({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<{ id: string; name: string }[]> {
  return ctx.db
    .select({ id: incidents.id, name: incidents.name })
    .from(incidents)
    .where(eq(incidents.projectId, projectId))
    .orderBy(asc(incidents.createdAt), asc(incidents.name));
}
