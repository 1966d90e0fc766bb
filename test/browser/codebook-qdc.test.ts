/**
 * REFI-QDA codebook exchange on the codebook page, as the demo owner: the export button
 * downloads the demo codebook as a `.qdc`, the import button reads that file into an empty
 * project as its next version, and a broken file is refused with the server's message
 * while the codebook stays as it was.
 */
import { createApiClient } from '@concord/server/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.ts';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { loginCookie, open as openPage, signInWithForm } from '../helpers/sessions.ts';

const OWNER = 'owner@demo.concord';
const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('REFI-QDA codebook exchange in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let api: ReturnType<typeof createApiClient>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    const context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (dialog) => void dialog.accept());
    api = createApiClient(server.url, { headers: { cookie: await loginCookie(server.url, OWNER, TEST_DEMO_PASSWORD) } });
    await signInWithForm(page, server.url, OWNER, TEST_DEMO_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const fieldsOf = async (projectId: string) => ok(api.api.projects[':projectId'].codebook.$get({ param: { projectId }, query: {} }));

  it('exports the demo codebook and imports the file into an empty project; a broken file changes nothing', async () => {
    const demoId = (await ok(api.api.projects.$get()))[0]!.id;
    await openPage(page, server.url, `/projects/${demoId}/codebook`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export codebook (.qdc)' }).click()]);
    expect(download.suggestedFilename()).toBe('codebook.qdc');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const xml = Buffer.concat(chunks).toString('utf8');
    expect(xml).toContain('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"');

    const empty = await ok(api.api.projects.$post({ json: { name: 'QDC target', description: '', template: 'empty' } }));
    const before = await fieldsOf(empty.id);
    await openPage(page, server.url, `/projects/${empty.id}/codebook`);
    await page.locator('input[data-qdc-import]').setInputFiles({ name: 'codebook.qdc', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await page.getByRole('status').filter({ hasText: `Imported “codebook.qdc” as version ${before.version + 1}` }).waitFor();
    const demo = await fieldsOf(demoId);
    const imported = await fieldsOf(empty.id);
    const coded = (f: { type: string }) => f.type !== 'text' && f.type !== 'number';
    expect(imported.fields.map((f) => f.label)).toEqual(demo.fields.filter(coded).map((f) => f.label));
    // The page shows the new version's fields.
    await page.getByRole('heading', { name: `Codebook version ${before.version + 1}` }).waitFor();

    await page.locator('input[data-qdc-import]').setInputFiles({ name: 'broken.qdc', mimeType: 'application/xml', buffer: Buffer.from('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>') });
    const alert = page.getByRole('alert').filter({ hasText: '“broken.qdc” was not imported' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/malformed XML at line 1/);
    expect(await fieldsOf(empty.id)).toEqual(imported);
    expect(pageErrors).toEqual([]);
  });
});
