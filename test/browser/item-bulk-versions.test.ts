/**
 * Bulk edit, item text versions and translations in Chromium against the real server (issue 12,
 * items 1 and 8): an editor selects rows of the items table and sets their platform and language
 * at once; after the editor corrects the text of an item coder1 has coded and adds a translation,
 * coder1's coding view shows the text she coded (with a note, and the current text on request)
 * and offers Original / Translation / Both, remembering her choice; the disagreement detail tells
 * the editor which text version each coder coded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ok } from '../helpers/api.ts';
import { open } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('bulk edit, text versions and translations in Chromium', () => {
  let projectId: string;
  const users = browserSuite({ signIn: ['editor', 'coder1'] });
  const { pageErrors, project } = users;

  beforeAll(async () => {
    projectId = (await ok(users.client('editor').api.projects.$get()))[0]!.id;
  });

  it('sets platform and language on the selected rows of the items table', async () => {
    const page = await users.openAs('editor', { path: `/projects/${projectId}?view=table` });
    const rowIds = async (n: number) =>
      Promise.all(Array.from({ length: n }, async (_, i) => (await page.locator(`tr[data-index="${i}"] td.title a`).first().getAttribute('href'))!.split('/').at(-1)!));
    await page.locator('tr[data-index="1"]').waitFor();
    const [first, second] = await rowIds(2);
    await page.locator('tr[data-index="0"] td.select input').check();
    await page.locator('tr[data-index="1"]').focus();
    // Space on a focused row toggles it, as the box does.
    await page.keyboard.press('Space');
    await page.locator('[data-bulk-edit]').getByText('2 items selected').waitFor();

    await page.locator('select[name="bulk-platform"]').selectOption('vk');
    await page.locator('input[name="bulk-language-on"]').check();
    await page.locator('input[name="bulk-language"]').fill('kk');
    await page.getByRole('button', { name: 'Apply to selected' }).click();
    await page.locator('[data-bulk-notice]').filter({ hasText: 'Changed 2 items' }).waitFor();
    for (const itemId of [first!, second!]) {
      expect(await ok(project('editor').items[':itemId'].$get({ param: { projectId, itemId } }))).toMatchObject({ platform: 'vk', language: 'kk' });
    }
    // The selection is cleared with the reload.
    await expect(page.locator('td.select input:checked').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("shows coder1 the text she coded after the editor corrected it, the translation as she chooses, and each coder's version to the editor", async () => {
    // A revealed item coder1 submitted.
    const { items } = await ok(project('editor').items.$get({ param: { projectId }, query: { phase: 'revealed', limit: 100 } }));
    let itemId = '';
    let coded = '';
    for (const item of items) {
      const assignments = await ok(project('editor').assignments.$get({ param: { projectId }, query: { item: item.id } }));
      if (assignments.some((a) => a.coderId === users.accounts.coder1!.id && a.submittedAt)) {
        itemId = item.id;
        coded = item.body;
        break;
      }
    }
    expect(itemId).not.toBe('');
    const param = { projectId, itemId };
    const edited = await ok(
      project('editor').items[':itemId'].$patch({
        param,
        json: { body: 'The corrected text of the post.', translationLanguage: 'en', translationTitle: 'The translated headline', translationBody: 'The translated body.' },
      }),
    );
    expect(edited.textVersion).toBe(2);

    const page = await users.openAs('coder1', { path: `/projects/${projectId}/items/${itemId}` });
    await page.locator('[data-version-note]').filter({ hasText: 'You coded version 1' }).waitFor();
    const firstParagraph = coded.split(/\n{2,}/)[0]!.trim();
    await page.locator('.body').filter({ hasText: firstParagraph.slice(0, 40) }).waitFor();
    await page.getByRole('button', { name: 'Show the current text' }).click();
    await page.locator('.body').filter({ hasText: 'The corrected text of the post.' }).waitFor();

    await page.getByRole('radio', { name: 'Both' }).check();
    await page.locator('[data-text="translation"]').filter({ hasText: 'The translated body.' }).waitFor();
    await expect(page.locator('[data-text="original"]').isVisible()).resolves.toBe(true);
    await page.getByRole('radio', { name: 'Translation' }).check();
    await page.locator('[data-text="original"]').waitFor({ state: 'hidden' });
    // Remembered for her, on the next visit.
    await open(page, users.server.url, `/projects/${projectId}/items/${itemId}`);
    await expect(page.getByRole('radio', { name: 'Translation' }).isChecked()).resolves.toBe(true);
    await page.locator('[data-text="translation"]').filter({ hasText: 'The translated headline' }).waitFor();

    const codebook = await ok(project('editor').codebook.$get({ param: { projectId }, query: {} }));
    const editor = await users.openAs('editor', { path: `/projects/${projectId}/disagreements/${itemId}/${codebook.fields[0]!.key}` });
    const card = editor.locator(`li[data-coder="${users.accounts.coder1!.id}"]`);
    await card.locator('[data-item-version="1"]').filter({ hasText: 'Coded on text version 1' }).waitFor();
    // The text she coded, on request.
    await card.getByText('Show text version 1').click();
    await card.locator('[data-version-text="1"]').filter({ hasText: firstParagraph.slice(0, 40) }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
