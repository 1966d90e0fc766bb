import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@concord/server/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { open as openPage, submitSignInForm } from '../helpers/sessions.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DEMO_PROJECT = 'Unfreedom Monitor: Kazakhstan 2022';
const CODER = 'coder1@demo.concord';

const chromiumPath = findChromium();

// Skipped only when Chromium is missing outside CI (findChromium has warned; on CI it throws instead).
describe.skipIf(!chromiumPath)('signing in to the demo in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** Console reports of anything the Content-Security-Policy blocked (should stay empty). */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    // One after the other, so afterAll can clean up whichever started when the other fails.
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    context = await browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** Navigates and waits until Svelte has hydrated: clicks sent earlier would be lost. */
  const open = (path: string) => openPage(page, server.url, path);
  const signIn = (email: string, password: string) => submitSignInForm(page, email, password);

  it('sends a signed-out visitor to the login page, which lists the demo accounts but no password', async () => {
    await open('/');
    await page.waitForURL('**/login');
    await expect(page.getByRole('heading', { name: 'Demo accounts' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(CODER, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.locator('body').innerText()).resolves.not.toContain(TEST_DEMO_PASSWORD);
    await page.screenshot({ path: `${ARTIFACTS}login.png`, fullPage: true });
  });

  it("shows the API's own message for a wrong password", async () => {
    const res = await createApiClient(server.url).api.auth.login.$post({ json: { email: CODER, password: 'not-the-password' } });
    expect(res.status).toBe(401);
    const apiMessage = ((await res.json()) as { error: { message: string } }).error.message;

    await signIn(CODER, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toBe(apiMessage);
    expect(page.url()).toMatch(/\/login$/);
  });

  it('signs coder1 in and lists the demo project with their role and item count', async () => {
    await signIn(CODER, TEST_DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    const card = page.getByRole('listitem').filter({ hasText: DEMO_PROJECT });
    await expect(card.innerText()).resolves.toMatch(/Role:\s*coder/i);
    await expect(card.innerText()).resolves.toContain('30 items');
  });

  it('opens the project on the coder\'s queue, then all 30 items in two incidents, filterable by incident', async () => {
    await page.getByRole('link', { name: DEMO_PROJECT }).click();
    await page.getByRole('heading', { name: DEMO_PROJECT, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/projects\/prj_/);
    // A coder's project opens on her queue (queue.test.ts walks it); the whole table is one link away.
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByRole('link', { name: 'All items' }).click();
    await page.waitForURL((url) => url.searchParams.get('view') === 'table');

    const status = page.getByRole('status').filter({ hasText: /items/ });
    await expect(status.innerText()).resolves.toMatch(/^30 items/);
    // The table is virtualised: aria-rowcount (header row included) counts every item, rendered or not.
    await expect(page.locator('table[aria-rowcount]').getAttribute('aria-rowcount')).resolves.toBe('31');

    // The incidents the API reports for this project, read with the browser's session cookie.
    const projectId = new URL(page.url()).pathname.split('/').at(-1)!;
    const cookie = (await context.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await createApiClient(server.url, { headers: { cookie } }).api.projects[':projectId'].incidents.$get({ param: { projectId } });
    if (!res.ok) throw new Error(`incidents: ${res.status}`);
    const { incidents } = await res.json();
    expect(incidents).toHaveLength(2);
    const shown = page.getByRole('region', { name: 'Incidents' });
    for (const incident of incidents) {
      await expect(shown.getByRole('heading', { name: incident.name }).isVisible()).resolves.toBe(true);
    }
    await page.screenshot({ path: `${ARTIFACTS}project.png`, fullPage: true });

    const [first] = incidents;
    await page.getByRole('combobox', { name: 'Incident' }).selectOption(first!.id);
    await page.waitForURL((url) => url.searchParams.get('incident') === first!.id);
    await page.getByRole('status').getByText(`${first!.itemCount} items match`).waitFor();
    await expect(page.locator('table[aria-rowcount]').getAttribute('aria-rowcount')).resolves.toBe(String(first!.itemCount + 1));
  });

  it('signs out and the session is gone', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await open('/');
    await page.waitForURL('**/login');
    expect(pageErrors).toEqual([]);
    // The whole visit (hydration, sign-in, the project page and its /socket.io connection) ran under the CSP.
    expect(cspViolations).toEqual([]);
  });

  it('sends a nonce-based CSP that forbids framing, plus nosniff and a Referrer-Policy, on pages and assets', async () => {
    const res = await fetch(new URL('/login', server.url));
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // Every inline script carries the header's nonce: nothing else inline may run.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    const asset = /\/_app\/immutable\/[^"]+\.js/.exec(html)![0];
    expect((await fetch(new URL(asset, server.url))).headers.get('x-content-type-options')).toBe('nosniff');
  });
});
