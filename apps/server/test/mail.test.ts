/**
 * Mail by SMTP against a real SMTP server process (smtp-server on port 0, test/smtp.ts):
 * invitations whose mailed link works, password reset by mail end to end, mentions only where
 * the recipient may read the comment, preferences, the digest, and a dead SMTP server that
 * costs the request nothing (logged once, counted in /metrics).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, passwordResets } from '@concord/db';
import type { DigestRun, InviteResult, MailPreferences, Role } from '@concord/shared';
import { createLogger } from '../src/logger.ts';
import { addItem, addToProject, assignRound, codeItem, createHarness, createProjectFixture, createTeamHarness, json, loginCookie, PASSWORD, signUp, signUpTeam, uniqueEmail, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { revealedDisagreement } from './mail-fixtures.ts';
import { linkIn, startTestSmtp, type TestSmtp } from './smtp.ts';
import { eventually } from './testing.ts';

const PUBLIC_URL = 'http://concord.test';
const NEW_PASSWORD = 'a brand new passphrase';

let smtp: TestSmtp;
let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  smtp = await startTestSmtp();
  ({ h, members } = await createTeamHarness([], { smtp: { url: smtp.url, from: 'Concord <concord@test.concord>' }, publicUrl: PUBLIC_URL }));
});
afterAll(async () => {
  await h.close();
  await smtp.close();
});

/** Every mail of the committed changes so far has been handed to the SMTP server (or failed). */
const mailsSettled = () => h.deps.events.idle();
const local = (s: Session) => s.email.split('@')[0]!;
const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;

describe('invitation mail', () => {
  it('mails the one-time link to the invitee, and that link makes the membership', async () => {
    const project = await json<{ id: string; name: string }>(await h.request(members.owner, 'POST', '/api/projects', { name: 'Mailed invitations' }));
    const email = uniqueEmail('invitee');
    const res = await h.request(members.owner, 'POST', `/api/projects/${project.id}/members`, { email, role: 'coder' });
    expect(res.status).toBe(201);
    const { invitation } = await json<InviteResult>(res);
    expect(invitation.mailed).toBe(true);

    const mail = await smtp.waitFor(email);
    expect(mail.from).toBe('concord@test.concord');
    expect(mail.subject).toBe('Invitation to Mailed invitations on Concord');
    expect(mail.text).toContain('as coder');
    const link = linkIn(mail, '/invite/');
    expect(link).toBe(`${PUBLIC_URL}${invitation.path}`);

    const token = link.split('/invite/')[1]!;
    const accepted = await h.request(null, 'POST', `/api/invites/${token}/accept`, { password: NEW_PASSWORD, name: 'Invitee' });
    expect(accepted.status).toBe(200);
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    const asInvitee: Session = { userId: '', email, cookie };
    expect((await h.request(asInvitee, 'GET', `/api/projects/${project.id}`)).status).toBe(200);
  });

  it('mails nothing for an invitation that was refused (the transaction rolled back)', async () => {
    const project = await json<{ id: string }>(await h.request(members.owner, 'POST', '/api/projects', { name: 'Refused invitation' }));
    await addToProject(h, members.owner, project.id, members.editor, 'editor');
    const res = await h.request(members.owner, 'POST', `/api/projects/${project.id}/members`, { email: members.editor.email, role: 'coder' });
    expect(res.status).toBe(409);
    await mailsSettled();
    expect(smtp.to(members.editor.email).filter((m) => m.subject.startsWith('Invitation'))).toEqual([]);
  });

  it('shows the link without mailing it when SMTP_URL is unset', async () => {
    const plain = await createHarness();
    try {
      const owner = await signUp(plain, 'owner');
      const project = await json<{ id: string }>(await plain.request(owner, 'POST', '/api/projects', { name: 'No mail' }));
      const { invitation } = await json<InviteResult>(await plain.request(owner, 'POST', `/api/projects/${project.id}/members`, { email: uniqueEmail('x'), role: 'coder' }));
      expect(invitation.mailed).toBe(false);
      expect(invitation.path).toBe(`/invite/${invitation.token}`);
    } finally {
      await plain.close();
    }
  });
});

describe('password reset by mail', () => {
  it('answers the same for any email, mails a one-time link, and the link sets the password and ends the old sessions', async () => {
    const user = await signUp(h, 'forgetful');
    const unknown = uniqueEmail('nobody');
    const asked = await h.request(null, 'POST', '/api/auth/password-reset/request', { email: user.email.toUpperCase() });
    const askedUnknown = await h.request(null, 'POST', '/api/auth/password-reset/request', { email: unknown });
    expect([asked.status, askedUnknown.status]).toEqual([202, 202]);
    expect(await asked.text()).toBe(await askedUnknown.text());

    const mail = await smtp.waitFor(user.email);
    expect(mail.subject).toBe('Reset your Concord password');
    const link = linkIn(mail, '/reset-password/');
    expect(link.startsWith(`${PUBLIC_URL}/reset-password/`)).toBe(true);
    await mailsSettled();
    expect(smtp.to(unknown)).toEqual([]);
    // Asking again at once sends nothing more (one link per account per minute).
    await h.request(null, 'POST', '/api/auth/password-reset/request', { email: user.email });
    await mailsSettled();
    expect(smtp.to(user.email)).toHaveLength(1);

    const token = link.split('/reset-password/')[1]!;
    const tooShort = await h.request(null, 'POST', '/api/auth/password-reset', { token, password: 'short' });
    expect(tooShort.status).toBe(400);
    const reset = await h.request(null, 'POST', '/api/auth/password-reset', { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await json<{ user: { id: string } }>(reset)).user.id).toBe(user.userId);
    const cookie = reset.headers.get('set-cookie')!.split(';')[0]!;
    expect((await h.request({ ...user, cookie }, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await h.request(user, 'GET', '/api/auth/me')).status).toBe(401);
    await expect(loginCookie(h, user.email, PASSWORD)).rejects.toThrow(/401/);
    expect(await loginCookie(h, user.email, NEW_PASSWORD)).toMatch(/^concord_session=/);

    const again = await h.request(null, 'POST', '/api/auth/password-reset', { token, password: 'yet another passphrase' });
    expect(again.status).toBe(410);
    expect((await json<{ error: { code: string } }>(again)).error.code).toBe('LINK_USED');
    const bogus = await h.request(null, 'POST', '/api/auth/password-reset', { token: 'not-a-token', password: NEW_PASSWORD });
    expect(bogus.status).toBe(404);
    const trail = await h.database.db.select().from(auditLog).where(eq(auditLog.entityId, user.userId)).orderBy(auditLog.id);
    expect(trail.map((e) => [e.entity, e.action, e.actorId])).toEqual([
      ['account', 'password-reset-link', null],
      ['account', 'password-reset', user.userId],
    ]);
  });

  it('refuses an expired link and mails nothing for an invited account that has no password yet', async () => {
    const user = await signUp(h, 'slow');
    await h.request(null, 'POST', '/api/auth/password-reset/request', { email: user.email });
    const token = linkIn(await smtp.waitFor(user.email), '/reset-password/').split('/reset-password/')[1]!;
    await h.database.db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.userId, user.userId));
    const expired = await h.request(null, 'POST', '/api/auth/password-reset', { token, password: NEW_PASSWORD });
    expect(expired.status).toBe(410);
    expect((await json<{ error: { code: string } }>(expired)).error.code).toBe('LINK_EXPIRED');
    expect(await loginCookie(h, user.email, PASSWORD)).toMatch(/^concord_session=/);

    const project = await json<{ id: string }>(await h.request(members.owner, 'POST', '/api/projects', { name: 'Pending' }));
    const pending = uniqueEmail('pending');
    await h.request(members.owner, 'POST', `/api/projects/${project.id}/members`, { email: pending, role: 'coder' });
    await smtp.waitFor(pending); // the invitation
    expect((await h.request(null, 'POST', '/api/auth/password-reset/request', { email: pending })).status).toBe(202);
    await mailsSettled();
    expect(smtp.to(pending).map((m) => m.subject)).toEqual([expect.stringMatching(/^Invitation/)]);
  });
});

describe('mention mail', () => {
  it('mails a mention only to members who may read the comment, and never against their preference', async () => {
    const coderB = await signUp(h, 'coderB');
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    // The item is independent: a coder's comment is private to her and to managers who do not code it.
    const blind = `@${local(coderB)} @${local(members.editor)} I read it as security, you?`;
    expect((await h.request(members.coder, 'POST', `${base(f)}/items/${f.itemId}/comments`, { body: blind, fieldKey: 'frame' })).status).toBe(201);
    const toEditor = await smtp.waitFor(members.editor.email);
    expect(toEditor.subject).toMatch(/^coder mentioned you in Project prj_/);
    expect(toEditor.text).toContain(blind);
    expect(toEditor.text).toContain('(field Frame)');
    expect(linkIn(toEditor, '/items/')).toBe(`${PUBLIC_URL}/projects/${f.projectId}/items/${f.itemId}`);
    await mailsSettled();
    expect(smtp.to(coderB.email)).toEqual([]);

    // The editor's comment is visible to every member: the coder hears of it.
    const open = `@${local(members.coder)} please check the codebook note on frames.`;
    await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/comments`, { body: open, fieldKey: null });
    expect((await smtp.waitFor(members.coder.email)).text).toContain(open);

    // Mentions off: nothing more for the coder.
    const prefs = await h.request(members.coder, 'PUT', '/api/auth/mail-preferences', { mentions: false });
    expect(await json<MailPreferences>(prefs)).toEqual({ mentions: false, digest: true });
    expect(await json<MailPreferences>(await h.request(members.coder, 'GET', '/api/auth/mail-preferences'))).toEqual({ mentions: false, digest: true });
    await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/comments`, { body: `@${local(members.coder)} again`, fieldKey: null });
    await mailsSettled();
    expect(smtp.to(members.coder.email)).toHaveLength(1);
    await h.request(members.coder, 'PUT', '/api/auth/mail-preferences', { mentions: true });
  });

  it('refuses bad preferences with 400 and anonymous callers with 401', async () => {
    expect((await h.request(members.coder, 'PUT', '/api/auth/mail-preferences', { mentions: 'yes' })).status).toBe(400);
    expect((await h.request(null, 'GET', '/api/auth/mail-preferences')).status).toBe(401);
  });
});

describe('daily digest', () => {
  it("tells each reviewer of open disagreements by item title, never values; admins trigger it; the preference turns it off", async () => {
    const { team, coderB, f } = await revealedDisagreement(h);
    const admin = await signUp(h, 'admin', { isAdmin: true });
    expect((await h.request(team.editor, 'POST', '/api/admin/mail/digest')).status).toBe(403);
    expect((await h.request(null, 'POST', '/api/admin/mail/digest')).status).toBe(401);

    const first = await json<DigestRun>(await h.request(admin, 'POST', '/api/admin/mail/digest'));
    expect(first.failed).toBe(0);
    const digest = await smtp.waitFor(team.editor.email);
    expect(digest.subject).toBe('Concord digest: 1 item(s) awaiting review');
    expect(digest.text).toContain('1 item(s) awaiting review, 2 new disagreement(s)');
    expect(digest.text).toContain(`- A post about the arrest: ${PUBLIC_URL}/projects/${f.projectId}/disagreements/${f.itemId}/frame`);
    for (const value of ['security', 'leader']) expect(digest.text).not.toContain(value);
    expect(smtp.to(team.owner.email)).toHaveLength(1);
    for (const s of [team.methodologist, team.coder, coderB]) expect(smtp.to(s.email)).toEqual([]);

    // Nothing new since: still awaiting review, no new disagreement.
    await h.request(admin, 'POST', '/api/admin/mail/digest');
    expect(smtp.to(team.editor.email).at(-1)!.text).toContain('1 item(s) awaiting review, 0 new disagreement(s)');
    expect(await json(await h.request(team.editor, 'PUT', '/api/auth/mail-preferences', { digest: false }))).toEqual({ mentions: true, digest: false });
    await h.request(admin, 'POST', '/api/admin/mail/digest');
    expect(smtp.to(team.editor.email)).toHaveLength(2);
    expect(smtp.to(team.owner.email)).toHaveLength(3);
  });

  it('counts the review queue: a single-coded item of a review round awaits review, by title and link, until every field is reviewed', async () => {
    const team = await signUpTeam(h);
    const f = await createProjectFixture(h, team);
    const admin = await signUp(h, 'admin', { isAdmin: true });
    const itemId = await addItem(h, team.owner, f.projectId, { title: 'A post for the review round' });
    await assignRound(h, team.owner, f.projectId, [itemId], [team.coder], { roundName: 'review round', type: 'review' });
    await codeItem(h, f.projectId, itemId, team.coder, { frame: 'security', impact: -1 });

    await h.request(admin, 'POST', '/api/admin/mail/digest');
    const digest = await smtp.waitFor(team.editor.email);
    expect(digest.subject).toBe('Concord digest: 1 item(s) awaiting review');
    expect(digest.text).toContain('1 item(s) awaiting review, 0 new disagreement(s)');
    expect(digest.text).toContain(`1 of them single-coded in review rounds: ${PUBLIC_URL}/projects/${f.projectId}/review`);
    expect(digest.text).toContain(`- A post for the review round: ${PUBLIC_URL}/projects/${f.projectId}/review/${itemId}`);
    expect(digest.text).not.toContain('security');

    // Reviewed field by field, it leaves the digest: nothing awaits review, no mail.
    for (const key of ['frame', 'impact', 'notes']) {
      expect((await h.request(team.editor, 'PUT', `${base(f)}/items/${itemId}/review/${key}`, { action: 'accept' })).status).toBe(200);
    }
    const sent = smtp.to(team.editor.email).length;
    expect(await json<DigestRun>(await h.request(admin, 'POST', '/api/admin/mail/digest'))).toMatchObject({ failed: 0 });
    expect(smtp.to(team.editor.email)).toHaveLength(sent);
  });
});

describe('SMTP down', () => {
  it('answers without waiting for the mail while the SMTP server accepts connections but never speaks', async () => {
    const held = new Set<Socket>();
    let closed = 0;
    const silent = createServer((socket) => {
      held.add(socket);
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as AddressInfo).port;
    const slow = await createHarness({ smtp: { url: `smtp://127.0.0.1:${port}`, from: 'concord@test.concord' }, publicUrl: PUBLIC_URL });
    try {
      const owner = await signUp(slow, 'owner');
      const project = await json<{ id: string }>(await slow.request(owner, 'POST', '/api/projects', { name: 'Silent relay' }));
      const res = await slow.request(owner, 'POST', `/api/projects/${project.id}/members`, { email: uniqueEmail('waiting'), role: 'coder' });
      expect(res.status).toBe(201);
      // Had the answer waited for the mail, the sender would have given up on the silent relay
      // (greeting timeout) and closed its connection first: it is still open, or not yet made.
      expect(closed).toBe(0);
      // Then the mail goes to the relay and waits there for a greeting (up to 10 s), long after the answer.
      await eventually(() => expect(held.size).toBe(1));
    } finally {
      for (const socket of held) socket.destroy();
      await slow.close();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('still answers the request; the failure is logged once, without the address, and counted in /metrics', async () => {
    const dead = await startTestSmtp();
    await dead.close();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const down = await createHarness(
      { smtp: { url: dead.url, from: 'concord@test.concord' }, publicUrl: PUBLIC_URL, metricsToken: 'metrics-token-for-tests', logLevel: 'warn' },
      { logger: createLogger({ logLevel: 'warn' }, sink) },
    );
    try {
      const owner = await signUp(down, 'owner');
      const project = await json<{ id: string }>(await down.request(owner, 'POST', '/api/projects', { name: 'Dead relay' }));
      const email = uniqueEmail('unlucky');
      const res = await down.request(owner, 'POST', `/api/projects/${project.id}/members`, { email, role: 'coder' });
      expect(res.status).toBe(201);
      expect((await json<InviteResult>(res)).invitation.token).toBeTruthy();
      expect((await down.request(null, 'POST', '/api/auth/password-reset/request', { email: owner.email })).status).toBe(202);
      await down.deps.events.idle();
      const failures = lines.filter((l) => l.includes('mail not sent'));
      expect(failures).toHaveLength(2);
      expect(JSON.parse(failures[0]!)).toMatchObject({ kind: 'invitation', projectId: project.id, code: expect.any(String) });
      for (const l of failures) expect(l).not.toContain(email);
      const metrics = await (await down.request(null, 'GET', '/metrics', undefined, { authorization: 'Bearer metrics-token-for-tests' })).text();
      expect(metrics).toContain('concord_mail_failures_total{kind="invitation"} 1');
      expect(metrics).toContain('concord_mail_failures_total{kind="password-reset"} 1');
    } finally {
      await down.close();
    }
  });
});
