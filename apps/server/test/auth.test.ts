import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '@concord/shared';
import { createHarness, json, PASSWORD, signUp, uniqueEmail, type Harness } from './harness.ts';
import { eq } from 'drizzle-orm';
import { users } from '@concord/db';
import { insertUser } from '../src/services/auth/users.ts';
import { PASSWORD_COST } from '../src/services/auth/password.ts';
import { LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS } from '../src/deps.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('first-run setup', () => {
  it('creates the first owner once, then refuses', async () => {
    expect(await json(await h.request(null, 'GET', '/api/auth/setup'))).toEqual({ needsSetup: true, demo: false, demoAccounts: [], mail: false });
    const bad = await h.request(null, 'POST', '/api/auth/setup', { email: 'root@test.concord', name: 'Root', password: 'short' });
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const ok = await h.request(null, 'POST', '/api/auth/setup', { email: 'Root@Test.Concord', name: 'Root', password: PASSWORD });
    expect(ok.status).toBe(201);
    expect((await json<{ user: { email: string; isAdmin: boolean } }>(ok)).user).toMatchObject({ email: 'root@test.concord', isAdmin: true });
    expect(await json(await h.request(null, 'GET', '/api/auth/setup'))).toEqual({ needsSetup: false, demo: false, demoAccounts: [], mail: false });
    const again = await h.request(null, 'POST', '/api/auth/setup', { email: 'other@test.concord', name: 'Other', password: PASSWORD });
    expect(again.status).toBe(409);
  });
});

describe('password hashing cost', () => {
  const storedHash = async (email: string) => (await h.deps.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, email)))[0]!.hash;

  it("hashes with the configured cost (the harness's weak one, SECURITY.md) through the API, and at the production cost without one", async () => {
    const s = await signUp(h, 'erin');
    expect(await storedHash(s.email)).toMatch(/^scrypt\$16\$8\$1\$/);
    expect((await h.request(s, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'another long password' })).status).toBe(200);
    expect(await storedHash(s.email)).toMatch(/^scrypt\$16\$8\$1\$/);
    const email = uniqueEmail('frank');
    await insertUser({ ctx: { ...h.ctx(null), passwordCost: undefined }, input: { email, name: 'Frank', password: PASSWORD } });
    expect(await storedHash(email)).toMatch(new RegExp(`^scrypt\\$${PASSWORD_COST.N}\\$8\\$1\\$`));
    // A hash is checked with the cost it was made with, whatever the configured one.
    expect((await h.request(null, 'POST', '/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
  });
});

describe('sign-in and sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and knows the user', async () => {
    const email = uniqueEmail('alice');
    await insertUser({ ctx: h.ctx(null), input: { email, name: 'Alice', password: PASSWORD } });
    const res = await h.request(null, 'POST', '/api/auth/login', { email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^concord_session=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    const session = { userId: '', email, cookie: cookie.split(';')[0]! };
    const me = await json<{ email: string; name: string }>(await h.request(session, 'GET', '/api/auth/me'));
    expect(me).toMatchObject({ email, name: 'Alice' });
  });

  it('marks the cookie Secure behind https', async () => {
    const s = await signUp(h, 'secure');
    const res = await h.app.request('https://concord.example/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: s.email, password: PASSWORD }),
    });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('rejects a wrong password and an unknown email alike', async () => {
    const s = await signUp(h, 'bob');
    const wrong = await h.request(null, 'POST', '/api/auth/login', { email: s.email, password: 'nope nope nope' }, { 'x-forwarded-for': '10.0.0.1' });
    const unknown = await h.request(null, 'POST', '/api/auth/login', { email: 'nobody@test.concord', password: 'nope nope nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await json<{ error: { message: string } }>(wrong)).error.message).toBe((await json<{ error: { message: string } }>(unknown)).error.message);
  });

  it('logs out: the old cookie no longer works, and the browser is told to clear its cache', async () => {
    const s = await signUp(h, 'carol');
    expect((await h.request(s, 'GET', '/api/auth/me')).status).toBe(200);
    const out = await h.request(s, 'POST', '/api/auth/logout');
    expect(out.status).toBe(200);
    // A shared computer: the browser drops what it cached and kept for Back (SECURITY.md, fourth review).
    expect(out.headers.get('clear-site-data')).toBe('"cache"');
    const after = await h.request(s, 'GET', '/api/auth/me');
    expect(after.status).toBe(401);
    expect((await json<{ error: { code: string } }>(after)).error.code).toBe('UNAUTHENTICATED');
  });

  it('changes the password, ending every session; the browser that changed it goes on with a new one', async () => {
    const s = await signUp(h, 'dave');
    const other = await h.request(null, 'POST', '/api/auth/login', { email: s.email, password: PASSWORD });
    const otherSession = { ...s, cookie: other.headers.get('set-cookie')!.split(';')[0]! };
    const wrongCurrent = await h.request(s, 'POST', '/api/auth/password', { currentPassword: 'not it at all', newPassword: 'a new long password' });
    expect(wrongCurrent.status).toBe(403);
    const tooShort = await h.request(s, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(tooShort.status).toBe(400);
    const ok = await h.request(s, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a new long password' });
    expect(ok.status).toBe(200);
    const renewed = { ...s, cookie: ok.headers.get('set-cookie')!.split(';')[0]! };
    expect(renewed.cookie).not.toBe(s.cookie);
    expect((await h.request(renewed, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await h.request(s, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await h.request(otherSession, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await h.request(null, 'POST', '/api/auth/login', { email: s.email, password: PASSWORD })).status).toBe(401);
    expect((await h.request(null, 'POST', '/api/auth/login', { email: s.email, password: 'a new long password' })).status).toBe(200);
  });

  it('rate-limits failed sign-ins per account, even with the right password afterwards', async () => {
    const s = await signUp(h, 'eve');
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      const res = await h.request(null, 'POST', '/api/auth/login', { email: s.email, password: `wrong password ${i}` }, { 'x-forwarded-for': `10.1.0.${i}` });
      expect(res.status).toBe(401);
    }
    const limited = await h.request(null, 'POST', '/api/auth/login', { email: s.email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect((await json<{ error: { code: string } }>(limited)).error.code).toBe('RATE_LIMITED');
  });

  it('rate-limits failed sign-ins per address across accounts (behind a trusted proxy)', async () => {
    const proxied = await createHarness({ trustProxy: { kind: 'hops', hops: 1 } });
    try {
      const attempt = (i: number, ip: string) =>
        proxied.request(null, 'POST', '/api/auth/login', { email: `guess${i}@test.concord`, password: 'wrong password' }, { 'x-forwarded-for': ip });
      // At once: the password checks run on the thread pool (50 in a row took over a minute on a loaded machine).
      const failures = await Promise.all(Array.from({ length: LOGIN_FAILURES_PER_ADDRESS }, (_, i) => attempt(i, '203.0.113.7')));
      expect(failures.map((res) => res.status)).toEqual(Array(LOGIN_FAILURES_PER_ADDRESS).fill(401));
      expect((await attempt(999, '203.0.113.7')).status).toBe(429);
      expect((await attempt(999, '203.0.113.8')).status).toBe(401);
    } finally {
      await proxied.close();
    }
  }, 180_000);

  it('rejects malformed bodies with a 400 error body', async () => {
    const res = await h.request(null, 'POST', '/api/auth/login', '{"email":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; message: string; requestId: string } }>(res);
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.requestId).toBeTruthy();
    const invalid = await h.request(null, 'POST', '/api/auth/login', { email: 'not-an-email', password: 'x' });
    expect(invalid.status).toBe(400);
    expect((await json<{ error: { code: string; details: unknown[] } }>(invalid)).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: ['email'] })] });
  });

  it('answers 413 to oversized bodies', async () => {
    const res = await h.request(null, 'POST', '/api/auth/login', { email: 'a@b.cd', password: 'x'.repeat(h.config.maxBodyBytes + 10) });
    expect(res.status).toBe(413);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unknown routes with a 404 error body', async () => {
    const res = await h.request(null, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('NOT_FOUND');
  });
});

describe('health and OpenAPI', () => {
  it('reports the database', async () => {
    const res = await h.request(null, 'GET', '/api/health');
    expect(await json(res)).toEqual({ status: 'ok', db: h.database.kind });
  });

  it('publishes an OpenAPI document with the fixed routes', async () => {
    const doc = await json<{ openapi: string; paths: Record<string, unknown> }>(await h.request(null, 'GET', '/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/health', '/api/auth/login', '/api/auth/me', '/api/projects', '/api/projects/{projectId}/items', '/api/projects/{projectId}/export/codings.csv']) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });
});
