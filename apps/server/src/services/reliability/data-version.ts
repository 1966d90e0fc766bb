/**
 * A fingerprint of everything reliability reads for a project: submitted codings, items
 * (phase, incident, deletion), assignments and rounds, incidents and the codebook. Any write
 * that can change a coefficient changes it, so a cached result is reused only while it is
 * equal. One statement of indexed aggregates; it is read in every process, so caches in
 * several server processes stay correct without messages between them.
 */
import { eq, sql } from 'drizzle-orm';
import { projects } from '@concord/db';
import type { ServiceContext } from '../context.ts';

/** Codebook fields are hashed by id: editing fields that have no codings rewrites them in place, with new ids. */
export async function reliabilityDataVersion({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<string> {
  const [row] = await ctx.db
    .select({
      version: sql<string>`concat_ws('|',
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(max(submitted_at)::text, '')
         from codings where project_id = ${projectId} and status = 'submitted'),
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') from items where project_id = ${projectId}),
      (select count(*) || ':' || coalesce(max(created_at)::text, '') || ':' || count(round_id) from assignments where project_id = ${projectId}),
      (select count(*) from rounds where project_id = ${projectId}),
      (select count(*) from incidents where project_id = ${projectId}),
      (select c.current_version || ':' || coalesce(md5(string_agg(f.id, ',' order by f.id)), '')
         from codebooks c
         join codebook_versions v on v.codebook_id = c.id and v.version = c.current_version
         left join codebook_fields f on f.version_id = v.id
        where c.project_id = ${projectId}
        group by c.current_version),
      (select count(*) || ':' || coalesce(max(u.updated_at)::text, '')
         from project_members m join users u on u.id = m.user_id where m.project_id = ${projectId})
    )`,
    })
    .from(projects)
    .where(eq(projects.id, projectId));
  return row?.version ?? '';
}
