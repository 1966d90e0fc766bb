/**
 * The shipped deployment, tested: Debian's nginx runs deploy/nginx/concord.conf (only ports and
 * paths changed) with TLS in front of two Concord processes that share one PostgreSQL database
 * and one Redis. Chromium signs in over https, codes blind and in a joint session through the
 * proxy (WebSocket upgrades for /yjs and /socket.io), then the process holding a coder's live
 * connections is SIGKILLed mid-session: her page reconnects through nginx to the other process
 * and nothing typed before or after the kill is lost. Without nginx, Chromium, PostgreSQL or
 * Redis the file is skipped loudly (with CI=true it fails).
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.ts';
import { findChromium, launchChromium } from '../helpers/chromium.ts';
import { checkBlindCoding, checkJointLive, demoScene, openJointSession, peerValue, type CodingScene } from '../helpers/coding-checks.ts';
import { findNginx, startNginx, type Nginx } from '../helpers/nginx.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { freshDemoPostgres } from '../helpers/demo-postgres.ts';
import { reachableRedis } from '@concord/server/testing';
import type { FreshDatabase } from '../helpers/services.ts';
import { browserSessions, demoEmail, submitSignInForm } from '../helpers/sessions.ts';

const nginxPath = findNginx();
const chromiumPath = findChromium();
const redisUrl = nginxPath && chromiumPath ? await reachableRedis(process.env) : null;
const database = redisUrl ? await freshDemoPostgres() : null;
/** A client's reconnect (y-websocket and socket.io back off) after its process died. */
const RECONNECT_MS = 20_000;

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

const portOf = (url: string) => Number(new URL(url).port);

describe.skipIf(!database)("Concord behind Debian's nginx: TLS, two processes, one of them killed mid-session", () => {
  const db = database as FreshDatabase;
  let alive: ServerProcess[] = [];
  let nginx: Nginx;
  let browser: Browser;
  let scene: CodingScene;
  // The browser goes through nginx; the test's own API calls go to a live process directly.
  const users = browserSessions(() => ({ url: nginx.url, apiUrl: alive[0]!.url, browser }));

  /** The Concord process nginx sends `page`'s live connections to (read from the access log). */
  async function liveProcessOf(page: Page): Promise<number> {
    const probe = `probe=${Math.random().toString(36).slice(2)}`;
    await page.evaluate((query) => fetch(`/socket.io/?EIO=4&transport=polling&${query}`).then((r) => r.text()), probe);
    // nginx writes the line as it finishes the request, possibly just after the page has the answer.
    let line: string | undefined;
    await expect.poll(async () => (line = (await nginx.accessLog()).split('\n').find((l) => l.includes(probe))), { timeout: 5_000, interval: 50 }).toBeDefined();
    // After a fail-over the list names each process tried; the last one answered.
    const upstreams = /upstream=(\S+(?:, \S+)*) upstream_status/.exec(line!)?.[1];
    if (!upstreams) throw new Error(`no upstream in the access log line ${line}`);
    return Number(upstreams.split(', ').at(-1)!.split(':').at(-1));
  }

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl!,
      CONCORD_REDIS_PREFIX: `concord-e2e-nginx:${process.pid}:${Date.now()}`,
      CONCORD_DEMO: '1',
      // One proxy in front: its X-Forwarded-For and X-Forwarded-Proto count.
      CONCORD_TRUST_PROXY: '1',
    };
    // The database already holds the demo study, so both processes start at once.
    const [a, b, launched] = await Promise.all([
      startServerProcess({ env }),
      startServerProcess({ env }),
      launchChromium(chromiumPath!, ['--ignore-certificate-errors']),
    ]);
    alive = [a, b];
    browser = launched;
    nginx = await startNginx(nginxPath!, [portOf(a.url), portOf(b.url)]);
    await Promise.all(['coder1', 'coder2', 'coder3', 'editor'].map((who) => users.signIn(who)));
    scene = await demoScene(users, () => nginx.url);
  });

  afterAll(async () => {
    await users.closeContexts();
    await browser?.close();
    await nginx?.stop();
    for (const server of alive) await server.dispose();
    await db?.drop();
  });

  it('signs in with the login form over https, and the session cookie is Secure (the forwarded scheme is trusted)', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${nginx.url}/login`);
      await page.locator('body[data-hydrated="true"]').waitFor();
      await submitSignInForm(page, demoEmail('coder1'), TEST_DEMO_PASSWORD);
      await page.waitForURL((url) => url.pathname !== '/login');
      const cookie = (await context.cookies()).find((c) => c.name === 'concord_session');
      expect(cookie).toMatchObject({ secure: true, httpOnly: true });
    } finally {
      await context.close();
    }
  });

  it('streams an import larger than the JSON limit to Concord, and turns away other bodies over 2 MiB itself', async () => {
    const page = await users.openAs('editor', { path: `/projects/${scene.projectId}` });
    const answers = await page.evaluate(async (projectId) => {
      // Every row's URL is invalid, so the all-or-nothing import refuses the file and writes nothing.
      const row = `${'a title long enough to make the file big '.repeat(4)},not a url\n`;
      const csv = `title,url\n${row.repeat(Math.ceil((2.25 * 1024 * 1024) / row.length))}`;
      const imported = await fetch(`/api/projects/${projectId}/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      const login = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: csv }) });
      return {
        imported: { status: imported.status, type: imported.headers.get('content-type'), bytes: csv.length },
        login: { status: login.status, text: await login.text() },
      };
    }, scene.projectId);
    // Concord itself read the 2.25 MiB import and refused its rows (a JSON 400, not a 413).
    expect(answers.imported.bytes).toBeGreaterThan(2 * 1024 * 1024);
    expect(answers.imported).toMatchObject({ status: 400, type: expect.stringMatching(/^application\/json/) });
    // nginx's own page: the body never reached a process.
    expect(answers.login.status).toBe(413);
    expect(answers.login.text).toContain('nginx');
  });

  it('blind coding through the proxy: coder1 sees nothing of the others and opens none of their documents', async () => {
    await checkBlindCoding(scene);
    expect(users.pageErrors).toEqual([]);
  });

  it('a joint session survives the SIGKILL of the process holding coder2: she reconnects through nginx and nothing is lost', async () => {
    const { projectId } = scene;
    const itemId = await openJointSession(scene);
    const { two, three } = await checkJointLive(scene, itemId);
    const coder2 = users.accounts.coder2!.id;
    const coder3 = users.accounts.coder3!.id;
    const subtextOf = (who: string) => async () => {
      const rows = await ok(users.project(who).items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
      return rows.find((r) => r.fieldKey === 'subtext')?.value;
    };

    // Typed before the kill: on coder3's page and on the server.
    await two.locator('#f-subtext').fill('typed before the kill');
    await peerValue(three, 'subtext', coder2).getByText('typed before the kill').waitFor();
    await expect.poll(subtextOf('coder2'), { timeout: 10_000, interval: 100 }).toBe('typed before the kill');

    const victimPort = await liveProcessOf(two);
    const victim = alive.find((p) => portOf(p.url) === victimPort)!;
    expect(victim).toBeDefined();
    alive = alive.filter((p) => p !== victim);
    expect(await victim.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    // Typed after the kill, on both sides; each reaches the other page and the server.
    await two.locator('#f-subtext').fill('typed before the kill, and after it');
    await three.locator('#f-subtext').fill('coder3 after the kill');
    await peerValue(three, 'subtext', coder2).getByText('typed before the kill, and after it').waitFor({ timeout: RECONNECT_MS });
    await peerValue(two, 'subtext', coder3).getByText('coder3 after the kill').waitFor({ timeout: RECONNECT_MS });
    await expect.poll(subtextOf('coder2'), { timeout: 10_000, interval: 100 }).toBe('typed before the kill, and after it');
    await expect.poll(subtextOf('coder3'), { timeout: 10_000, interval: 100 }).toBe('coder3 after the kill');
    // The value picked before the kill is still there (the joint check's click).
    await two.locator('#f-civic_impact-0').waitFor();
    const civic = await ok(users.project('coder2').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
    expect(civic.find((r) => r.fieldKey === 'civic_impact')?.value).toBe(2);

    // coder2's document connection was on the killed process (nginx logs a WebSocket when it
    // closes), and nginx now sends her to the survivor.
    const cut = (await nginx.accessLog()).split('\n').filter((l) => l.includes(`/yjs/coding:${itemId}:${coder2}`) && l.includes(` 101 `));
    expect(cut.some((l) => l.includes(`upstream=127.0.0.1:${victimPort} `))).toBe(true);
    expect(await liveProcessOf(two)).toBe(portOf(alive[0]!.url));
    await two.screenshot({ path: `${ARTIFACTS}nginx-after-kill-coder2.png`, fullPage: true });
    expect(users.pageErrors).toEqual([]);
  });
});
