/**
 * Domain events -> mails: invitation links, password-reset links and mentions. Runs as an
 * event-bus subscriber, so every mail leaves after its transaction committed and after the
 * request answered; a slow or dead SMTP server costs the request nothing (transport.ts).
 */
import { eq, inArray } from 'drizzle-orm';
import { invites, projects, users } from '@concord/db';
import type { Comment } from '@concord/shared';
import { audienceOf, inAudience } from '../authz.ts';
import { resetPath } from '../auth/password-reset-link.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { commentAudienceFacts } from '../comments/comment-audience-facts.ts';
import type { ServiceContext } from '../context.ts';
import type { DomainEvent } from '../events.ts';
import { loadItem } from '../items/items.ts';
import { invitePath } from '../projects/invitations.ts';
import { invitationMail, mentionMail, passwordResetMail } from './messages.ts';
import { preferencesOf } from './preferences.ts';
import type { Mailer } from './transport.ts';

export const ACCOUNT_PATH = '/account';

/** The handler to subscribe to the domain events; `ctx` is a server context (no actor). */
export function mailOnEvents({ ctx, mailer }: { ctx: ServiceContext; mailer: Mailer }): (event: DomainEvent) => Promise<void> {
  return async (event) => {
    if (!mailer.enabled) return;
    switch (event.type) {
      case 'invitation.created': {
        const [project] = await ctx.db.select({ name: projects.name }).from(projects).where(eq(projects.id, event.projectId));
        const [inviter] = event.inviterId ? await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, event.inviterId)) : [];
        const role = await inviteRole(ctx, event.invitationId);
        if (!project || !role) return; // withdrawn or the project deleted meanwhile
        const mail = invitationMail({ to: event.email, projectName: project.name, role, inviterName: inviter?.name ?? null, link: mailer.link(invitePath(event.token)), expiresAt: event.expiresAt });
        await mailer.send('invitation', mail, { projectId: event.projectId, invitationId: event.invitationId, userId: event.userId });
        return;
      }
      case 'passwordReset.requested': {
        const mail = passwordResetMail({ to: event.email, link: mailer.link(resetPath(event.token)), expiresAt: event.expiresAt });
        await mailer.send('password-reset', mail, { userId: event.userId });
        return;
      }
      case 'comment.added':
        await mailMentions(ctx, mailer, event.projectId, event.itemId, event.comment);
        return;
      default:
        return;
    }
  };
}

/** The invitation's role; null when it was withdrawn or replaced before its mail went out. */
async function inviteRole(ctx: ServiceContext, invitationId: string) {
  const [row] = await ctx.db.select({ role: invites.role }).from(invites).where(eq(invites.id, invitationId));
  return row?.role ?? null;
}

/**
 * Mails each mentioned member who may read the comment now (the rule of its live delivery:
 * SECURITY.md rule 3, decided with the item's phase at this moment) and wants mention mails.
 * A member who may not read it gets nothing at all: even "you were mentioned" would tell a
 * coder that another coder of the item wrote something while it is coded blind.
 */
async function mailMentions(ctx: ServiceContext, mailer: Mailer, projectId: string, itemId: string, comment: Comment): Promise<void> {
  const mentioned = comment.mentions.filter((id) => id !== comment.authorId);
  if (!mentioned.length) return;
  const facts = await commentAudienceFacts({ ctx, projectId, itemId });
  const audience = audienceOf('comment:added', { projectId, itemId, comment }, facts);
  const prefs = await preferencesOf({ ctx, userIds: mentioned });
  const recipients = facts.members.filter((m) => mentioned.includes(m.userId) && inAudience(audience, m) && prefs.get(m.userId)?.mentions);
  if (!recipients.length) return;
  const [project] = await ctx.db.select({ name: projects.name }).from(projects).where(eq(projects.id, projectId));
  const item = await loadItem({ ctx, projectId, itemId });
  const field = comment.fieldKey ? (await loadCodebook({ ctx, projectId })).fields.find((f) => f.key === comment.fieldKey) : undefined;
  const people = await ctx.db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, recipients.map((r) => r.userId)));
  for (const person of people) {
    const mail = mentionMail({
      to: person.email,
      authorName: comment.authorName ?? 'Somebody',
      projectName: project?.name ?? projectId,
      itemTitle: item.title || itemId,
      fieldLabel: field?.label ?? comment.fieldKey,
      body: comment.body,
      link: mailer.link(`/projects/${projectId}/items/${itemId}`),
      settingsLink: mailer.link(ACCOUNT_PATH),
    });
    await mailer.send('mention', mail, { projectId, itemId, commentId: comment.id, userId: person.id });
  }
}
