/**
 * Preserving posts in Chromium against the real server (issue 12, item 9): an editor attaches a
 * screenshot on the item's edit page and sees its thumbnail (the real image, served to an
 * <img> under the page's CSP), stored with the SHA-256 of the bytes she chose; she adds an
 * archived copy's URL; a coder sees both in the coding view, without upload or delete.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ok } from '../helpers/api.ts';
import { open } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('attachments in Chromium', () => {
  const s = browserSuite({ signIn: ['editor', 'coder1'] });

  it('attaches a screenshot on the edit page, shows its thumbnail, and shows it with the archived copy to a coder', async () => {
    const projectId = (await ok(s.client('editor').api.projects.$get()))[0]!.id;
    const { entries } = await ok(s.client('coder1').api.projects[':projectId'].queue.$get({ param: { projectId }, query: {} }));
    const itemId = entries[0]!.id;

    const page = await s.openAs('editor', { path: `/projects/${projectId}/items/${itemId}/edit` });
    await page.locator('[data-attachments="0"]').waitFor();
    // A real screenshot: of this very page.
    const screenshot = await page.screenshot({ type: 'png' });
    await page.getByLabel('Add screenshots, PDFs or saved pages').setInputFiles({ name: 'post screenshot.png', mimeType: 'image/png', buffer: screenshot });
    const thumb = page.getByRole('img', { name: 'Screenshot: post screenshot.png' });
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1400);

    const { attachments } = await ok(s.project('editor').items[':itemId'].attachments.$get({ param: { projectId, itemId } }));
    expect(attachments).toEqual([
      expect.objectContaining({ name: 'post screenshot.png', kind: 'file', mediaType: 'image/png', size: screenshot.byteLength, sha256: createHash('sha256').update(screenshot).digest('hex') }),
    ]);

    // A file that is none of the allowed kinds is refused, with the server's reason.
    await page.getByLabel('Add screenshots, PDFs or saved pages').setInputFiles({ name: 'tool.png', mimeType: 'image/png', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0]) });
    await page.getByRole('alert').filter({ hasText: 'tool.png' }).waitFor();

    await page.getByLabel('Archived copy').fill('https://web.archive.org/web/2022/https://example.org/post');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/items/${itemId}$`));

    const coder = await s.openAs('coder1', { path: `/projects/${projectId}/items/${itemId}` });
    await coder.getByRole('img', { name: 'Screenshot: post screenshot.png' }).waitFor();
    await expect(coder.getByRole('link', { name: 'Archived copy' }).getAttribute('href')).resolves.toBe('https://web.archive.org/web/2022/https://example.org/post');
    await expect(coder.getByLabel('Add screenshots, PDFs or saved pages').count()).resolves.toBe(0);
    await expect(coder.getByRole('region', { name: 'Attachments' }).getByRole('button').count()).resolves.toBe(0);

    // Back on the edit page the editor deletes it.
    await open(page, s.server.url, `/projects/${projectId}/items/${itemId}/edit`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete post screenshot.png' }).click();
    await page.locator('[data-attachments="0"]').waitFor();
    expect((await ok(s.project('editor').items[':itemId'].attachments.$get({ param: { projectId, itemId } }))).attachments).toEqual([]);
    expect(s.pageErrors).toEqual([]);
  });
});
