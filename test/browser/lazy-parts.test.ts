/**
 * Parts of the coding page that load when first shown (apps/web `$lib/lazy.ts`, LazyPart.svelte),
 * when their code does not arrive, in Chromium against the real server with the demo study. The
 * span tagging chunk is made to fail by route interception (service workers blocked, so the page
 * fetches it itself: offline without the worker's cache):
 *  - a failed load says so where the part would be, announced (role=alert), passes the page
 *    audit, and Retry loads it;
 *  - after an upgrade (the chunk is gone: 404, and the server's version.json names another
 *    version) the message offers a reload instead, which keeps the text the coder just typed;
 *  - no uncaught error reaches the page, and the console has only the failed requests.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.ts';
import { auditPage } from '../helpers/accessibility.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { findChromium } from '../helpers/chromium.ts';
import { open } from '../helpers/sessions.ts';

const chromiumPath = findChromium();
const CODER = 'coder2';

/** The built file of a source module, from the web build's Vite manifest. */
function chunkOf(source: string): string {
  const manifest = JSON.parse(readFileSync(new URL('../../apps/web/.svelte-kit/output/client/.vite/manifest.json', import.meta.url), 'utf8')) as Record<string, { file: string; src?: string }>;
  const entry = Object.values(manifest).find((c) => c.src === source);
  if (!entry) throw new Error(`${source} is not in the web build's manifest`);
  return `/${entry.file}`;
}

describe.skipIf(!chromiumPath)('a part of the coding page that fails to load', () => {
  const suite = browserSuite({ signIn: [CODER] });
  const contexts: BrowserContext[] = [];
  // Registered after the suite's: runs before the suite lets the browser go.
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
  });

  /** A page of `CODER` whose fetches this test sees (no service worker answers them), with what it logged. */
  async function coderPage(): Promise<{ page: Page; consoleErrors: string[]; uncaught: string[] }> {
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
    contexts.push(context);
    const [name, value] = suite.accounts[CODER]!.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: suite.server.url }]);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const uncaught: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => uncaught.push(e.message));
    return { page, consoleErrors, uncaught };
  }

  /** An item the coder codes and has not submitted. */
  async function itemToCode(): Promise<string> {
    const projectId = await suite.firstProjectId(CODER);
    const { items } = await ok(suite.project(CODER).items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    for (const item of items) {
      const [mine] = await ok(suite.project(CODER).assignments.$get({ param: { projectId }, query: { item: item.id } }));
      if (mine && mine.submittedAt === null) return `/projects/${projectId}/items/${item.id}`;
    }
    throw new Error('the demo leaves the coder an item to code');
  }

  const spanTagsChunk = () => chunkOf('src/lib/components/SpanTags.svelte');

  it('says so in its place, announced and accessible; Retry loads it; nothing uncaught', async () => {
    const path = await itemToCode();
    const { page, consoleErrors, uncaught } = await coderPage();
    const chunk = spanTagsChunk();
    // One matcher object: unroute removes a route by the matcher it was added with.
    const isChunk = (url: URL) => url.pathname === chunk;
    let refused = 0;
    const refuse = (route: Route) => {
      refused++;
      return route.abort('internetdisconnected');
    };
    await page.route(isChunk, refuse);
    await open(page, suite.server.url, path);

    const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Span tagging could not be loaded.');
    expect(refused).toBeGreaterThan(0);
    // The rest of the page works: the form is there and the coder's document is saved.
    await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: /Tagged spans/ }).count()).toBe(0);
    expect(await auditPage(page)).toEqual([]);

    await page.unroute(isChunk, refuse);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: /Tagged spans/ }).waitFor();
    expect(await page.locator('[data-part-failed]').count()).toBe(0);

    expect(uncaught).toEqual([]);
    // The aborted request is the only error the browser logged.
    expect(consoleErrors.every((e) => e.startsWith('Failed to load resource')), consoleErrors.join('\n')).toBe(true);
  });

  it('after an upgrade: offers a reload, which keeps the text just typed', async () => {
    const path = await itemToCode();
    const { page, uncaught } = await coderPage();
    const chunk = spanTagsChunk();
    const isChunk = (url: URL) => url.pathname === chunk;
    // The server now serves another build: the open page's chunk is gone, its version is not current.
    const gone = (route: Route) => route.fulfill({ status: 404, body: 'not found' });
    await page.route(isChunk, gone);
    await page.route('**/_app/version.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ version: 'a-newer-build' }) }));
    await open(page, suite.server.url, path);

    const alert = page.getByRole('alert').filter({ hasText: 'Concord was updated' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Your codings are saved as you type');
    expect(await alert.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(await auditPage(page)).toEqual([]);

    await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    const typed = `Typed just before the reload ${Date.now()}`;
    const subtext = page.locator('[data-field="subtext"] textarea');
    await subtext.fill(typed);
    // The new build is there after the reload.
    await page.unroute(isChunk, gone);
    await Promise.all([page.waitForEvent('load'), alert.getByRole('button', { name: 'Reload the page' }).click()]);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByRole('heading', { name: /Tagged spans/ }).waitFor();
    await expect.poll(() => subtext.inputValue()).toBe(typed);
    expect(uncaught).toEqual([]);
  });
});
