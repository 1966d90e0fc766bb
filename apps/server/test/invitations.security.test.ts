/**
 * Invitations (issue 11, findings 1 and 2): inviting any email gives a pending invitation of
 * that one project and a one-time link, the same answer whether or not the email has an
 * account; no password is ever returned; a link activates only its own project's membership,
 * sets a password only for an account that has none, and never touches another project's
 * invitation. The attacks are performed against the real app.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invites } from '@concord/db';
import type { ErrorBody, Invitation, InviteInfo, InviteResult, Member, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, signUp, uniqueEmail, type Harness, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? null;
const as = (cookie: string, email = ''): Session => ({ userId: '', email, cookie });

async function invite(by: Session, projectId: string, email = uniqueEmail('invitee'), role: Role = 'coder') {
  const res = await h.request(by, 'POST', `/api/projects/${projectId}/members`, { email, role, name: 'Aigerim' });
  expect(res.status, await res.clone().text()).toBe(201);
  return { email, result: await json<InviteResult>(res) };
}

const memberEmails = async (by: Session, projectId: string) =>
  (await json<Member[]>(await h.request(by, 'GET', `/api/projects/${projectId}/members`))).map((m) => m.email);

describe('inviting', () => {
  it('gives a pending invitation and a link; the link sets the password, signs in and adds the membership, once', async () => {
    const f = await createProjectFixture(h, members);
    const { email, result } = await invite(members.owner, f.projectId);
    expect(result.invitation).toMatchObject({ email, role: 'coder', path: `/invite/${result.invitation.token}` });
    expect(result.invitation.token.length).toBeGreaterThanOrEqual(43); // 32 random bytes
    const token = result.invitation.token;

    // Pending: listed as an invitation, not a member.
    expect(await memberEmails(members.owner, f.projectId)).not.toContain(email);
    const pending = await json<Invitation[]>(await h.request(members.owner, 'GET', `/api/projects/${f.projectId}/invitations`));
    expect(pending.find((i) => i.email === email)).toMatchObject({ role: 'coder', expiresAt: result.invitation.expiresAt });

    const info = await h.request(null, 'GET', `/api/invites/${token}`);
    expect(await json<InviteInfo>(info)).toMatchObject({ email, projectId: f.projectId, role: 'coder', needsPassword: true });

    const accept = await h.request(null, 'POST', `/api/invites/${token}/accept`, { password: 'a new long password' });
    expect(accept.status, await accept.clone().text()).toBe(200);
    const cookie = cookieOf(accept)!;
    expect(cookie).toMatch(/^concord_session=/);
    expect(await json(await h.request(as(cookie), 'GET', '/api/auth/me'))).toMatchObject({ email, mustChangePassword: false });
    expect((await h.request(as(cookie), 'GET', `/api/projects/${f.projectId}`)).status).toBe(200);
    expect(await memberEmails(members.owner, f.projectId)).toContain(email);
    expect((await h.request(null, 'POST', '/api/auth/login', { email, password: 'a new long password' })).status).toBe(200);

    const again = await h.request(null, 'POST', `/api/invites/${token}/accept`, { password: 'another long password' });
    expect((await json<ErrorBody>(again)).error.code).toBe('LINK_USED');
    expect((await h.request(null, 'POST', '/api/auth/login', { email, password: 'another long password' })).status).toBe(401);
    const after = await json<Invitation[]>(await h.request(members.owner, 'GET', `/api/projects/${f.projectId}/invitations`));
    expect(after.map((i) => i.email)).not.toContain(email);
  });

  it('stores only the SHA-256 of the token, and audits the invitation and its use without it', async () => {
    const f = await createProjectFixture(h, members);
    const { result } = await invite(members.owner, f.projectId);
    const token = result.invitation.token;
    const [row] = await h.deps.database.db.select().from(invites).where(eq(invites.id, result.invitation.id));
    expect(row!.tokenHash).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(token);
    await h.request(null, 'POST', `/api/invites/${token}/accept`, { password: 'a new long password' });
    const entries = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, f.projectId), eq(auditLog.entity, 'invite')))
      .orderBy(asc(auditLog.id));
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ['create', members.owner.userId],
      ['accept', row!.userId],
    ]);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('refuses an expired link, an unknown one and a short password, leaving the password unset', async () => {
    const f = await createProjectFixture(h, members);
    const { email, result } = await invite(members.owner, f.projectId);
    const token = result.invitation.token;
    const short = await h.request(null, 'POST', `/api/invites/${token}/accept`, { password: 'short' });
    expect(short.status).toBe(400);
    expect((await h.request(null, 'GET', `/api/invites/${token}`)).status).toBe(200);
    await h.deps.database.db.update(invites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invites.id, result.invitation.id));
    const expired = await h.request(null, 'POST', `/api/invites/${token}/accept`, { password: 'a new long password' });
    expect((await json<ErrorBody>(expired)).error.code).toBe('LINK_EXPIRED');
    expect(cookieOf(expired)).toBeNull();
    expect((await h.request(null, 'POST', '/api/auth/login', { email, password: 'a new long password' })).status).toBe(401);
    expect((await h.request(null, 'POST', `/api/invites/${'x'.repeat(43)}/accept`, { password: 'a new long password' })).status).toBe(404);
  });

  it('re-inviting in the same project replaces that link; revoking withdraws it', async () => {
    const f = await createProjectFixture(h, members);
    const { email, result: first } = await invite(members.owner, f.projectId);
    const { result: second } = await invite(members.owner, f.projectId, email, 'editor');
    expect((await h.request(null, 'GET', `/api/invites/${first.invitation.token}`)).status).toBe(404);
    expect(await json<InviteInfo>(await h.request(null, 'GET', `/api/invites/${second.invitation.token}`))).toMatchObject({ role: 'editor' });
    const revoke = await h.request(members.owner, 'DELETE', `/api/projects/${f.projectId}/invitations/${second.invitation.id}`);
    expect(revoke.status).toBe(200);
    expect((await h.request(null, 'GET', `/api/invites/${second.invitation.token}`)).status).toBe(404);
  });

  it('lets only the owner invite, list and revoke; refuses an existing member', async () => {
    const f = await createProjectFixture(h, members);
    for (const role of ['methodologist', 'editor', 'coder'] as const) {
      expect((await h.request(members[role], 'POST', `/api/projects/${f.projectId}/members`, { email: uniqueEmail('nope'), role: 'coder' })).status).toBe(403);
      expect((await h.request(members[role], 'GET', `/api/projects/${f.projectId}/invitations`)).status).toBe(403);
    }
    const stranger = await signUp(h, 'stranger');
    expect((await h.request(stranger, 'POST', `/api/projects/${f.projectId}/members`, { email: uniqueEmail('nope'), role: 'coder' })).status).toBe(404);
    expect((await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/members`, { email: members.coder.email, role: 'coder' })).status).toBe(409);
  });

  it('an existing account accepts signed in as itself; the link alone does nothing', async () => {
    const f = await createProjectFixture(h, members);
    const someone = await signUp(h, 'existing');
    const { result } = await invite(members.owner, f.projectId, someone.email, 'editor');
    const token = result.invitation.token;
    // The inviting manager holds the link too: the account's own name is not shown through it.
    const info = await json<InviteInfo>(await h.request(null, 'GET', `/api/invites/${token}`));
    expect(info).toMatchObject({ needsPassword: false, name: '' });
    const anonymous = await h.request(null, 'POST', `/api/invites/${token}/accept`, { password: 'a takeover password' });
    expect(anonymous.status).toBe(401);
    expect(cookieOf(anonymous)).toBeNull();
    const wrongAccount = await h.request(members.coder, 'POST', `/api/invites/${token}/accept`, {});
    expect(wrongAccount.status).toBe(403);
    expect(await memberEmails(members.owner, f.projectId)).not.toContain(someone.email);
    const accepted = await h.request(someone, 'POST', `/api/invites/${token}/accept`, {});
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    const listed = await json<Member[]>(await h.request(members.owner, 'GET', `/api/projects/${f.projectId}/members`));
    expect(listed.find((m) => m.email === someone.email)?.role).toBe('editor');
  });
});

describe('finding 1: another project cannot take over an invited account', () => {
  it("a coder who invites the email A's owner invited holds only their own project; A's link still works", async () => {
    const a = await createProjectFixture(h, members);
    const { email: victim, result: ownerInvite } = await invite(members.owner, a.projectId, uniqueEmail('victim'), 'editor');

    // The attacker (a coder of A) creates project B and invites the same email.
    const b = await json<{ id: string }>(await h.request(members.coder, 'POST', '/api/projects', { name: 'Attacker project' }));
    const { result: attackerInvite } = await invite(members.coder, b.id, victim, 'owner');
    expect(attackerInvite.invitation.token).not.toBe(ownerInvite.invitation.token);
    // A's link is untouched.
    expect((await h.request(null, 'GET', `/api/invites/${ownerInvite.invitation.token}`)).status).toBe(200);

    // The attacker uses their link: it sets a password, and opens project B only.
    const taken = await h.request(null, 'POST', `/api/invites/${attackerInvite.invitation.token}/accept`, { password: 'attacker password' });
    expect(taken.status).toBe(200);
    const attacker = as(cookieOf(taken)!);
    expect((await h.request(attacker, 'GET', `/api/projects/${a.projectId}`)).status).toBe(404);
    expect((await h.request(attacker, 'GET', `/api/projects/${a.projectId}/items`)).status).toBe(404);
    expect((await json<{ id: string }[]>(await h.request(attacker, 'GET', '/api/projects'))).map((p) => p.id)).toEqual([b.id]);
    expect(await memberEmails(members.owner, a.projectId)).not.toContain(victim);
    // Nor can the attacker, signed in as that account, use A's link (they do not hold it; with
    // it, the only effect would be the membership A's owner meant for that account).
    const login = await h.request(null, 'POST', '/api/auth/login', { email: victim, password: 'attacker password' });
    expect((await h.request(as(cookieOf(login)!), 'GET', `/api/projects/${a.projectId}`)).status).toBe(404);

    // A's link now asks for the account's sign-in: it never sets or replaces the password.
    expect(await json<InviteInfo>(await h.request(null, 'GET', `/api/invites/${ownerInvite.invitation.token}`))).toMatchObject({ needsPassword: false });
    const reset = await h.request(null, 'POST', `/api/invites/${ownerInvite.invitation.token}/accept`, { password: 'a replaced password' });
    expect(reset.status).toBe(401);
    expect((await h.request(null, 'POST', '/api/auth/login', { email: victim, password: 'a replaced password' })).status).toBe(401);
    expect((await h.request(null, 'GET', `/api/invites/${ownerInvite.invitation.token}`)).status).toBe(200);
  });

  it("the victim's own link, used first, leaves the attacker's link unable to do anything to the account", async () => {
    const a = await createProjectFixture(h, members);
    const { email: victim, result: ownerInvite } = await invite(members.owner, a.projectId, uniqueEmail('victim'), 'editor');
    const b = await json<{ id: string }>(await h.request(members.coder, 'POST', '/api/projects', { name: 'Attacker project' }));
    const { result: attackerInvite } = await invite(members.coder, b.id, victim, 'owner');
    const accepted = await h.request(null, 'POST', `/api/invites/${ownerInvite.invitation.token}/accept`, { password: 'victim password' });
    expect(accepted.status).toBe(200);
    const attempt = await h.request(null, 'POST', `/api/invites/${attackerInvite.invitation.token}/accept`, { password: 'attacker password' });
    expect(attempt.status).toBe(401);
    expect(cookieOf(attempt)).toBeNull();
    expect((await h.request(null, 'POST', '/api/auth/login', { email: victim, password: 'attacker password' })).status).toBe(401);
    expect((await h.request(null, 'POST', '/api/auth/login', { email: victim, password: 'victim password' })).status).toBe(200);
  });
});

describe('finding 2: no manager ever holds credentials', () => {
  it('answers the same shape for an unknown, a pending and an active email, and returns no password', async () => {
    const f = await createProjectFixture(h, members);
    const other = await createProjectFixture(h, members);
    const pendingEmail = uniqueEmail('pending');
    await invite(members.owner, other.projectId, pendingEmail);
    const active = await signUp(h, 'active');
    const answers = [];
    for (const email of [uniqueEmail('unknown'), pendingEmail, active.email]) {
      const res = await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/members`, { email, role: 'coder' });
      expect(res.status).toBe(201);
      const body = (await res.json()) as Record<string, unknown>;
      expect(JSON.stringify(body)).not.toMatch(/password/i);
      answers.push(body);
    }
    // The keys and the types of the values, recursively: what tells the three apart, if anything.
    const shape = (v: unknown): unknown =>
      v && typeof v === 'object' ? Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, shape(x)]) : typeof v;
    expect(shape(answers[1])).toEqual(shape(answers[0]));
    expect(shape(answers[2])).toEqual(shape(answers[0]));
  });

  it('a second project adding the email gets nothing that opens the first', async () => {
    const a = await createProjectFixture(h, members);
    const { email, result: first } = await invite(members.owner, a.projectId);
    const accepted = await h.request(null, 'POST', `/api/invites/${first.invitation.token}/accept`, { password: 'the invitee password' });
    expect(accepted.status).toBe(200);
    // Project B (another owner) adds the same, now active, email.
    const b = await json<{ id: string }>(await h.request(members.editor, 'POST', '/api/projects', { name: 'Second project' }));
    const { result: second } = await invite(members.editor, b.id, email);
    const use = await h.request(null, 'POST', `/api/invites/${second.invitation.token}/accept`, { password: 'a manager password' });
    expect(use.status).toBe(401);
    expect((await h.request(null, 'POST', '/api/auth/login', { email, password: 'a manager password' })).status).toBe(401);
  });
});
