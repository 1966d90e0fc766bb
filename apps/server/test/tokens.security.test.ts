/**
 * Personal access tokens (issue 14, item 10): named, scoped, expiring, revocable, stored hashed;
 * sent as `Authorization: Bearer`, they act as their owner through the same authorization as her
 * session, only read, never manage tokens or passwords, and die with a password change or
 * reset, a deleted account or their expiry. Blind coding holds for them as for the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { apiTokens, auditLog, passwordResets, users } from '@concord/db';
import { newId, TOKEN_PREFIX, type ApiToken, type Coding, type CreatedToken, type Project, type Role, type TokenScope, type ErrorBody } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, PASSWORD, signUp, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { hashToken } from '../src/services/auth/sessions.ts';
import { resetPassword } from '../src/services/auth/reset-password.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let stranger: Session;
let f: ProjectFixture;


async function createToken(who: Session, scope: TokenScope, extra: Record<string, unknown> = {}): Promise<CreatedToken> {
  const res = await h.request(who, 'POST', '/api/auth/tokens', { name: `${scope} for a script`, scope, ...extra });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<CreatedToken>(res);
}

/** A request with the token and no cookie, as a script sends it. */
const withToken = (secret: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  h.request(null, method, path, body, { authorization: `Bearer ${secret}`, ...headers });

async function expectError(res: Response, status: number, code: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect((JSON.parse(text) as ErrorBody).error.code).toBe(code);
}

const project = () => `/api/projects/${f.projectId}`;
const item = () => `${project()}/items/${f.itemId}`;

beforeAll(async () => {
  ({ h, members, others: { coderB, stranger } } = await createTeamHarness(['coderB', 'stranger']));
  f = await createProjectFixture(h, members, { extraCoders: [coderB] });
});
afterAll(() => h.close());

describe('creating and listing', () => {
  it('shows the secret once, lists the token without it, and stores only its hash', async () => {
    const created = await createToken(members.methodologist, 'read-export', { expiresInDays: 30 });
    expect(created.secret.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(created.secret.length).toBeGreaterThanOrEqual(TOKEN_PREFIX.length + 43);
    expect(created.token).toMatchObject({ name: 'read-export for a script', scope: 'read-export', lastUsedAt: null, start: created.secret.slice(0, TOKEN_PREFIX.length + 4) });
    const days = (Date.parse(created.token.expiresAt) - Date.parse(created.token.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 1);

    const listed = await json<ApiToken[]>(await h.request(members.methodologist, 'GET', '/api/auth/tokens'));
    expect(listed).toEqual([created.token]);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(TOKEN_PREFIX.length + 4));

    const [row] = await h.deps.database.db.select().from(apiTokens).where(eq(apiTokens.id, created.token.id));
    expect(row!.tokenHash).toBe(hashToken(created.secret));
    expect(Object.values(row!).map(String).some((v) => v.includes(created.secret.slice(TOKEN_PREFIX.length + 4)))).toBe(false);
  });

  it("lists only the caller's own tokens", async () => {
    const mine = await createToken(members.editor, 'read');
    const listed = await json<ApiToken[]>(await h.request(members.editor, 'GET', '/api/auth/tokens'));
    expect(listed.map((t) => t.id)).toEqual([mine.token.id]);
  });

  it('audits creation and revocation, with no secret in the log', async () => {
    const created = await createToken(members.owner, 'read');
    expect((await h.request(members.owner, 'DELETE', `/api/auth/tokens/${created.token.id}`)).status).toBe(200);
    const entries = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'token'), eq(auditLog.entityId, created.token.id)));
    expect(entries.map((e) => [e.action, e.actorId, e.projectId])).toEqual([
      ['create', members.owner.userId, null],
      ['revoke', members.owner.userId, null],
    ]);
    expect(JSON.stringify(entries)).not.toContain(created.secret);
  });

  it('refuses a token without a name, with an unknown scope, or not expiring within 366 days (400, nothing saved)', async () => {
    const before = await h.deps.database.db.select().from(apiTokens).where(eq(apiTokens.userId, members.coder.userId));
    for (const body of [
      { name: '', scope: 'read' },
      { name: 'x', scope: 'write' },
      { name: 'x', scope: 'read', expiresInDays: 0 },
      { name: 'x', scope: 'read', expiresInDays: 367 },
      { name: 'x', scope: 'read', expiresInDays: 1.5 },
    ]) {
      await expectError(await h.request(members.coder, 'POST', '/api/auth/tokens', body), 400, 'VALIDATION_FAILED');
    }
    expect(await h.deps.database.db.select().from(apiTokens).where(eq(apiTokens.userId, members.coder.userId))).toEqual(before);
  });

  it('needs a signed-in session: anonymous callers get 401', async () => {
    await expectError(await h.request(null, 'GET', '/api/auth/tokens'), 401, 'UNAUTHENTICATED');
    await expectError(await h.request(null, 'POST', '/api/auth/tokens', { name: 'x', scope: 'read' }), 401, 'UNAUTHENTICATED');
  });
});

describe('using a token', () => {
  it('acts as its owner and records when it was last used', async () => {
    const { secret, token } = await createToken(members.editor, 'read');
    const me = await withToken(secret, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect((await json<{ id: string }>(me)).id).toBe(members.editor.userId);
    const projects = await json<Project[]>(await withToken(secret, 'GET', '/api/projects'));
    expect(projects.map((p) => p.id)).toContain(f.projectId);
    const [row] = await h.deps.database.db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it('fetches an export with a read-export token, and nothing else of the project', async () => {
    const { secret } = await createToken(members.methodologist, 'read-export');
    const csv = await withToken(secret, 'GET', `${project()}/export/codings.csv?layout=long`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await withToken(secret, 'GET', `${project()}/export/final.csv`)).status).toBe(200);
    expect((await withToken(secret, 'GET', project())).status).toBe(200);
    await expectError(await withToken(secret, 'GET', `${project()}/items`), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'GET', `${project()}/reliability?field=impact`), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'GET', `${project()}/codebook`), 403, 'TOKEN_SCOPE');
  });

  it.each(['read', 'read-export'] as const)('a %s token cannot write: 403 TOKEN_SCOPE and nothing changes', async (scope) => {
    const { secret } = await createToken(members.coder, scope);
    const saved = await h.request(members.coder, 'PUT', `${item()}/codings/me`, { values: { impact: 1 } });
    expect(saved.status).toBe(200);
    await expectError(await withToken(secret, 'PUT', `${item()}/codings/me`, { values: { impact: 3 } }), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'POST', `${item()}/codings/me/submit`), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'POST', '/api/projects', { name: 'By token' }), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'PATCH', project(), { name: 'Renamed by token' }), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'DELETE', project()), 403, 'TOKEN_SCOPE');
    const mine = await json<Coding[]>(await h.request(members.coder, 'GET', `${item()}/codings`));
    expect(mine.find((c) => c.fieldKey === 'impact')?.value).toBe(1);
    expect(mine.every((c) => c.status !== 'submitted')).toBe(true);
    expect((await json<Project>(await h.request(members.owner, 'GET', project()))).name).not.toBe('Renamed by token');
  });

  it('cannot create, list or revoke tokens, change the password or sign out', async () => {
    const { secret, token } = await createToken(members.owner, 'read');
    await expectError(await withToken(secret, 'POST', '/api/auth/tokens', { name: 'child', scope: 'read' }), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'GET', '/api/auth/tokens'), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'DELETE', `/api/auth/tokens/${token.id}`), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'another long password' }), 403, 'TOKEN_SCOPE');
    await expectError(await withToken(secret, 'POST', '/api/auth/ws-token'), 403, 'TOKEN_SCOPE');
    expect((await withToken(secret, 'GET', '/api/auth/me')).status).toBe(200);
    expect(await h.deps.database.db.select().from(apiTokens).where(eq(apiTokens.userId, members.owner.userId))).toHaveLength(1);
  });

  it('is judged by the Authorization header alone: a bad token is 401 even beside a valid cookie', async () => {
    const res = await h.request(members.owner, 'GET', '/api/projects', undefined, { authorization: `Bearer ${TOKEN_PREFIX}not-a-token` });
    await expectError(res, 401, 'UNAUTHENTICATED');
    await expectError(await h.request(members.owner, 'GET', '/api/projects', undefined, { authorization: 'Basic dXNlcjpwYXNz' }), 401, 'UNAUTHENTICATED');
    await expectError(await h.request(null, 'GET', '/api/projects', undefined, { authorization: 'Bearer' }), 401, 'UNAUTHENTICATED');
  });

  it('is not a browser request: a GET from a foreign page still works, a write is refused either way', async () => {
    const { secret } = await createToken(members.editor, 'read');
    expect((await withToken(secret, 'GET', '/api/projects', undefined, { origin: 'https://evil.example' })).status).toBe(200);
    await expectError(await withToken(secret, 'POST', '/api/projects', { name: 'x' }, { origin: 'https://evil.example' }), 403, 'FORBIDDEN_ORIGIN');
    await expectError(await withToken(secret, 'POST', '/api/projects', { name: 'x' }), 403, 'TOKEN_SCOPE');
  });
});

describe("a token stays within its owner's roles", () => {
  it("gives a coder's token no export (403), a stranger's token no project (404)", async () => {
    const coder = await createToken(members.coder, 'read');
    await expectError(await withToken(coder.secret, 'GET', `${project()}/export/codings.csv`), 403, 'FORBIDDEN');
    await expectError(await withToken(coder.secret, 'GET', `${project()}/reliability?field=impact`), 403, 'FORBIDDEN');
    expect((await withToken(coder.secret, 'GET', `${project()}/items`)).status).toBe(200);
    const outsider = await createToken(stranger, 'read');
    await expectError(await withToken(outsider.secret, 'GET', project()), 404, 'NOT_FOUND');
    await expectError(await withToken(outsider.secret, 'GET', `${project()}/export/codings.csv`), 404, 'NOT_FOUND');
    expect((await json<Project[]>(await withToken(outsider.secret, 'GET', '/api/projects'))).map((p) => p.id)).not.toContain(f.projectId);
  });

  it('holds the blind-coding rules: nobody reads a coder’s values through a token before the reveal', async () => {
    const g = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const path = `/api/projects/${g.projectId}/items/${g.itemId}`;
    expect((await h.request(members.coder, 'PUT', `${path}/codings/me`, { values: { frame: 'security', impact: -2 } })).status).toBe(200);
    const tokens = {
      coder: await createToken(members.coder, 'read'),
      coderB: await createToken(coderB, 'read'),
      owner: await createToken(members.owner, 'read'),
      methodologist: await createToken(members.methodologist, 'read-export'),
    };
    const visible = async (secret: string) => json<Coding[]>(await withToken(secret, 'GET', `${path}/codings`));
    expect(new Set((await visible(tokens.coder.secret)).map((c) => c.coderId))).toEqual(new Set([members.coder.userId]));
    expect(await visible(tokens.coderB.secret)).toEqual([]);
    expect(await visible(tokens.owner.secret)).toEqual([]);
    const exported = await (await withToken(tokens.methodologist.secret, 'GET', `/api/projects/${g.projectId}/export/codings.csv?layout=long`)).text();
    expect(exported.trim().split('\n')).toHaveLength(1);

    // After both submit (through their sessions) the item is revealed, and the same tokens read it.
    expect((await h.request(members.coder, 'POST', `${path}/codings/me/submit`)).status).toBe(200);
    expect((await h.request(coderB, 'PUT', `${path}/codings/me`, { values: { frame: 'leader', impact: 1 } })).status).toBe(200);
    expect((await h.request(coderB, 'POST', `${path}/codings/me/submit`)).status).toBe(200);
    expect(new Set((await visible(tokens.owner.secret)).map((c) => c.coderId))).toEqual(new Set([members.coder.userId, coderB.userId]));
    const revealed = await (await withToken(tokens.methodologist.secret, 'GET', `/api/projects/${g.projectId}/export/codings.csv?layout=long`)).text();
    expect(revealed.trim().split('\n').length).toBeGreaterThan(1);
  });
});

describe('when a token stops working', () => {
  it('after it expires', async () => {
    const { secret, token } = await createToken(members.editor, 'read', { expiresInDays: 1 });
    expect((await withToken(secret, 'GET', '/api/projects')).status).toBe(200);
    await h.deps.database.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, token.id));
    await expectError(await withToken(secret, 'GET', '/api/projects'), 401, 'UNAUTHENTICATED');
    const listed = await json<ApiToken[]>(await h.request(members.editor, 'GET', '/api/auth/tokens'));
    // Listed (as expired) until revoked, so its owner sees why a script stopped.
    expect(Date.parse(listed.find((t) => t.id === token.id)!.expiresAt)).toBeLessThan(Date.now());
  });

  it('once revoked; another user cannot revoke it (404)', async () => {
    const { secret, token } = await createToken(members.editor, 'read');
    await expectError(await h.request(members.owner, 'DELETE', `/api/auth/tokens/${token.id}`), 404, 'NOT_FOUND');
    expect((await withToken(secret, 'GET', '/api/projects')).status).toBe(200);
    expect((await h.request(members.editor, 'DELETE', `/api/auth/tokens/${token.id}`)).status).toBe(200);
    await expectError(await withToken(secret, 'GET', '/api/projects'), 401, 'UNAUTHENTICATED');
    expect((await json<ApiToken[]>(await h.request(members.editor, 'GET', '/api/auth/tokens'))).map((t) => t.id)).not.toContain(token.id);
    await expectError(await h.request(members.editor, 'DELETE', `/api/auth/tokens/${token.id}`), 404, 'NOT_FOUND');
  });

  it('when its owner changes the password (every token of the account is revoked, audited)', async () => {
    const user = await signUp(h, 'changes-password');
    const { secret, token } = await createToken(user, 'read');
    const changed = await h.request(user, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(changed.status).toBe(200);
    await expectError(await withToken(secret, 'GET', '/api/projects'), 401, 'UNAUTHENTICATED');
    const [entry] = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, token.id), eq(auditLog.action, 'revoke')));
    expect(entry!.after).toEqual({ reason: 'password-change' });
  });

  it("when the operator resets the account's password", async () => {
    const user = await signUp(h, 'reset');
    const { secret } = await createToken(user, 'read-export');
    await resetPassword({ ctx: h.ctx(null), input: { email: user.email, password: 'reset by the operator', mustChangePassword: false } });
    await expectError(await withToken(secret, 'GET', '/api/projects'), 401, 'UNAUTHENTICATED');
  });

  it('when the password is reset through a mailed link', async () => {
    const user = await signUp(h, 'mailed-reset');
    const { secret } = await createToken(user, 'read');
    const link = `reset-${user.userId}`;
    await h.deps.database.db.insert(passwordResets).values({ id: newId('passwordReset'), tokenHash: hashToken(link), userId: user.userId, expiresAt: new Date(Date.now() + 60_000) });
    expect((await h.request(null, 'POST', '/api/auth/password-reset', { token: link, password: 'reset through the mail' })).status).toBe(200);
    await expectError(await withToken(secret, 'GET', '/api/projects'), 401, 'UNAUTHENTICATED');
  });

  it('when the account is deleted', async () => {
    const user = await signUp(h, 'deleted');
    const { secret, token } = await createToken(user, 'read');
    await h.deps.database.db.delete(users).where(eq(users.id, user.userId));
    await expectError(await withToken(secret, 'GET', '/api/projects'), 401, 'UNAUTHENTICATED');
    expect(await h.deps.database.db.select().from(apiTokens).where(eq(apiTokens.id, token.id))).toEqual([]);
  });

  it('while the account owes a password change (403 PASSWORD_CHANGE_REQUIRED), like its session', async () => {
    const user = await signUp(h, 'must-change');
    const { secret } = await createToken(user, 'read');
    await h.deps.database.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.userId));
    await expectError(await withToken(secret, 'GET', '/api/projects'), 403, 'PASSWORD_CHANGE_REQUIRED');
    expect((await withToken(secret, 'GET', '/api/auth/me')).status).toBe(200);
  });
});
