/**
 * Issue 13 item 8, offline from a cold start, in Chromium on the demo study: coder1 loads her
 * queue once (the service worker and the queue page store the app, her codebook and her items),
 * goes offline, closes the tab, opens Concord again with no connection at all, codes two items,
 * and when the connection is back the server holds exactly what she coded. A tab closed offline
 * sends its work at the next visit, and signing out deletes her offline data from the browser.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { browserSessions, open } from '../helpers/sessions.ts';
import { ok } from '../helpers/api.ts';

const chromiumPath = findChromium();
/** The web build's JavaScript: the pages' chunks and those loaded lazily (`$lib/lazy.ts`) alike. */
const IMMUTABLE_DIR = path.resolve(import.meta.dirname, '../../apps/web/build/client/_app/immutable');
const builtScripts = () =>
  readdirSync(IMMUTABLE_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => `/_app/immutable/${file.split(path.sep).join('/')}`);

/** A 1×1 PNG: an image attachment, shown as a thumbnail in the coding view. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe.skipIf(!chromiumPath)('offline from a cold start in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  const itemIds: string[] = [];
  const users = browserSessions(() => ({ url: server.url, browser }));
  const { accounts, pageErrors, client, project, signIn } = users;
  /** Console reports of anything the Content-Security-Policy blocked, the service worker's registration included (should stay empty). */
  const cspViolations: string[] = [];
  function watch(page: Page): Page {
    page.on('pageerror', (err) => pageErrors.push(`coder1: ${err.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  }

  /** coder1's values of `fields` on an item, as the server has them. */
  async function serverValues(itemId: string, fields: string[]): Promise<Record<string, unknown>> {
    const rows = await ok(project('coder1').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
    return Object.fromEntries(rows.filter((r) => fields.includes(r.fieldKey)).map((r) => [r.fieldKey, r.value]));
  }

  /** Opens an item of the queue from the queue page (a link, as a coder does) and waits for its form. */
  async function codeFromQueue(page: Page, title: string): Promise<void> {
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByRole('link', { name: title, exact: true }).click();
    await page.locator('#item-title', { hasText: title }).waitFor();
    await page.locator('.sync[role="status"]').getByText('Offline — changes kept on this device', { exact: true }).waitFor();
  }

  /** The queue page says both new items are stored, and marks them. */
  async function storedForOffline(page: Page, status: 'ready' | 'offline'): Promise<void> {
    await page.locator(`[data-offline="${status}"][data-offline-count="2"]`).waitFor();
    await expect(page.locator('[data-offline-item]').count()).resolves.toBe(2);
  }

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await launchChromium(chromiumPath!);
    for (const who of ['coder1', 'editor']) await signIn(who);
    projectId = (await ok(client('coder1').api.projects.$get()))[0]!.id;
    // The demo's coder1 has submitted all her items: the editor gives her two new ones, one with a screenshot.
    const param = { projectId };
    for (const title of ['Offline item one', 'Offline item two']) {
      itemIds.push((await ok(project('editor').items.$post({ param, json: { title, platform: 'news', body: `${title}: a post to code without a network.` } }))).id);
    }
    const upload = await fetch(new URL(`/api/projects/${projectId}/items/${itemIds[0]}/attachments?name=shot.png`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'image/png', cookie: accounts.editor!.cookie },
      body: PNG,
    });
    expect(upload.status).toBe(201);
    await ok(project('editor').assignments.$post({ param, json: { roundName: 'offline test', type: 'production', coderIds: [accounts.coder1!.id], itemIds, mode: { type: 'k', k: 1 }, seed: 1 } }));
  }, 180_000);

  afterAll(async () => {
    await users.closeContexts();
    await browser?.close();
    await server?.dispose();
  });

  let context: BrowserContext;

  it('load, go offline, close the tab, reopen, code two items, reconnect: the server has every value', async () => {
    const first = watch(await users.openAs('coder1'));
    context = first.context();
    await open(first, server.url, `/projects/${projectId}`);
    await storedForOffline(first, 'ready');
    await first.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => first.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000, interval: 100 }).toBe(true);
    // Installed: every script of the build is kept, those the coding view loads lazily too, though this tab never loaded them.
    const precached = await first.evaluate(async () => {
      const shell = (await caches.keys()).find((name) => name.startsWith('concord-shell-'));
      return shell ? (await (await caches.open(shell)).keys()).map((k) => new URL(k.url).pathname) : [];
    });
    const scripts = builtScripts();
    expect(scripts.length).toBeGreaterThan(30);
    expect(scripts.filter((file) => !precached.includes(file))).toEqual([]);

    // Blind coding: what is kept is what the server gave coder1. Her items' assignment answers list her alone.
    const kept = await first.evaluate(async () => {
      const cache = await caches.open('concord-data');
      const keys = await cache.keys();
      const assignments = await Promise.all(keys.filter((k) => k.url.includes('/assignments?')).map(async (k) => (await (await cache.match(k))!.json()) as { coderId: string }[]));
      return { urls: keys.map((k) => new URL(k.url).pathname), assignments };
    });
    expect(kept.assignments).toHaveLength(2);
    for (const list of kept.assignments) expect(list.map((a) => a.coderId)).toEqual([accounts.coder1!.id]);
    expect(kept.urls.filter((u) => /\/codings$|\/export\/|\/reliability/.test(u))).toEqual([]);

    await context.setOffline(true);
    await first.close();
    const page = watch(await context.newPage());
    // With no connection the service worker answers: the shell it kept, with the CSP it came with.
    const shell = await page.goto(new URL(`/projects/${projectId}`, server.url).href);
    expect(shell?.fromServiceWorker()).toBe(true);
    const csp = shell?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    await page.locator('body[data-hydrated="true"]').waitFor();
    await storedForOffline(page, 'offline');

    await codeFromQueue(page, 'Offline item one');
    // The span tools are a lazily loaded chunk, answered by the service worker from what it precached.
    await page.getByRole('heading', { name: /^Tagged spans/ }).waitFor();
    // The screenshot's thumbnail comes from what this device kept.
    const thumb = page.getByRole('img', { name: 'Screenshot: shot.png' });
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000, interval: 100 }).toBe(1);
    await page.locator('#f-dimension-1').check(); // Speech
    await page.locator('#f-subtext').fill('coded offline, item one');
    await page.locator('#f-subtext').press('Tab');

    await page.locator('.crumbs a').nth(1).click();
    await codeFromQueue(page, 'Offline item two');
    await page.locator('#f-dimension-2').check(); // Access
    await page.locator('#f-subtext').fill('coded offline, item two');
    await page.locator('#f-subtext').press('Tab');

    // Nothing has reached the server while offline.
    expect(await serverValues(itemIds[0]!, ['dimension', 'subtext'])).toEqual({});
    expect(await serverValues(itemIds[1]!, ['dimension', 'subtext'])).toEqual({});

    await context.setOffline(false);
    await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    await expect
      .poll(() => serverValues(itemIds[0]!, ['dimension', 'subtext']), { timeout: 15_000, interval: 100 })
      .toEqual({ dimension: 'speech', subtext: 'coded offline, item one' });
    await expect
      .poll(() => serverValues(itemIds[1]!, ['dimension', 'subtext']), { timeout: 15_000, interval: 100 })
      .toEqual({ dimension: 'access', subtext: 'coded offline, item two' });
    await page.close();
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('a tab closed while offline sends its work at the next visit with a connection', async () => {
    const page = watch(await context.newPage());
    await open(page, server.url, `/projects/${projectId}`);
    await storedForOffline(page, 'ready');
    await context.setOffline(true);
    await codeFromQueue(page, 'Offline item one');
    await page.locator('#f-element-1').check(); // Methods

    // Another tab, offline too, opens the item from this device's copy: the value is there to close the first on.
    const second = watch(await context.newPage());
    await open(second, server.url, `/projects/${projectId}/items/${itemIds[0]}`);
    await second.locator('#f-element-1:checked').waitFor();
    await page.close();
    await second.close();
    expect(await serverValues(itemIds[0]!, ['element'])).toEqual({});

    await context.setOffline(false);
    const back = watch(await context.newPage());
    await open(back, server.url, '/');
    await expect.poll(() => serverValues(itemIds[0]!, ['element', 'dimension']), { timeout: 20_000, interval: 100 }).toEqual({ element: 'methods', dimension: 'speech' });
    await expect.poll(() => back.evaluate(() => localStorage.getItem('concord-offline-pending')), { timeout: 10_000, interval: 100 }).toBeNull();

    // Signing out deletes coder1's offline data from this browser (a shared computer).
    await back.getByRole('button', { name: 'Sign out' }).click();
    await back.getByRole('button', { name: 'Sign in' }).waitFor();
    const coderId = accounts.coder1!.id;
    await expect
      .poll(
        () =>
          back.evaluate(async (id) => {
            const databases = (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => name.endsWith(`:${id}`));
            return { data: await caches.has('concord-data'), databases };
          }, coderId),
        { timeout: 10_000, interval: 100 },
      )
      .toEqual({ data: false, databases: [] });
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
