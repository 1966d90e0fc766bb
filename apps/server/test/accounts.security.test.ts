/**
 * Accounts, second review: signing in ends the session the browser came with; an account
 * nobody signs in to (the "Imported" coder) answers a sign-in like an unknown email; wrong
 * current passwords at a password change count as failed sign-ins. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@concord/db';
import { newId } from '@concord/shared';
import { LOGIN_FAILURES_PER_ACCOUNT } from '../src/deps.ts';
import { createLoginLimits } from '../src/services/auth/login-limits.ts';
import { NO_PASSWORD } from '../src/services/auth/password.ts';
import { login } from '../src/services/auth/sessions.ts';
import { createHarness, json, loginCookie, PASSWORD, signUp, uniqueEmail, type Harness, type Session } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const me = (cookie: string) => h.request({ userId: '', email: '', cookie }, 'GET', '/api/auth/me');

describe('signing in', () => {
  // A shared computer: whoever signed in there before must keep no session behind the new cookie.
  it('ends the session whose cookie the browser sent', async () => {
    const first = await signUp(h, 'first-at-desk');
    const second = await signUp(h, 'second-at-desk');
    const res = await h.request(first, 'POST', '/api/auth/login', { email: second.email, password: PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect((await json<{ id: string }>(await me(cookie))).id).toBe(second.userId);
    expect((await me(first.cookie)).status).toBe(401);
    // A failed sign-in ends nothing.
    const still = await loginCookie(h, first.email);
    expect((await h.request({ ...first, cookie: still }, 'POST', '/api/auth/login', { email: second.email, password: 'wrong password' })).status).toBe(401);
    expect((await me(still)).status).toBe(200);
  });

  // Shown without timing: with a password cost scrypt refuses (N = 3), an answer that hashed
  // (the dummy compare of an unknown email) fails with scrypt's error, one that did not with 401.
  it('to an account without a password (the "Imported" coder) does the same work as an unknown email', async () => {
    const email = uniqueEmail('imported');
    await h.deps.database.db.insert(users).values({ id: newId('user'), email, name: 'Imported', passwordHash: NO_PASSWORD });
    const ctx = { ...h.ctx(null), passwordCost: { N: 3, r: 8, p: 1 } };
    const limiters = createLoginLimits({ perAccount: 100, perAddress: 100, windowMs: 60_000, knownAddressMs: 60_000 });
    const attempt = (address: string) =>
      login({ ctx, deps: { limiters, sessionTtlMs: 60_000 }, input: { email: address, password: 'any password', ip: '192.0.2.1', userAgent: null, replaces: null } }).then(
        () => 'signed in',
        (err: Error) => err.message,
      );
    const unknown = await attempt(uniqueEmail('nobody'));
    expect(unknown).not.toBe('wrong email or password');
    expect(await attempt(email)).toBe(unknown);
  });
});

describe('changing the password', () => {
  it('counts wrong current passwords as failed sign-ins of the account: past the limit even the right one waits', async () => {
    const user: Session = await signUp(h, 'left-signed-in');
    const change = (currentPassword: string) => h.request(user, 'POST', '/api/auth/password', { currentPassword, newPassword: 'a brand new passphrase' });
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) expect((await change(`guess number ${i}`)).status).toBe(403);
    const limited = await change(PASSWORD);
    expect(limited.status).toBe(429);
    expect((await json<{ error: { code: string } }>(limited)).error.code).toBe('RATE_LIMITED');
  });
});
