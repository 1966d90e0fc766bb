/**
 * Sign-in limits behind a reverse proxy, against the real server on a real port. The test
 * plays the proxy: it appends the address it "saw" as the right-most X-Forwarded-For entry,
 * and everything to its left is what the attacking client wrote. Then two instances sharing
 * one Redis count one budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyTrust } from '../src/http/proxy-trust.ts';
import { LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, RESET_REQUESTS_PER_EMAIL } from '../src/deps.ts';
import { createTestStore, startCollabServer, uniqueRedisPrefix, type CollabServer, type TestStore } from './collab-helpers.ts';
import { reachableRedis } from './testing.ts';
import { PASSWORD, signUp, type Session } from './harness.ts';

let store: TestStore;
let s: CollabServer;

beforeAll(async () => {
  store = await createTestStore();
  s = await startCollabServer(store, { trustProxy: parseProxyTrust('1') });
});
afterAll(async () => {
  await s?.close();
  await store?.dispose();
});

function login(email: string, password: string, forwardedFor: string): Promise<Response> {
  return fetch(`${s.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email, password }),
  });
}

describe('sign-in limits behind one trusted proxy', () => {
  it('counts the address the proxy saw: a rotating X-Forwarded-For does not reset the per-address limit', async () => {
    // At once: every attempt passes the check before any failure is counted, so all are 401.
    const guesses = Array.from({ length: LOGIN_FAILURES_PER_ADDRESS }, (_, i) => login(`guess${i}@test.concord`, 'wrong password', `198.51.100.${i}, 203.0.113.7`));
    expect((await Promise.all(guesses)).map((res) => res.status)).toEqual(Array(LOGIN_FAILURES_PER_ADDRESS).fill(401));
    const limited = await login('guess-last@test.concord', 'wrong password', '198.51.100.250, 203.0.113.7');
    expect(limited.status).toBe(429);
    // Another client behind the same proxy is not affected.
    expect((await login('guess-last@test.concord', 'wrong password', '203.0.113.8')).status).toBe(401);
  }, 180_000);

  it('limits one account guessed from many addresses, while its owner still signs in from where she did before', async () => {
    const victim: Session = await signUp(s.h, 'victim');
    expect((await login(victim.email, PASSWORD, '192.0.2.10')).status).toBe(200);
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect((await login(victim.email, `wrong password ${i}`, `203.0.113.${100 + i}`)).status).toBe(401);
    }
    // Even the right password is refused from an address the account was never used from...
    expect((await login(victim.email, PASSWORD, '203.0.113.200')).status).toBe(429);
    // ...but the attacker cannot lock the owner out of her usual address.
    expect((await login(victim.email, PASSWORD, '192.0.2.10')).status).toBe(200);
  }, 180_000);
});

/**
 * Two instances (as behind nginx's round robin), each with its own database, sharing one Redis:
 * a guesser alternating between them gets one budget, not one per process. Without a reachable
 * Redis this half is skipped loudly (failed with CI=true).
 */
const redisUrl = await reachableRedis(process.env, 'the shared sign-in limit tests');
describe.skipIf(!redisUrl)('limits shared by two processes through Redis', () => {
  const stores: TestStore[] = [];
  const servers: CollabServer[] = [];
  beforeAll(async () => {
    const shared = { redisUrl: redisUrl!, redisPrefix: uniqueRedisPrefix('limits') };
    for (let i = 0; i < 2; i++) {
      stores.push(await createTestStore());
      servers.push(await startCollabServer(stores[i]!, shared));
    }
  }, 180_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const st of stores) await st.dispose();
  });
  const post = (i: number, path: string, body: object) =>
    fetch(`${servers[i % 2]!.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('counts failed sign-ins of one account on both: the attempt past the budget is refused on either', async () => {
    const email = `shared-guess-${Math.random().toString(36).slice(2)}@test.concord`;
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) expect((await post(i, '/api/auth/login', { email, password: `wrong ${i}` })).status).toBe(401);
    expect((await post(0, '/api/auth/login', { email, password: 'wrong again' })).status).toBe(429);
    expect((await post(1, '/api/auth/login', { email, password: 'wrong again' })).status).toBe(429);
  }, 180_000);

  it('counts password-reset requests of one email on both', async () => {
    const email = `shared-reset-${Math.random().toString(36).slice(2)}@test.concord`;
    for (let i = 0; i < RESET_REQUESTS_PER_EMAIL; i++) expect((await post(i, '/api/auth/password-reset/request', { email })).status).toBe(202);
    expect((await post(0, '/api/auth/password-reset/request', { email })).status).toBe(429);
    expect((await post(1, '/api/auth/password-reset/request', { email })).status).toBe(429);
  }, 180_000);
});
