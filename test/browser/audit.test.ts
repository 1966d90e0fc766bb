/**
 * Issue 12, point 10, in the browser: after an editor edits an item in the web app, the owner opens the project's
 * Audit tab, finds the edit (who, what changed, before and after), filters by person and kind,
 * and the CSV link carries the filters. Other members get no Audit tab.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.ts';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('the audit in Chromium', () => {
  let projectId: string;
  let itemId: string;
  const s = browserSuite({ signIn: ['owner', 'editor'] });

  beforeAll(async () => {
    const projects = await ok(s.client('owner').api.projects.$get());
    projectId = projects[0]!.id;
    const list = await ok(s.project('owner').items.$get({ param: { projectId }, query: {} }));
    itemId = list.items[0]!.id;
  }, 180_000);

  it('the owner reads who edited the item, filters by person and kind, and downloads the filtered CSV', async () => {
    // The editor edits the item in the web app; the owner reads it afterwards.
    const editor = await s.openAs('editor', { path: `/projects/${projectId}/items/${itemId}/edit` });
    await editor.getByRole('heading', { name: 'Edit item', level: 1 }).waitFor();
    await editor.getByLabel('Title').fill('Audited retitle');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitForURL(new RegExp(`/items/${itemId}$`));

    const page = await s.openAs('owner', { path: `/projects/${projectId}` });
    await page.getByRole('navigation', { name: /Sections of/ }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();

    await page.getByLabel('Person').selectOption({ label: 'Erlan Editor' });
    await page.getByLabel('Kind').selectOption('item');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/entity=item/);
    expect(new URL(page.url()).searchParams.get('actor')).toBe(s.accounts.editor!.id);

    const row = page.locator('tbody tr', { hasText: 'Audited retitle' }).first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('changed');
    await expect(page.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    for (const text of await page.locator('tbody tr td:nth-child(3)').allTextContents()) expect(text.trim()).toBe('item');

    await row.getByText('Details').click();
    await expect(row.locator('pre').first().textContent()).resolves.toContain('"title"');

    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(href).toContain(`/api/projects/${projectId}/audit.csv?`);
    expect(href).toContain('entity=item');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv.split('\r\n')[0]).toBe('at,actor,actor_id,entity,entity_id,action,summary,before,after,redacted');
    expect(csv).toContain('Audited retitle');
    expect(s.pageErrors).toEqual([]);
  });

  it('an editor has no Audit tab, and the page shows the API\'s refusal and no entries', async () => {
    const page = await s.openAs('editor', { path: `/projects/${projectId}/members` });
    await expect(page.getByRole('navigation', { name: /Sections of/ }).getByRole('link', { name: 'Audit' }).count()).resolves.toBe(0);
    await page.goto(`${s.server.url}/projects/${projectId}/audit`);
    await page.getByText('may not audit read').waitFor();
    await expect(page.locator('[data-audit-entry]').count()).resolves.toBe(0);
  });
});
