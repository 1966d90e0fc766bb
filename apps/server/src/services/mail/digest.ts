/**
 * The daily digest for the people who review (roles with `adjudications.write`: owners and
 * editors): per project, the items awaiting review (items with an undecided disagreement, and
 * single-coded items of review rounds in the review queue) and the disagreements that are new
 * since their previous digest. Each recipient's numbers come from `listDisagreements` and
 * `listReviewQueue` asked as that recipient, so authz and the blind rules (SECURITY.md rule 4:
 * revealed items only) decide what a digest may count; it names item titles, never values.
 * Scheduling and the one-sender lock are in digest-schedule.ts.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { items, projectMembers, projects, users } from '@concord/db';
import type { DigestRun } from '@concord/shared';
import { can } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { listDisagreements } from '../disagreements/list-disagreements.ts';
import { listReviewQueue } from '../review/review-queue.ts';
import { digestMail, type DigestProject } from './messages.ts';
import { ACCOUNT_PATH } from './on-events.ts';
import { digestSentAt, markDigestSent, preferencesOf } from './preferences.ts';
import type { Mailer } from './transport.ts';

/** A first digest reports the last day. */
const FIRST_WINDOW_MS = 24 * 3600_000;
/** Items named per project; the rest are behind the inbox link. */
const EXAMPLES_PER_PROJECT = 5;
/** The inbox's largest page: a digest counts at most this many disagreements per project. */
const MAX_DISAGREEMENTS = 5000;

/** Sends every reviewer their digest now (`ctx`: a server context, no actor). */
export async function sendDigests({ ctx, mailer, options = {} }: { ctx: ServiceContext; mailer: Mailer; options?: { now?: Date } }): Promise<DigestRun> {
  const run: DigestRun = { sent: 0, skipped: 0, failed: 0 };
  const now = options.now ?? new Date();
  const memberships = await ctx.db
    .select({ userId: projectMembers.userId, role: projectMembers.role, projectId: projectMembers.projectId, projectName: projects.name, email: users.email, pending: users.pending })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .innerJoin(users, eq(users.id, projectMembers.userId));
  const reviewers = new Map<string, { email: string; projects: { id: string; name: string }[] }>();
  for (const m of memberships) {
    if (m.pending || !can(m.role, 'adjudications.write')) continue;
    const entry = reviewers.get(m.userId) ?? { email: m.email, projects: [] };
    entry.projects.push({ id: m.projectId, name: m.projectName });
    reviewers.set(m.userId, entry);
  }
  const prefs = await preferencesOf({ ctx, userIds: [...reviewers.keys()] });
  for (const [userId, reviewer] of reviewers) {
    if (!mailer.enabled || !prefs.get(userId)?.digest) {
      run.skipped++;
      continue;
    }
    const since = (await digestSentAt({ ctx, userId })) ?? new Date(now.getTime() - FIRST_WINDOW_MS);
    const asReviewer: ServiceContext = { ...ctx, actor: { userId, isAdmin: false } };
    const sections: DigestProject[] = [];
    for (const project of reviewer.projects) {
      const section = await projectSection(asReviewer, mailer, project, since);
      if (section) sections.push(section);
    }
    if (!sections.length) {
      run.skipped++;
      continue;
    }
    const mail = digestMail({ to: reviewer.email, projects: sections, since: since.toISOString(), settingsLink: mailer.link(ACCOUNT_PATH) });
    if (await mailer.send('digest', mail, { userId })) {
      await markDigestSent({ ctx, userId, at: now });
      run.sent++;
    } else run.failed++;
  }
  return run;
}

async function projectSection(ctx: ServiceContext, mailer: Mailer, project: { id: string; name: string }, since: Date): Promise<DigestProject | null> {
  const { disagreements } = await listDisagreements({ ctx, projectId: project.id, query: { status: 'open', limit: MAX_DISAGREEMENTS, offset: 0, group: 'none' } });
  const review = await listReviewQueue({ ctx, projectId: project.id, query: { status: 'pending' } });
  if (!disagreements.length && !review.total) return null;
  const itemIds = [...new Set(disagreements.map((d) => d.itemId))];
  const revealed = itemIds.length
    ? await ctx.db
        .select({ id: items.id, revealedAt: items.revealedAt })
        .from(items)
        .where(and(eq(items.projectId, project.id), inArray(items.id, itemIds), isNotNull(items.revealedAt)))
    : [];
  const newItems = new Set(revealed.filter((r) => r.revealedAt! > since).map((r) => r.id));
  // Most severe disagreement first (the inbox's order): each item once, linked to its most
  // severe field; then the review queue's items in its order.
  const examples: DigestProject['examples'] = [];
  const named = new Set<string>();
  for (const d of disagreements) {
    if (examples.length === EXAMPLES_PER_PROJECT) break;
    if (named.has(d.itemId)) continue;
    named.add(d.itemId);
    examples.push({ title: d.title, link: mailer.link(`/projects/${project.id}/disagreements/${d.itemId}/${encodeURIComponent(d.fieldKey)}`) });
  }
  for (const e of review.entries.slice(0, EXAMPLES_PER_PROJECT - examples.length)) {
    examples.push({ title: e.title, link: mailer.link(`/projects/${project.id}/review/${e.itemId}`) });
  }
  return {
    name: project.name,
    link: mailer.link(`/projects/${project.id}/disagreements`),
    awaitingReview: itemIds.length + review.total,
    inReviewRounds: review.total ? { count: review.total, link: mailer.link(`/projects/${project.id}/review`) } : null,
    newDisagreements: disagreements.filter((d) => newItems.has(d.itemId)).length,
    examples,
  };
}
