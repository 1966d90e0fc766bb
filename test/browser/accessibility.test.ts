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

  it.each(SETTINGS)('every page passes the audit ($name)', async (setting) => {
    const problems: Record<string, string[]> = {};
    const audit = async (page: Page, label: string) => {
      // Data arrives after hydration on some pages: wait until the network is quiet.
      await page.waitForLoadState('networkidle');
      const found = await auditPage(page);
      if (found.length) problems[label] = found;
    };
    const newPage = async () => (await browser.newContext({ colorScheme: setting.colorScheme, viewport: setting.viewport })).newPage();

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
    } finally {
      await editor.context().close();
      await coder.context().close();
    }
  });
});
