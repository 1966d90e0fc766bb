/**
 * Accessibility of every page of the demo study, in Chromium: text contrast, accessible names
 * of controls, and no sideways scrolling, in the light scheme on a laptop screen and in the
 * dark scheme at 200% zoom (a 640 CSS px wide viewport) and on a 390 px phone: every page as the
 * editor (who sees them all, the manager pages included), and the coding view as a coder.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage } from '../helpers/accessibility.ts';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { open as openAt, signInWithForm } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

const SETTINGS = [
  { name: 'light, 1280 px', colorScheme: 'light', viewport: { width: 1280, height: 800 } },
  { name: 'dark, 200% zoom', colorScheme: 'dark', viewport: { width: 640, height: 800 } },
  { name: 'light, 390 px phone', colorScheme: 'light', viewport: { width: 390, height: 844 } },
] as const;

describe.skipIf(!chromiumPath)('accessibility in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const open = (page: Page, path: string) => openAt(page, server.url, path);

  const signIn = (page: Page, email: string) => signInWithForm(page, server.url, email, TEST_DEMO_PASSWORD);

  // Each page is loaded once and audited in every setting (viewport and colour scheme switched on
  // the loaded page, as a reader who resizes or zooms does), instead of loading every page three
  // times; the pages load in turn in each setting, since the loop leaves the last one applied.
  // One test for the 63 audits (three tests before, each within the default 120 s): its own timeout.
  it('every page passes the audit in each setting (light 1280 px, dark at 200% zoom, light 390 px phone)', { timeout: 300_000 }, async () => {
    const problems: Record<string, string[]> = {};
    const settingsAudited = new Map<string, number>();
    const audit = async (page: Page, label: string) => {
      // Data arrives after hydration on some pages: wait until the network is quiet.
      await page.waitForLoadState('networkidle');
      for (const setting of SETTINGS) {
        await page.setViewportSize(setting.viewport);
        await page.emulateMedia({ colorScheme: setting.colorScheme });
        // Let the layout, and anything measuring the viewport, catch up before reading it.
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        const found = await auditPage(page);
        if (found.length) problems[`${label} (${setting.name})`] = found;
        settingsAudited.set(setting.name, (settingsAudited.get(setting.name) ?? 0) + 1);
      }
    };
    const newPage = async () => (await browser.newContext({ colorScheme: SETTINGS[0].colorScheme, viewport: SETTINGS[0].viewport })).newPage();

    const editor = await newPage();
    const coder = await newPage();
    try {
      await open(editor, '/login');
      await audit(editor, 'sign-in');
      await signIn(editor, 'editor@demo.concord');
      await audit(editor, 'projects');
      const project = (await editor.locator('a[href^="/projects/prj_"]').first().getAttribute('href'))!;
      for (const section of ['', '/incidents', '/codebook', '/members', '/actors', '/assignments', '/import', '/reliability', '/disagreements', '/review', '/report', '/workbench', '/audit', '/reliability/civic_impact', '/reliability/against-gold']) {
        await open(editor, `${project}${section}`);
        await audit(editor, section || 'overview');
      }
      await open(editor, `${project}/disagreements`);
      const disagreement = await editor.locator('a[href*="/disagreements/itm_"]').first().getAttribute('href');
      expect(disagreement, 'the demo study has disagreements to audit').toBeTruthy();
      await open(editor, disagreement!);
      await audit(editor, 'disagreement');
      // The editor's coding view: the phase control and the reopen form (opened).
      await open(editor, `${project}/items/${disagreement!.split('/')[4]}`);
      await editor.getByText('Reopen a submission').click();
      await editor.getByRole('form', { name: "Reopen a coder's submission" }).waitFor();
      await audit(editor, 'coding view (editor)');
      await open(editor, `${project}/incidents`);
      await open(editor, (await editor.locator('a[href*="/incidents/inc_"]').first().getAttribute('href'))!);
      await audit(editor, 'incident');

      await signIn(coder, 'coder1@demo.concord');
      await open(coder, project);
      await open(coder, (await coder.locator('a[href*="/items/itm_"]').first().getAttribute('href'))!);
      await coder.locator('.sync[data-state="saved"]').waitFor();
      await audit(coder, 'coding view');

      expect(problems).toEqual({});
      // 21 pages, each in all three settings.
      expect(Object.fromEntries(settingsAudited)).toEqual(Object.fromEntries(SETTINGS.map((s) => [s.name, 21])));
    } finally {
      await editor.context().close();
      await coder.context().close();
    }
  });
});
