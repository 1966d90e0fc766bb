/**
 * The browser defences of the web pages, served by the real server process: SvelteKit's
 * Content-Security-Policy (a nonce for its own inline bootstrap, nothing else inline), no
 * framing, nosniff and a Referrer-Policy; and in Chromium the pages still hydrate and open
 * their live connections without a single CSP violation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { open as openPage, submitSignInForm } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('security headers of the web pages', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('sends a nonce-based CSP that forbids framing, plus nosniff and a Referrer-Policy, on pages', async () => {
    const res = await fetch(new URL('/login', server.url));
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // Every inline script in the page carries the header's nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    // Static assets get the headers too.
    const asset = /\/_app\/immutable\/[^"]+\.js/.exec(html)![0];
    expect((await fetch(new URL(asset, server.url))).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('hydrates, signs in and opens the live connections in Chromium without a CSP violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await openPage(page, server.url, '/login');
    await submitSignInForm(page, 'coder1@demo.concord', TEST_DEMO_PASSWORD);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByRole('link', { name: /Kazakhstan/ }).first().click();
    await page.waitForURL('**/projects/**');
    await expect.poll(() => sockets.some((url) => url.includes('/socket.io')), { timeout: 20_000 }).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });
});
