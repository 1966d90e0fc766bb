/**
 * One project navigation on every project page, in Chromium against the demo study: the same
 * tabs on the items page, an item page, the drill-downs and every section, the current one
 * marked, and only the sections the role may open (a coder gets no reliability, report, workbench or import).
 * The members page has a role guide. At 390 px the header fits: nothing scrolls sideways and "Sign out" is whole and clickable.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { open as openAt, signInWithForm } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

const MANAGER_TABS = ['Items', 'Incidents', 'Codebook', 'Members', 'Actors', 'Assignments', 'Reliability', 'Disagreements', 'Review', 'Report', 'Workbench', 'Import'];
const CODER_TABS = ['Items', 'Incidents', 'Codebook', 'Members', 'Actors', 'Assignments', 'Disagreements'];

describe.skipIf(!chromiumPath)('project navigation in Chromium', () => {
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
  const nav = (page: Page) => page.getByRole('navigation', { name: /^Sections of/ });
  const tabsOf = async (page: Page) => {
    await nav(page).waitFor();
    return nav(page).getByRole('link').allTextContents();
  };
  const currentTab = (page: Page) => nav(page).locator('a[aria-current="page"]').textContent();
  const firstHref = async (page: Page, selector: string) => {
    const href = await page.locator(selector).first().getAttribute('href');
    expect(href, selector).toBeTruthy();
    return href!;
  };

  it('shows the same tabs on every project page, marking the current one, as the editor', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    try {
      await signInWithForm(page, server.url, 'editor@demo.concord', TEST_DEMO_PASSWORD);
      const project = await firstHref(page, 'a[href^="/projects/prj_"]');
      const sections: [string, string][] = [
        ['', 'Items'],
        ['/incidents', 'Incidents'],
        ['/codebook', 'Codebook'],
        ['/members', 'Members'],
        ['/actors', 'Actors'],
        ['/assignments', 'Assignments'],
        ['/reliability', 'Reliability'],
        ['/disagreements', 'Disagreements'],
        ['/review', 'Review'],
        ['/report', 'Report'],
        ['/workbench', 'Workbench'],
        ['/import', 'Import'],
      ];
      for (const [path, tab] of sections) {
        await open(page, `${project}${path}`);
        expect(await tabsOf(page), path).toEqual(MANAGER_TABS);
        expect(await currentTab(page), path).toBe(tab);
      }
      // The pages below the sections keep the navigation too.
      await open(page, `${project}/disagreements`);
      await open(page, await firstHref(page, 'a[href*="/disagreements/itm_"]'));
      expect(await tabsOf(page)).toEqual(MANAGER_TABS);
      expect(await currentTab(page)).toBe('Disagreements');
      await open(page, `${project}/reliability`);
      await open(page, await firstHref(page, 'a[href*="/reliability/"]'));
      expect(await tabsOf(page)).toEqual(MANAGER_TABS);
      expect(await currentTab(page)).toBe('Reliability');
      await open(page, project);
      await open(page, await firstHref(page, 'a[href*="/items/itm_"]'));
      expect(await tabsOf(page)).toEqual(MANAGER_TABS);
      expect(await currentTab(page)).toBe('Items');
      // The tabs navigate.
      await nav(page).getByRole('link', { name: 'Report' }).click();
      await page.waitForURL(`**${project}/report`);
      expect(await currentTab(page)).toBe('Report');
    } finally {
      await page.context().close();
    }
  });

  it('shows a coder only the sections a coder may open, and fits 390 px', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    try {
      await signInWithForm(page, server.url, 'coder1@demo.concord', TEST_DEMO_PASSWORD);
      const project = await firstHref(page, 'a[href^="/projects/prj_"]');
      for (const path of ['', '/incidents', '/codebook', '/members', '/assignments', '/disagreements']) {
        await open(page, `${project}${path}`);
        expect(await tabsOf(page), path).toEqual(CODER_TABS);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${path || 'items'} scrolls sideways`).toBeLessThanOrEqual(390);
      }
      // The members page explains the roles, marking the reader's own.
      await open(page, `${project}/members`);
      const guide = page.getByRole('region', { name: 'What each role can do' });
      expect((await guide.locator('dt').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['owner', 'methodologist', 'editor', 'coder (your role)']);
      await open(page, project);
      await open(page, await firstHref(page, 'a[href*="/items/itm_"]'));
      expect(await tabsOf(page)).toEqual(CODER_TABS);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the item page scrolls sideways').toBeLessThanOrEqual(390);

      // The header's "Sign out" is whole inside the viewport and is what a click there reaches.
      const signOut = page.getByRole('button', { name: 'Sign out' });
      const box = (await signOut.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      const clipped = await signOut.evaluate((el) => el.scrollWidth > el.clientWidth || el.closest('header')!.scrollWidth > el.closest('header')!.clientWidth);
      expect(clipped).toBe(false);
      await signOut.click();
      await page.waitForURL('**/login**');
    } finally {
      await page.context().close();
    }
  });
});
