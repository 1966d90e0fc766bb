// TEMPORARY probe (not committed): which manager pages scroll sideways at 390 px, and what is wide.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { findChromium, launchChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { open, signInWithForm } from '../helpers/sessions.ts';

describe('probe', () => {
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await launchChromium(findChromium()!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });
  it('measures', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signInWithForm(page, server.url, 'editor@demo.concord', TEST_DEMO_PASSWORD);
    const project = (await page.locator('a[href^="/projects/prj_"]').first().getAttribute('href'))!;
    for (const section of ['', '/incidents', '/codebook', '/members', '/actors', '/assignments', '/import', '/reliability', '/disagreements', '/report', '/audit']) {
      await open(page, `${project}${section}`);
      await page.waitForLoadState('networkidle');
      const out = await page.evaluate(`(() => {
        const w = document.documentElement.scrollWidth;
        const wide = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > 391 && r.width > 0) wide.push(el.tagName.toLowerCase() + '.' + String(el.className).slice(0,40) + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
        }
        return { w, wide: wide.slice(0, 12) };
      })()`);
      console.log('PROBE', section || 'items', JSON.stringify(out));
    }
    await open(page, project);
    await open(page, (await page.locator('a[href*="/items/itm_"]').first().getAttribute('href'))!);
    await page.waitForLoadState('networkidle');
    console.log('PROBE item', await page.evaluate(() => document.documentElement.scrollWidth));
  });
});
