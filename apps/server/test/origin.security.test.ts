/**
 * Cross-site requests against the real server (HTTP on a real port): another site's page
 * posting with the user's cookie, or opening /yjs and /socket.io with it, is refused; the
 * app's own origin, allow-listed front-ends and clients that send no Origin (curl, the CLI)
 * are served. Plus the browser defences on every API response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io as connectIo } from 'socket.io-client';
import { itemDocName } from '@concord/shared';
import { parseProxyTrust } from '../src/http/proxy-trust.ts';
import { createTeam, createFixture, createTestStore, startCollabServer, type CollabServer, type Team, type TestStore } from './collab-helpers.ts';
import { json } from './harness.ts';
import type { ProjectFixture } from './harness.ts';

const ALLOWED = 'https://concord.example.org';
const FOREIGN = 'https://evil.example';

let store: TestStore;
let s: CollabServer;
let team: Team;
let f: ProjectFixture;
let own: string;

beforeAll(async () => {
  store = await createTestStore();
  s = await startCollabServer(store, { allowedOrigins: [ALLOWED] });
  team = await createTeam(s.h);
  f = await createFixture(s.h, team);
  own = `http://127.0.0.1:${s.server.port}`;
});
afterAll(async () => {
  await s?.close();
  await store?.dispose();
});

/** A real HTTP request as the owner, with whatever Origin/Referer the test names. */
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${own}${path}`, {
    method: 'POST',
    headers: { cookie: team.members.owner.cookie, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function projectNames(): Promise<string[]> {
  const res = await fetch(`${own}/api/projects`, { headers: { cookie: team.members.owner.cookie } });
  return (await json<{ name: string }[]>(res)).map((p) => p.name);
}

describe('state-changing API requests', () => {
  it('refuses a foreign Origin with 403 FORBIDDEN_ORIGIN and changes nothing', async () => {
    const res = await post('/api/projects', { name: 'Planted by evil', description: '' }, { origin: FOREIGN });
    expect(res.status).toBe(403);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('FORBIDDEN_ORIGIN');
    expect(await projectNames()).not.toContain('Planted by evil');
  });

  it('refuses a foreign Referer when there is no Origin, and the opaque origin "null"', async () => {
    const byReferer = await post('/api/projects', { name: 'Planted by referer', description: '' }, { referer: `${FOREIGN}/page` });
    expect(byReferer.status).toBe(403);
    const opaque = await post('/api/projects', { name: 'Planted by sandbox', description: '' }, { origin: 'null' });
    expect(opaque.status).toBe(403);
    expect(await projectNames()).not.toContain('Planted by referer');
    expect(await projectNames()).not.toContain('Planted by sandbox');
  });

  it('refuses a cross-site logout (the session stays open)', async () => {
    const res = await fetch(`${own}/api/auth/logout`, { method: 'POST', headers: { cookie: team.members.coder.cookie, origin: FOREIGN } });
    expect(res.status).toBe(403);
    expect((await fetch(`${own}/api/auth/me`, { headers: { cookie: team.members.coder.cookie } })).status).toBe(200);
  });

  it('accepts the own origin, an allow-listed one, a same-origin Referer and no header at all', async () => {
    expect((await post('/api/projects', { name: 'From the app', description: '' }, { origin: own })).status).toBe(201);
    expect((await post('/api/projects', { name: 'From the front-end', description: '' }, { origin: ALLOWED })).status).toBe(201);
    expect((await post('/api/projects', { name: 'From a page', description: '' }, { referer: `${own}/projects` })).status).toBe(201);
    expect((await post('/api/projects', { name: 'From curl', description: '' })).status).toBe(201);
    expect(await projectNames()).toEqual(expect.arrayContaining(['From the app', 'From the front-end', 'From a page', 'From curl']));
  });

  it('takes the scheme from X-Forwarded-Proto only from a trusted proxy', async () => {
    const https = `https://127.0.0.1:${s.server.port}`;
    const untrusted = await post('/api/projects', { name: 'Via an untrusted proxy', description: '' }, { origin: https, 'x-forwarded-proto': 'https' });
    expect(untrusted.status).toBe(403);
    await s.close();
    s = await startCollabServer(store, { allowedOrigins: [ALLOWED], trustProxy: parseProxyTrust('127.0.0.1') });
    own = `http://127.0.0.1:${s.server.port}`;
    const proxied = await fetch(`http://127.0.0.1:${s.server.port}/api/projects`, {
      method: 'POST',
      headers: { cookie: team.members.owner.cookie, 'content-type': 'application/json', origin: `https://127.0.0.1:${s.server.port}`, 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ name: 'Via the trusted proxy', description: '' }),
    });
    expect(proxied.status).toBe(201);
    // Behind TLS the API also asks browsers to keep to https.
    expect(proxied.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});

describe('WebSocket upgrades', () => {
  function upgrade(origin: string | undefined): Promise<{ status: number } | { open: true }> {
    const ws = new WebSocket(`${s.wsUrl}/${itemDocName(f.itemId)}`, { headers: { cookie: team.members.editor.cookie, ...(origin ? { origin } : {}) } });
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0 });
        ws.terminate();
      });
      ws.once('open', () => {
        resolve({ open: true });
        ws.close();
      });
      ws.once('error', reject);
    });
  }

  it('refuses /yjs from a foreign origin with 403 before the upgrade', async () => {
    expect(await upgrade(FOREIGN)).toEqual({ status: 403 });
    expect(await upgrade('null')).toEqual({ status: 403 });
  });

  it('accepts /yjs from the own origin, an allowed origin, and Node clients without Origin', async () => {
    expect(await upgrade(own)).toEqual({ open: true });
    expect(await upgrade(ALLOWED)).toEqual({ open: true });
    expect(await upgrade(undefined)).toEqual({ open: true });
  });

  function socketIo(origin: string | undefined, transport: 'websocket' | 'polling'): Promise<'connected' | string> {
    const socket = connectIo(own, {
      path: '/socket.io',
      transports: [transport],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie: team.members.editor.cookie, ...(origin ? { origin } : {}) },
    });
    return new Promise((resolve) => {
      socket.once('connect', () => {
        resolve('connected');
        socket.disconnect();
      });
      socket.once('connect_error', (err) => {
        resolve(err.message);
        socket.disconnect();
      });
    });
  }

  it('refuses /socket.io from a foreign origin, over WebSocket and polling', async () => {
    expect(await socketIo(FOREIGN, 'websocket')).not.toBe('connected');
    expect(await socketIo(FOREIGN, 'polling')).not.toBe('connected');
  });

  it('accepts /socket.io from the own origin, an allowed origin, and without Origin', async () => {
    expect(await socketIo(own, 'websocket')).toBe('connected');
    expect(await socketIo(ALLOWED, 'polling')).toBe('connected');
    expect(await socketIo(undefined, 'websocket')).toBe('connected');
  });
});

describe('browser defences on API responses', () => {
  it('sends nosniff, a deny-all CSP with frame-ancestors none, a Referrer-Policy, and no HSTS over plain http', async () => {
    for (const res of [await fetch(`${own}/api/health`), await fetch(`${own}/api/nope`), await post('/api/projects', {}, { origin: FOREIGN })]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
    }
    expect((await fetch(`http://127.0.0.1:${s.server.port}/api/health`)).headers.get('strict-transport-security')).toBe(null);
  });
});
