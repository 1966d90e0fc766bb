/**
 * A shared lab computer (SECURITY.md, fourth review): coder1 opens her items, an item's coding
 * page and its screenshot, then signs out; the next person at the browser presses Back, step
 * after step. Nothing of hers may show (the item's title and text, her name, her values, the
 * screenshot), and no API request may succeed for her. Chromium runs with its back/forward
 * cache on, as people's browsers do (playwright turns it off by default), once on 127.0.0.1 (a
 * secure context: service worker, Clear-Site-Data) and once as a team's plain-http address
 * (`lab.test`, mapped to it: neither applies there). Signing out never deletes unsent codings
 * silently.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.ts';
import { chromiumLaunchOptions, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { browserSessions, demoEmail, open, signInWithForm } from '../helpers/sessions.ts';
import { TEST_DEMO_PASSWORD } from '../helpers/server.ts';

const chromiumPath = findChromium();
/** A 1×1 PNG: the screenshot opened as a page of its own. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const TITLE = 'Shared-computer secret item';
const BODY = 'A post only its coder should see on this screen.';
const SUBTEXT = 'coder1 subtext never for the next person';
/** The server as a team reaches it over plain http on its network: not a secure context. */
const LAN_HOST = 'lab.test';

describe.skipIf(!chromiumPath)('sign-out on a shared computer, then Back', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  let itemId: string;
  let attachmentPath: string;
  const users = browserSessions(() => ({ url: server.url, browser }));
  const { accounts, pageErrors, project, signIn } = users;
  const lanUrl = () => server.url.replace('127.0.0.1', LAN_HOST);

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    // A browser of its own: the back/forward cache on, as in people's browsers.
    browser = await chromium.launch({
      ...chromiumLaunchOptions(chromiumPath!, [`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`]),
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
    for (const who of ['coder1', 'editor']) await signIn(who);
    projectId = (await ok(users.client('coder1').api.projects.$get()))[0]!.id;
    const param = { projectId };
    itemId = (await ok(project('editor').items.$post({ param, json: { title: TITLE, platform: 'news', body: BODY } }))).id;
    const upload = await fetch(new URL(`/api/projects/${projectId}/items/${itemId}/attachments?name=shot.png`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'image/png', cookie: accounts.editor!.cookie },
      body: PNG,
    });
    expect(upload.status).toBe(201);
    attachmentPath = `/api/projects/${projectId}/items/${itemId}/attachments/${((await upload.json()) as { id: string }).id}`;
    await ok(project('editor').assignments.$post({ param, json: { roundName: 'shared computer', type: 'production', coderIds: [accounts.coder1!.id], itemIds: [itemId], mode: { type: 'k', k: 1 }, seed: 1 } }));
  }, 180_000);

  afterAll(async () => {
    await users.closeContexts();
    await browser?.close();
    await server?.dispose();
  });

  /** What the page shows now: its text, and whether it is an image document (the screenshot). */
  const shown = (page: Page) =>
    page.evaluate(() => ({ text: document.body?.innerText ?? '', image: document.contentType.startsWith('image/'), url: location.pathname }));

  /** The coding page of the item, with coder1's value in it. */
  async function openItem(page: Page, base: string): Promise<void> {
    await open(page, base, `/projects/${projectId}/items/${itemId}`);
    await page.locator('#item-title', { hasText: TITLE }).waitFor();
  }

  /** Signs out, then goes Back through the whole history: what showed and which API requests succeeded. */
  async function signOutAndGoBack(page: Page) {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const succeeded: string[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      // /api/auth/setup is the sign-in page's own question (does the instance need a first owner?), nobody's data.
      if (url.pathname.startsWith('/api/') && url.pathname !== '/api/auth/setup' && response.status() < 400) succeeded.push(`${response.status()} ${url.pathname}`);
    });
    const seen: { url: string; text: string; image: boolean }[] = [];
    for (let step = 0; step < 12 && page.url() !== 'about:blank'; step++) {
      await page.goBack({ waitUntil: 'commit' }).catch(() => null);
      // What shows at once (a page the browser kept whole), then once the app has run (a load that finds no session).
      seen.push(await shown(page));
      await page.waitForLoadState('networkidle').catch(() => {});
      seen.push(await shown(page));
    }
    const leaks = seen.filter((s) => s.image || [TITLE, BODY, SUBTEXT, accounts.coder1!.name].some((secret) => s.text.includes(secret)));
    return { leaks, succeeded, steps: seen.length };
  }

  it('on a secure origin with the service worker in charge: Back shows none of her pages, her screenshot, or an API answer', async () => {
    const page = await users.openAs('coder1');
    await open(page, server.url, '/');
    // A browser that was here before: the service worker already controls the pages (its first claim empties the back/forward cache).
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000, interval: 100 }).toBe(true);
    // Full loads: each is a document the browser may keep whole for Back.
    await open(page, server.url, '/');
    await open(page, server.url, `/projects/${projectId}?view=table`);
    await page.getByText(TITLE).first().waitFor();
    await openItem(page, server.url);
    await page.locator('#f-subtext').fill(SUBTEXT);
    await page.locator('#f-subtext').press('Tab');
    await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    // The screenshot opened as a page (a new tab or the address bar), then back to coding.
    expect((await page.goto(new URL(attachmentPath, server.url).href))?.status()).toBe(200);
    await openItem(page, server.url);

    const { leaks, succeeded, steps } = await signOutAndGoBack(page);
    expect(steps).toBeGreaterThan(8);
    expect(leaks).toEqual([]);
    expect(succeeded).toEqual([]);
    // Typed again, the screenshot's address asks the server (no-cache), which no longer knows the browser.
    expect((await page.goto(new URL(attachmentPath, server.url).href))?.status()).toBe(401);
    expect(pageErrors).toEqual([]);
  });

  it('on a plain-http address (no Clear-Site-Data, no service worker): Back shows none of her pages; the shell is never stored', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`lan: ${err.message}`));
    await signInWithForm(page, lanUrl(), demoEmail('coder1'), TEST_DEMO_PASSWORD);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const shell = await page.goto(new URL(`/projects/${projectId}?view=table`, lanUrl()).href);
    expect(shell?.headers()['cache-control']).toBe('no-store');
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByText(TITLE).first().waitFor();
    await openItem(page, lanUrl());
    await open(page, lanUrl(), '/');

    const { leaks, succeeded, steps } = await signOutAndGoBack(page);
    expect(steps).toBeGreaterThan(6);
    expect(leaks).toEqual([]);
    expect(succeeded).toEqual([]);
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('sign-out stops while codings are unsent, says so, and goes on (discarding them) only when asked', async () => {
    await signIn('coder1'); // the first test's sign-out ended her API session
    const page = await users.openAs('coder1');
    const context = page.context();
    await openItem(page, server.url);
    // The server cannot be reached for live documents: what she codes stays on this device, pending.
    await context.routeWebSocket(/\/yjs\//, (ws) => ws.close());
    await page.reload();
    await page.locator('#item-title', { hasText: TITLE }).waitFor();
    await page.locator('#f-subtext').fill('unsent work');
    await page.locator('#f-subtext').press('Tab');
    const docName = `coding:${itemId}:${accounts.coder1!.id}`;
    await expect.poll(() => page.evaluate(() => localStorage.getItem('concord-offline-pending')), { timeout: 10_000, interval: 100 }).toContain(docName);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('alert').getByText(/One coded item has changes the server has not received yet/).waitFor({ timeout: 60_000 });
    // Still signed in, her work still on this device.
    expect(await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status))).toBe(200);
    expect(await page.evaluate(() => localStorage.getItem('concord-offline-pending'))).toContain(docName);
    expect(await page.evaluate(async (name) => (await indexedDB.databases()).some((d) => d.name === name), docName)).toBe(true);

    await page.getByRole('button', { name: 'Sign out and discard them' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect
      .poll(() => page.evaluate(async (name) => ({ pending: localStorage.getItem('concord-offline-pending'), kept: (await indexedDB.databases()).some((d) => d.name === name) }), docName), {
        timeout: 10_000,
        interval: 100,
      })
      .toEqual({ pending: null, kept: false });
    expect(pageErrors).toEqual([]);
  });
});
