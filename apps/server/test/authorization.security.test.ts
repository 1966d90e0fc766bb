/**
 * The shared authorization matrix: every project route x (anonymous, non-member,
 * coder, editor, methodologist, owner). Anonymous gets 401, a non-member 404 (a
 * project's existence is private), a member whose role lacks the action 403.
 * A route missing from the matrix fails the last test. Also: an account whose invitation to
 * the project is pending is a non-member (404), a session that ended is anonymous (401), an
 * account that owes a password change is refused everywhere (403 PASSWORD_CHANGE_REQUIRED),
 * and another project's member or invitation ids are unknown here (404). The owner's personal
 * access tokens (tokens.security.test.ts) get what her session gets on reads, exports only with
 * `read-export`, and 403 TOKEN_SCOPE on every write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '@concord/db';
import { ROLES, TOKEN_SCOPES, type CreatedToken, type InviteResult, type Role, type TokenScope } from '@concord/shared';
import { addToProject, createProjectFixture, createTeamHarness, json, signUp, uniqueEmail, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { CASES, pathOf, type RouteCase } from './authorization-routes.ts';

let h: Harness;
let members: Record<Role, Session>;
let stranger: Session;
/** Invited to every fixture project, never accepted. */
let pendingInvitee: Session;
/** Signed out: the cookie of a session that ended. */
let endedSession: Session;
/** An owner of every fixture project whose password was generated (must change it first). */
let mustChange: Session;
/** The owner's personal access tokens, by scope. */
const ownerTokens: Record<TokenScope, string> = { read: '', 'read-export': '' };
/** The pending invitation of each fixture project (the one of pendingInvitee). */
const invitationOf = new Map<string, string>();

beforeAll(async () => {
  ({ h, members, others: { stranger, 'pending-invitee': pendingInvitee, ended: endedSession } } = await createTeamHarness(['stranger', 'pending-invitee', 'ended']));
  expect((await h.request(endedSession, 'POST', '/api/auth/logout')).status).toBe(200);
  mustChange = await signUp(h, 'must-change');
  await h.deps.database.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, mustChange.userId));
  for (const scope of TOKEN_SCOPES) {
    ownerTokens[scope] = (await json<CreatedToken>(await h.request(members.owner, 'POST', '/api/auth/tokens', { name: scope, scope }))).secret;
  }
});
afterAll(() => h.close());

/** A fresh project in the state the route needs: the coder has coded the required fields (so a permitted submit succeeds), then the case's setup. */
async function prepare(c: RouteCase): Promise<ProjectFixture> {
  const f = await createProjectFixture(h, members);
  await addToProject(h, members.owner, f.projectId, mustChange, 'owner');
  const invited = await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/members`, { email: pendingInvitee.email, role: 'owner' });
  invitationOf.set(f.projectId, (await json<InviteResult>(invited)).invitation.id);
  const saved = await h.request(members.coder, 'PUT', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`, { values: { frame: 'security', impact: -2 } });
  if (saved.status !== 200) throw new Error(`save failed: ${saved.status} ${await saved.text()}`);
  await c.setup?.(f, h);
  return f;
}

function call(c: RouteCase, who: Session | null, f: ProjectFixture, headers: Record<string, string> = {}) {
  return h.request(who, c.method, pathOf(c, f, invitationOf.get(f.projectId)), c.body?.(f), { ...(c.contentType ? { 'content-type': c.contentType } : {}), ...headers });
}

/**
 * What `read-export` reads: the project itself, its exports and charts (`export.read`), not the pseudonym key
 * (`export.key`); the narrative workbench and its files are the final dataset's data (`export.read`) too.
 */
const isExportRead = (c: RouteCase) =>
  c.method === 'GET' &&
  (c.template === '/api/projects/{projectId}' || /\/workbench(\.md|\.csv)?$/.test(c.template) || (/\/(export|charts)\//.test(c.template) && !c.template.endsWith('/coder-key.csv')));

describe.each(CASES)('$method $template', (c) => {
  // A refused call changes nothing, so the refusals of a route share one project (a call
  // that wrongly succeeds fails its own test), and so do its permitted reads; each permitted
  // write gets a fresh one, since it may change or delete it. (A fixture is a dozen writes: the
  // permitted reads' own fixtures were a third of this file's time.)
  let shared: Promise<ProjectFixture> | undefined;
  const refusalFixture = () => (shared ??= prepare(c));
  const permittedFixture = () => (c.method === 'GET' ? refusalFixture() : prepare(c));

  it('refuses anonymous callers with 401', async () => {
    const res = await call(c, null, await refusalFixture());
    expect(res.status).toBe(401);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('UNAUTHENTICATED');
  });

  it('answers non-members with 404, hiding the project', async () => {
    const res = await call(c, stranger, await refusalFixture());
    expect(res.status).toBe(404);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('NOT_FOUND');
  });

  it('answers an account whose invitation is pending with 404, like any non-member', async () => {
    const res = await call(c, pendingInvitee, await refusalFixture());
    expect(res.status).toBe(404);
  });

  it('treats a session that ended as anonymous (401)', async () => {
    const res = await call(c, endedSession, await refusalFixture());
    expect(res.status).toBe(401);
  });

  it('refuses an owner who must change a generated password with 403 PASSWORD_CHANGE_REQUIRED', async () => {
    const res = await call(c, mustChange, await refusalFixture());
    expect(res.status).toBe(403);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it.each(TOKEN_SCOPES)("with the owner's %s token: her reads, never a write", async (scope) => {
    const res = await call(c, null, await refusalFixture(), { authorization: `Bearer ${ownerTokens[scope]}` });
    const body = await res.clone().text();
    if (c.method !== 'GET' || (scope === 'read-export' && !isExportRead(c))) {
      expect(res.status, body).toBe(403);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('TOKEN_SCOPE');
    } else if (c.allowed.includes('owner')) expect(res.status, body).toBe(c.ok);
    else expect(res.status, body).toBe(403);
  });

  it.each(ROLES)('as %s', async (role) => {
    const allowed = c.allowed.includes(role);
    const res = await call(c, members[role], allowed ? await permittedFixture() : await refusalFixture());
    if (allowed) expect(res.status, await res.clone().text()).toBe(c.ok);
    else {
      expect(res.status).toBe(403);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('FORBIDDEN');
    }
  });
});

describe('foreign ids in members and invitations', () => {
  it("refuses to change, remove or revoke another project's members and invitations through this project", async () => {
    const mine = await prepare(CASES[0]!);
    const theirs = await json<{ id: string }>(await h.request(stranger, 'POST', '/api/projects', { name: 'Elsewhere' }));
    const outsider = await signUp(h, 'their-member');
    await addToProject(h, stranger, theirs.id, outsider, 'editor');
    const theirInvite = await json<InviteResult>(await h.request(stranger, 'POST', `/api/projects/${theirs.id}/members`, { email: uniqueEmail('their'), role: 'coder' }));
    const base = `/api/projects/${mine.projectId}`;
    expect((await h.request(members.owner, 'PATCH', `${base}/members/${outsider.userId}`, { role: 'coder' })).status).toBe(404);
    expect((await h.request(members.owner, 'DELETE', `${base}/members/${outsider.userId}`)).status).toBe(404);
    expect((await h.request(members.owner, 'DELETE', `${base}/invitations/${theirInvite.invitation.id}`)).status).toBe(404);
    expect((await h.request(null, 'GET', `/api/invites/${theirInvite.invitation.token}`)).status).toBe(200);
    const listed = await json<{ email: string }[]>(await h.request(members.owner, 'GET', `${base}/invitations`));
    expect(listed.map((i) => i.email)).toEqual([pendingInvitee.email]);
  });
});

describe('matrix coverage', () => {
  it('covers every project route in the OpenAPI document', async () => {
    const doc = (await (await h.request(null, 'GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/projects/{projectId}'))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const covered = CASES.map((c) => `${c.method} ${c.template}`).sort();
    expect(covered).toEqual(documented);
  });
});
