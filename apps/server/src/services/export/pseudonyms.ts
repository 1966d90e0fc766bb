/**
 * Coders are named by pseudonym in every export and report: `C1`, `C2`… per project
 * (SECURITY.md, "Exports name people by pseudonym"). The seed study withholds its team's
 * names for their safety, and a file that leaves Concord cannot be taken back.
 *
 * Numbers are handed out the first time an export or report needs them: first to everyone
 * who has coded in the project, in the order of their first coding (then email, for codings
 * made in the same instant, as the demo's), then to the other members in the order they
 * joined (decisions and comments name them too). A row is never renumbered, so a pseudonym
 * stays the same across calls, later coders and removals. This is bookkeeping, not a change
 * to the study's data: it is not audited. The owner downloads the key (`coderKey`); a project
 * setting (`showCoderNames`) makes the files use display names instead.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { memberHandles, renameMentions } from '@concord/shared';
import { coderPseudonyms, projectMembers, projects, users } from '@concord/db';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { csvTable, type CsvText } from './csv.ts';

/** Concurrent first exports may race for the same number; each pass assigns what the others left. */
const ASSIGN_PASSES = 3;

async function assignMissing(ctx: ServiceContext, projectId: string): Promise<void> {
  for (let pass = 0; pass < ASSIGN_PASSES; pass++) {
    // One statement: candidates in order, numbered after the highest number in use. A race
    // on a number loses its row to ON CONFLICT and is picked up by the next pass.
    const result = await ctx.db.execute(sql`
      insert into coder_pseudonyms (project_id, user_id, number)
      select ${projectId}, c.user_id,
             coalesce((select max(number) from coder_pseudonyms where project_id = ${projectId}), 0)
               + row_number() over (order by c.coded, c.first_at, u.email)
      from (
        -- A coder's time is her first coding, not when she joined.
        select user_id, min(coded) as coded, coalesce(min(first_at) filter (where coded = 0), min(first_at)) as first_at from (
          select coder_id as user_id, 0 as coded, min(created_at) as first_at from codings where project_id = ${projectId} group by coder_id
          union all
          select user_id, 1 as coded, created_at as first_at from project_members where project_id = ${projectId}
        ) people group by user_id
      ) c
      join users u on u.id = c.user_id
      where not exists (select 1 from coder_pseudonyms p where p.project_id = ${projectId} and p.user_id = c.user_id)
      on conflict do nothing
      returning user_id`);
    const inserted = Array.isArray(result) ? result.length : ((result as { rows?: unknown[] }).rows?.length ?? 0);
    if (inserted === 0) return;
  }
}

export interface Person {
  userId: string;
  /** What the files show: `C3`, or the display name when the project shows names. */
  label: string;
  /** The pseudonym's number: the files' coder order. */
  number: number;
}

export interface CoderLabels {
  showNames: boolean;
  /** Everyone with a pseudonym, in pseudonym order. */
  people: Person[];
  /** The label of a user (a user without a pseudonym yet: `?`, which no export writes). */
  label(userId: string | null): string;
  /** Sort key: the pseudonym's number. */
  rank(userId: string): number;
}

/** Labels for the project's people, assigning pseudonyms first where missing. Callers authorize. */
export async function loadCoderLabels({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CoderLabels> {
  await assignMissing(ctx, projectId);
  const [project] = await ctx.db.select({ showNames: projects.showCoderNames }).from(projects).where(eq(projects.id, projectId));
  const showNames = project?.showNames ?? false;
  const rows = await ctx.db
    .select({ userId: coderPseudonyms.userId, number: coderPseudonyms.number, name: users.name, email: users.email })
    .from(coderPseudonyms)
    .innerJoin(users, eq(users.id, coderPseudonyms.userId))
    .where(eq(coderPseudonyms.projectId, projectId))
    .orderBy(asc(coderPseudonyms.number));
  // Shown names must still tell people apart: a name two people share gets the pseudonym beside it.
  const nameCount = new Map<string, number>();
  for (const r of rows) nameCount.set(r.name || r.email, (nameCount.get(r.name || r.email) ?? 0) + 1);
  const people = rows.map((r) => {
    const pseudonym = `C${r.number}`;
    const name = r.name || r.email;
    return { userId: r.userId, number: r.number, label: !showNames ? pseudonym : nameCount.get(name)! > 1 ? `${name} (${pseudonym})` : name };
  });
  const byId = new Map(people.map((p) => [p.userId, p]));
  return {
    showNames,
    people,
    label: (userId) => (userId ? (byId.get(userId)?.label ?? '?') : ''),
    rank: (userId) => byId.get(userId)?.number ?? Number.MAX_SAFE_INTEGER,
  };
}

/** What a mention of a person without a pseudonym (removed before any export numbered her) becomes. */
export const FORMER_MEMBER = 'former-member';

/**
 * Free text as the files show it (comments, rationales): a mention of one of the project's
 * people (`@dana.k`, `@DanaCoder`: an email's local part or a display name, mentions.ts in
 * @concord/shared) becomes her label, `@C2`, unless the project shows names. The returned
 * function takes the comment's stored mentions (`mentioned`), which win a handle two people
 * share and name people no longer in the project; a handle that names nobody stays as written.
 * Names written without `@` are the writer's text and stay (SECURITY.md, Reviews).
 */
export async function mentionLabeller({ ctx, labels, mentioned }: {
  ctx: ServiceContext;
  labels: CoderLabels;
  mentioned: Iterable<string>;
}): Promise<(text: string, mentions?: readonly string[]) => string> {
  if (labels.showNames) return (text) => text;
  const ids = [...new Set([...labels.people.map((p) => p.userId), ...mentioned])];
  const rows = ids.length ? await ctx.db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids)) : [];
  const handlesOf = new Map(rows.map((r) => [r.id, memberHandles(r)]));
  const byHandle = new Map<string, string>();
  for (const p of labels.people) for (const h of handlesOf.get(p.userId) ?? []) if (!byHandle.has(h)) byHandle.set(h, p.userId);
  const labelOf = (id: string) => {
    const label = labels.label(id);
    return label === '?' ? FORMER_MEMBER : label;
  };
  return (text, mentions = []) =>
    renameMentions(text, (handle) => {
      const id = mentions.find((m) => handlesOf.get(m)?.includes(handle)) ?? byHandle.get(handle);
      return id === undefined ? undefined : labelOf(id);
    });
}

export const CODER_KEY_COLUMNS = ['pseudonym', 'user_id', 'name', 'email', 'role'] as const;

/** The key from pseudonym to person: the owner's download only (`export.key`). */
export async function exportCoderKeyCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  await authorize({ ctx, projectId, action: 'export.key' });
  await assignMissing(ctx, projectId);
  const rows = await ctx.db
    .select({ number: coderPseudonyms.number, userId: users.id, name: users.name, email: users.email, role: projectMembers.role })
    .from(coderPseudonyms)
    .innerJoin(users, eq(users.id, coderPseudonyms.userId))
    // A pseudonym outlives the membership: a removed member's row has no role.
    .leftJoin(projectMembers, and(eq(projectMembers.projectId, coderPseudonyms.projectId), eq(projectMembers.userId, coderPseudonyms.userId)))
    .where(eq(coderPseudonyms.projectId, projectId))
    .orderBy(asc(coderPseudonyms.number));
  return csvTable(CODER_KEY_COLUMNS, rows.map((r) => [`C${r.number}`, r.userId, r.name, r.email, r.role ?? 'removed']));
}
