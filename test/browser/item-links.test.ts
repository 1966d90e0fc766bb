/**
 * Issue 11, finding 6, in the browser: an item link stored before the API checked schemes
 * (written here straight into the stopped server's database) is not rendered as a link,
 * neither in the items table nor on the item page; an http(s) link still is.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { browserSessions } from '../helpers/sessions.ts';

const chromiumPath = findChromium();
const BAD_URL = 'javascript:alert(document.cookie)';
const GOOD_URL = 'https://example.org/original';

/** The scheme of every link on the page, as the browser resolves it. */
const linkSchemes = (page: Page) => page.locator('a[href]').evaluateAll((links) => [...new Set(links.map((a) => (a as HTMLAnchorElement).protocol))]);

describe.skipIf(!chromiumPath)('item links in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  let bad: { id: string; title: string };
  let good: { id: string; title: string };
  const s = browserSessions(() => ({ url: server.url, browser }));

  beforeAll(async () => {
    assertWebBuilt();
    const first = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    await first.stop();
    const db = await PGlite.create(first.dataDir);
    const { rows } = await db.query<{ id: string; title: string; project_id: string }>('select id, title, project_id from items order by seq limit 2');
    [bad, good] = [rows[0]!, rows[1]!];
    projectId = rows[0]!.project_id;
    await db.query('update items set url = $1 where id = $2', [BAD_URL, bad.id]);
    await db.query('update items set url = $1 where id = $2', [GOOD_URL, good.id]);
    await db.close();
    server = await first.restart();
    browser = await connectChromium(chromiumPath!);
    await s.signIn('coder1');
  }, 180_000);

  afterAll(async () => {
    await s.closeContexts();
    await browser?.close();
    await server?.dispose();
  });

  it('the items table links only the http(s) original', async () => {
    // A coder's project opens on her queue; the whole table is one switch away.
    const page = await s.openAs('coder1', { path: `/projects/${projectId}?view=table` });
    await page.getByRole('link', { name: bad.title, exact: true }).waitFor();
    const goodRow = page.locator('tr', { has: page.getByRole('link', { name: good.title, exact: true }) });
    await expect(goodRow.locator('a.original').getAttribute('href')).resolves.toBe(GOOD_URL);
    const badRow = page.locator('tr', { has: page.getByRole('link', { name: bad.title, exact: true }) });
    await expect(badRow.locator('a.original').count()).resolves.toBe(0);
    expect((await linkSchemes(page)).filter((p) => p !== 'http:' && p !== 'https:')).toEqual([]);
  });

  it('the item page shows that the stored link is not shown', async () => {
    const page = await s.openAs('coder1', { path: `/projects/${projectId}/items/${bad.id}` });
    await page.locator('[data-unsafe-url]').waitFor();
    await expect(page.getByRole('link', { name: 'Open the original' }).count()).resolves.toBe(0);
    expect((await linkSchemes(page)).filter((p) => p !== 'http:' && p !== 'https:')).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
