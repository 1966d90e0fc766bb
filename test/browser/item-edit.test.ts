/**
 * Items as records in Chromium against the real server (issue 12, point 1): an editor adds an
 * item from the items table (a bad link is refused on the field, nothing is sent), edits it
 * from the item view, and deletes it after a coder has coded it: the item is archived (gone
 * from the table, flagged on its page) and restored.
 */
import { createApiClient } from '@concord/server/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { ok } from '../helpers/api.ts';
import { loginCookie } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('adding, editing and archiving an item in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let cookie: string;
  let projectId: string;
  const pageErrors: string[] = [];
  const client = () => createApiClient(server.url, { headers: { cookie } });

  async function open(path: string) {
    await page.goto(new URL(path, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
  }

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    cookie = await loginCookie(server.url, 'editor@demo.concord', TEST_DEMO_PASSWORD);
    projectId = (await ok(client().api.projects.$get()))[0]!.id;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('adds an item from the table, edits it from its page, and archives and restores it once coded', async () => {
    const { incidents } = await ok(client().api.projects[':projectId'].incidents.$get({ param: { projectId } }));
    const [first, second] = incidents;
    await open(`/projects/${projectId}`);
    await page.getByRole('link', { name: 'Add item' }).click();
    await page.getByRole('heading', { name: 'Add an item', level: 1 }).waitFor();

    await page.getByLabel('Title').fill('Browser-added post about the shutdown');
    await page.getByLabel('Link').fill('not a link');
    await page.getByLabel('Platform').selectOption('telegram');
    await page.getByLabel('Published').fill('2022-01-07');
    await page.getByLabel('Reach').fill('1200');
    await page.getByLabel('Text').fill('Channels went dark for five days.');
    await page.getByLabel(second!.name).check();
    await page.getByLabel(first!.name).check();
    await page.getByRole('button', { name: 'Add item' }).click();
    // Refused on the field, before anything is sent.
    await page.locator('#url-error').waitFor();
    const before = await ok(client().api.projects[':projectId'].items.$get({ param: { projectId }, query: { q: 'Browser-added' } }));
    expect(before.total).toBe(0);

    await page.getByLabel('Link').fill('https://t.me/example/42');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.waitForURL(/\/items\/itm_[a-z2-7]+$/);
    const itemId = new URL(page.url()).pathname.split('/').at(-1)!;
    const created = await ok(client().api.projects[':projectId'].items[':itemId'].$get({ param: { projectId, itemId } }));
    expect(created).toMatchObject({ title: 'Browser-added post about the shutdown', url: 'https://t.me/example/42', platform: 'telegram', reach: 1200, incidentIds: [second!.id, first!.id] });

    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByRole('link', { name: 'Edit item' }).click();
    await page.getByRole('heading', { name: 'Edit item', level: 1 }).waitFor();
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByLabel('Title').fill('Browser-edited post about the shutdown');
    await page.getByLabel(second!.name).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/items/${itemId}$`));
    const edited = await ok(client().api.projects[':projectId'].items[':itemId'].$get({ param: { projectId, itemId } }));
    expect(edited).toMatchObject({ title: 'Browser-edited post about the shutdown', body: 'Channels went dark for five days.', reach: 1200, incidentIds: [first!.id] });

    // A comment is work on the item: deleting it now archives it.
    await ok(client().api.projects[':projectId'].items[':itemId'].comments.$post({ param: { projectId, itemId }, json: { body: 'Check the date of this post.' } }));
    await open(`/projects/${projectId}/items/${itemId}/edit`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete item' }).click();
    await page.getByRole('status').filter({ hasText: 'Archived' }).waitFor();
    await page.locator('[data-archived]').waitFor();
    await open(`/projects/${projectId}?q=Browser-edited`);
    await expect(page.getByText('Browser-edited post about the shutdown').count()).resolves.toBe(0);

    await open(`/projects/${projectId}/items/${itemId}/edit`);
    await page.getByRole('button', { name: 'Restore item' }).click();
    await page.getByRole('status').filter({ hasText: 'Restored' }).waitFor();
    const restored = await ok(client().api.projects[':projectId'].items[':itemId'].$get({ param: { projectId, itemId } }));
    expect(restored.archivedAt).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
