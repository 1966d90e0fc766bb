/**
 * What each mail says: pure functions from facts to a plain-text mail. No mail carries a
 * coded value; a mention carries the comment's text only because the sender checked that
 * the recipient may read it (on-events.ts).
 */
import type { Role } from '@concord/shared';
import type { OutgoingMail } from './transport.ts';

const SIGNATURE = '\n\n-- \nConcord. Choose which mails you get on your account page:';

const dateOf = (iso: string) => iso.slice(0, 16).replace('T', ' ') + ' UTC';

/** User text in a subject or a list line: one line, bounded. */
const oneLine = (text: string, max = 120) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function invitationMail(input: { to: string; projectName: string; role: Role; inviterName: string | null; link: string; expiresAt: string }): OutgoingMail {
  const who = input.inviterName ? `${oneLine(input.inviterName, 80)} invited you` : 'You are invited';
  return {
    to: input.to,
    subject: `Invitation to ${oneLine(input.projectName)} on Concord`,
    text:
      `${who} to join the project "${oneLine(input.projectName)}" on Concord as ${input.role}.\n\n` +
      `Open this link to accept (it works once, until ${dateOf(input.expiresAt)}):\n${input.link}\n\n` +
      'If you did not expect this invitation, ignore this mail: nothing happens unless the link is used.',
  };
}

export function passwordResetMail(input: { to: string; link: string; expiresAt: string }): OutgoingMail {
  return {
    to: input.to,
    subject: 'Reset your Concord password',
    text:
      `Somebody (we hope you) asked to reset the password of the Concord account ${input.to}.\n\n` +
      `Choose a new password with this link (it works once, until ${dateOf(input.expiresAt)}):\n${input.link}\n\n` +
      'If you did not ask for it, ignore this mail: your password stays as it is.',
  };
}

export function mentionMail(input: { to: string; authorName: string; projectName: string; itemTitle: string; fieldLabel: string | null; body: string; link: string; settingsLink: string }): OutgoingMail {
  const where = input.fieldLabel ? `"${oneLine(input.itemTitle)}" (field ${oneLine(input.fieldLabel, 80)})` : `"${oneLine(input.itemTitle)}"`;
  return {
    to: input.to,
    subject: `${oneLine(input.authorName, 80)} mentioned you in ${oneLine(input.projectName)}`,
    text: `${oneLine(input.authorName, 80)} mentioned you on ${where} in ${oneLine(input.projectName)}:\n\n${input.body}\n\nReply on Concord: ${input.link}${SIGNATURE} ${input.settingsLink}`,
  };
}

export interface DigestProject {
  name: string;
  link: string;
  /** Distinct items with at least one undecided disagreement, plus the review queue's items. */
  awaitingReview: number;
  /** Of those, the single-coded items of review rounds awaiting the editor's review (none: null). */
  inReviewRounds: { count: number; link: string } | null;
  /** Undecided disagreements on items revealed since the previous digest. */
  newDisagreements: number;
  /** A few of the items awaiting review, most severe first (titles only, never values). */
  examples: { title: string; link: string }[];
}

export function digestMail(input: { to: string; projects: DigestProject[]; since: string; settingsLink: string }): OutgoingMail {
  const total = input.projects.reduce((n, p) => n + p.awaitingReview, 0);
  const sections = input.projects.map((p) => {
    const lines = [`${oneLine(p.name)}: ${p.awaitingReview} item(s) awaiting review, ${p.newDisagreements} new disagreement(s)`, `  ${p.link}`];
    if (p.inReviewRounds) lines.push(`  ${p.inReviewRounds.count} of them single-coded in review rounds: ${p.inReviewRounds.link}`);
    for (const e of p.examples) lines.push(`  - ${oneLine(e.title)}: ${e.link}`);
    return lines.join('\n');
  });
  return {
    to: input.to,
    subject: `Concord digest: ${total} item(s) awaiting review`,
    text: `Since ${dateOf(input.since)}:\n\n${sections.join('\n\n')}${SIGNATURE} ${input.settingsLink}`,
  };
}
