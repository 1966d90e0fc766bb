/**
 * Using a password-reset link is public (the token is the credential) and has no sign-in limit,
 * so a link that cannot be used must be refused before the new password is hashed: at the
 * production cost a hash is about 0.09 s of CPU, which anyone could otherwise make the server
 * spend per request with made-up tokens. Shown without timing: the context's password cost is
 * one scrypt refuses (N = 3 is not a power of two), so a request that reached the hash would
 * fail with that error instead of the link's own reason. Asking for a link answers before any
 * work for the address (below), and is limited per email and per address whether or not the
 * email has an account. On PGlite and on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordResets, users } from '@concord/db';
import { newId } from '@concord/shared';
import { hashToken } from '../src/services/auth/token-hash.ts';
import { resetPasswordWithLink } from '../src/services/auth/password-reset-link.ts';
import { NO_PASSWORD } from '../src/services/auth/password.ts';
import { RESET_REQUESTS_PER_ADDRESS, RESET_REQUESTS_PER_EMAIL } from '../src/deps.ts';
import { parseProxyTrust } from '../src/http/proxy-trust.ts';
import { createHarness, signUp, uniqueEmail, type Harness, type Session } from './harness.ts';

let h: Harness;
let user: Session;

beforeAll(async () => {
  h = await createHarness();
  user = await signUp(h, 'resetter');
});
afterAll(() => h.close());

const session = { sessionTtlMs: 3_600_000, ip: '203.0.113.9', userAgent: null };
/** A context whose password hashing always fails: reaching it shows in the error. */
const unhashable = () => ({ ...h.ctx(null), passwordCost: { N: 3, r: 8, p: 1 } });

async function link(state: { usedAt?: Date; expiresAt?: Date } = {}): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await h.deps.database.db.insert(passwordResets).values({
    id: newId('passwordReset'),
    tokenHash: hashToken(token),
    userId: user.userId,
    expiresAt: state.expiresAt ?? new Date(Date.now() + 3_600_000),
    usedAt: state.usedAt ?? null,
  });
  return token;
}

describe('a password-reset link that cannot be used', () => {
  it('is refused with its reason before the new password is hashed', async () => {
    const reset = (token: string) => resetPasswordWithLink({ ctx: unhashable(), input: { token, password: 'a new passphrase here' }, session });
    await expect(reset('made-up-token')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reset(await link({ usedAt: new Date() }))).rejects.toMatchObject({ code: 'LINK_USED' });
    await expect(reset(await link({ expiresAt: new Date(Date.now() - 1000) }))).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
  });

  it('while a usable one still sets the password (and is used once)', async () => {
    const token = await link();
    const done = await resetPasswordWithLink({ ctx: h.ctx(null), input: { token, password: 'a new passphrase here' }, session });
    expect(done.user.id).toBe(user.userId);
    await expect(resetPasswordWithLink({ ctx: h.ctx(null), input: { token, password: 'another passphrase' }, session })).rejects.toMatchObject({ code: 'LINK_USED' });
  });
});

describe('asking for a reset link', () => {
  // The answer must not take longer for an address with an account (a transaction, an audit
  // entry, a mail) than for one without, or it tells which addresses have accounts. Shown
  // without timing: the database is held while she asks, so an answer that waited for any work
  // on the address would never come (the test's timeout); the link is made once it is free.
  it('is answered before any work for the address, which follows from the event bus', async () => {
    const asker = await signUp(h, 'asker');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const locked = new Promise<void>((resolve) => (holding = resolve));
    // PGlite has one connection, which a transaction holds; on PostgreSQL the links' table is locked.
    const other = h.deps.database.db.transaction(async (tx) => {
      if (h.deps.database.kind === 'postgres') await tx.execute(sql`lock table password_resets in access exclusive mode`);
      holding();
      await held;
    });
    await locked;
    const asked = await h.request(null, 'POST', '/api/auth/password-reset/request', { email: asker.email });
    expect(asked.status).toBe(202);
    release();
    await other;
    await h.deps.events.idle();
    const links = await h.deps.database.db.select({ usedAt: passwordResets.usedAt }).from(passwordResets).where(eq(passwordResets.userId, asker.userId));
    expect(links).toEqual([{ usedAt: null }]);
  });
});

describe('an account nobody signs in to', () => {
  // The project's "Imported" coder: no password and a made-up address; whoever received mail
  // for that domain would hold a coder of the project.
  it('gets no reset link', async () => {
    const [imported] = await h.deps.database.db.insert(users).values({ id: newId('user'), email: uniqueEmail('imported'), name: 'Imported', passwordHash: NO_PASSWORD }).returning();
    expect((await h.request(null, 'POST', '/api/auth/password-reset/request', { email: imported!.email })).status).toBe(202);
    await h.deps.events.idle();
    expect(await h.deps.database.db.select().from(passwordResets).where(eq(passwordResets.userId, imported!.id))).toEqual([]);
  });
});

describe('asking for reset links again and again', () => {
  // Behind one trusted proxy, so each request names its client's address.
  let proxied: Harness;
  beforeAll(async () => {
    proxied = await createHarness({ trustProxy: parseProxyTrust('1') });
  });
  afterAll(() => proxied.close());
  const ask = (email: string, address: string) => proxied.request(null, 'POST', '/api/auth/password-reset/request', { email }, { 'x-forwarded-for': address });

  // One mail a minute was sixty an hour into anybody's inbox, each replacing the link before.
  it('is limited per email, from any address, the same for an email with an account and one without', async () => {
    const owner = await signUp(proxied, 'inbox-owner');
    for (const email of [owner.email, uniqueEmail('nobody')]) {
      for (let i = 0; i < RESET_REQUESTS_PER_EMAIL; i++) expect((await ask(email, `198.51.100.${i + 1}`)).status, email).toBe(202);
      const refused = await ask(email, '198.51.100.200');
      expect(refused.status, email).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    }
    // Other emails from the same addresses are still answered.
    expect((await ask(uniqueEmail('someone-else'), '198.51.100.1')).status).toBe(202);
  });

  it('is limited per address, across emails, and other addresses are still answered', async () => {
    for (let i = 0; i < RESET_REQUESTS_PER_ADDRESS; i++) expect((await ask(uniqueEmail(`sprayed${i}`), '203.0.113.50')).status).toBe(202);
    expect((await ask(uniqueEmail('sprayed-last'), '203.0.113.50')).status).toBe(429);
    expect((await ask(uniqueEmail('sprayed-last'), '203.0.113.51')).status).toBe(202);
  });
});
