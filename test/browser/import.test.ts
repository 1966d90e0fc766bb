/**
 * The items table and the CSV import wizard in Chromium against the real server: an editor
 * imports a file with bad rows (sees each problem by row and column, fixes one cell, skips a
 * row) and finds the new items in the table; imports an Airtable export twice with one changed
 * row (answers the day/month question, sees create/update/unchanged per row); imports codes
 * already made (Frames and Impact columns, `High` mapped to a scale point in the value-mapping
 * step) and sees them on the item as the imported coder's values; the table virtualises 2,000 items (only a window
 * of rows in the DOM, the last item reachable by scrolling) and filters them by incident.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@concord/server/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { ok } from '../helpers/api.ts';
import { loginCookie } from '../helpers/sessions.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('items table and import wizard in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie: string;
  let demoProjectId: string;
  const pageErrors: string[] = [];

  const client = () => createApiClient(server.url, { headers: { cookie } });

  async function open(path: string) {
    await page.goto(new URL(path, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
  }

  const dataRows = () => page.locator('table tbody tr[data-index]');

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    cookie = await loginCookie(server.url, 'editor@demo.concord', TEST_DEMO_PASSWORD);
    demoProjectId = (await ok(client().api.projects.$get()))[0]!.id;
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('an editor imports a CSV through the wizard, fixing one bad row and skipping another', async () => {
    await open(`/projects/${demoProjectId}`);
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import items', level: 1 }).waitFor();

    const csv = [
      'Item ID,Headline,Media platform,Reach,Incident',
      'WIZ-1,Wizard post one,Facebook,1 200,',
      'WIZ-2,Wizard post two,Telegram,many,',
      'WIZ-3,Wizard post three,myspace,5,',
      'WIZ-4,Wizard post four,X,7,',
    ].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'wizard.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    // The mapping comes pre-filled from the server's aliases.
    await page.getByRole('heading', { name: 'Columns' }).waitFor();
    await expect(page.getByLabel('Imported as (column Headline)').inputValue()).resolves.toBe('title');
    await expect(page.getByLabel('Imported as (column Media platform)').inputValue()).resolves.toBe('platform');

    // Each problem names its row and column.
    const problems = page.getByRole('list', { name: 'Problems' }).getByRole('listitem');
    await expect(problems.count()).resolves.toBe(2);
    await expect(problems.nth(0).locator('.problem').innerText()).resolves.toBe('Row 2, column Reach: "many" is not a whole number');
    await expect(problems.nth(1).locator('.problem').innerText()).resolves.toBe('Row 3, column Media platform: unknown platform "myspace"');
    await expect(page.getByRole('button', { name: /^Import/ }).isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}import-problems.png`, fullPage: true });

    // Fix row 2's cell, skip row 3, check again.
    await page.getByLabel('Fix row 2, Reach').fill('12');
    await page.getByLabel('Skip row 3').check();
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('status').filter({ hasText: 'Ready: 3 rows will be imported (3 new, 0 updated, 0 unchanged), 1 row skipped.' }).waitFor();

    await page.getByRole('button', { name: 'Import 3 rows' }).click();
    await page.getByRole('status').filter({ hasText: '3 new items, 0 updates, 0 unchanged, 1 row skipped (3).' }).waitFor();
    await expect(page.locator('#import-progress').getAttribute('value')).resolves.toBe('1');
    await page.screenshot({ path: `${ARTIFACTS}import-done.png`, fullPage: true });

    // On the server: the fixed value, and nothing of the skipped row.
    const found = await ok(client().api.projects[':projectId'].items.$get({ param: { projectId: demoProjectId }, query: { q: 'Wizard post' } }));
    expect(found.items.map((i) => [i.externalId, i.reach]).sort()).toEqual([
      ['WIZ-1', 1200],
      ['WIZ-2', 12],
      ['WIZ-4', 7],
    ]);

    // The items table shows them.
    await page.getByRole('link', { name: 'See the items' }).click();
    await page.getByRole('status').filter({ hasText: /^33 items/ }).waitFor();
    await page.getByLabel('Search').fill('Wizard post');
    await page.getByRole('status').filter({ hasText: '3 items match' }).waitFor();
    await expect(dataRows().locator('td.title').allInnerTexts()).resolves.toEqual(['Wizard post one', 'Wizard post two', 'Wizard post four']);
  });

  it('an editor imports an Airtable export twice with one changed row: the second import updates that row only', async () => {
    const project = await ok(client().api.projects.$post({ json: { name: 'Airtable base', description: '' } }));
    const airtable = (name3: string) =>
      [
        'Record ID,Name,Media platform,Date,Incident,Text',
        'recA1,First post,Facebook,7/5/2024,"Inc A, Inc B","line one',
        'line two"',
        'recA2,Second post,Telegram,25/12/2024,Inc A,',
        `recA3,"${name3}",X,1/2/2024,Inc B,`,
        'recA4,Fourth post,News,2024-07-09,,',
        ',,,,,',
      ].join('\r\n');

    async function importFile(csv: string, ready: string) {
      await open(`/projects/${project.id}/import`);
      await page.getByLabel('CSV file').setInputFiles({ name: 'airtable.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      // 7/5/2024 reads both ways: the wizard asks instead of guessing, and nothing can be imported yet.
      const order = page.getByLabel('Dates such as 7/5/2024 are');
      await order.waitFor();
      await expect(page.getByRole('button', { name: /^Import/ }).isDisabled()).resolves.toBe(true);
      await order.selectOption('dmy');
      await page.getByRole('button', { name: 'Check again' }).click();
      await page.getByRole('status').filter({ hasText: ready }).waitFor();
    }

    await importFile(airtable('Third post'), 'Ready: 4 rows will be imported (4 new, 0 updated, 0 unchanged); new incidents: Inc A, Inc B.');
    await page.getByRole('button', { name: 'Import 4 rows' }).click();
    await page.getByRole('status').filter({ hasText: '4 new items, 0 updates, 0 unchanged; 2 new incidents.' }).waitFor();

    await importFile(airtable('Third post, corrected'), 'Ready: 4 rows will be imported (0 new, 1 updated, 3 unchanged).');
    await expect(page.getByLabel('Rows by action').innerText()).resolves.toBe('0 new items, 1 update, 3 unchanged; 1 empty row left out.');
    await expect(page.getByRole('list', { name: 'Updates' }).getByRole('listitem').allInnerTexts()).resolves.toEqual(['Row 3: update title']);
    const actions = await page.locator('.preview tbody tr').evaluateAll((rows) => rows.map((r) => r.children[1]!.textContent));
    expect(actions).toEqual(['unchanged', 'unchanged', 'update', 'unchanged', '']);
    await page.screenshot({ path: `${ARTIFACTS}import-airtable-update.png`, fullPage: true });
    await page.getByRole('button', { name: 'Import 4 rows' }).click();
    await page.getByRole('status').filter({ hasText: '0 new items, 1 update, 3 unchanged.' }).waitFor();

    // On the server: four items, not eight; the day/month dates; both linked incidents; the line break.
    const { items } = await ok(client().api.projects[':projectId'].items.$get({ param: { projectId: project.id }, query: {} }));
    expect(items.map((i) => [i.externalId, i.title, i.publishedAt])).toEqual([
      ['recA1', 'First post', '2024-05-07T00:00:00.000Z'],
      ['recA2', 'Second post', '2024-12-25T00:00:00.000Z'],
      ['recA3', 'Third post, corrected', '2024-02-01T00:00:00.000Z'],
      ['recA4', 'Fourth post', '2024-07-09T00:00:00.000Z'],
    ]);
    expect(items[0]!.body).toBe('line one\r\nline two');
    const { incidents } = await ok(client().api.projects[':projectId'].incidents.$get({ param: { projectId: project.id } }));
    expect(incidents.map((i) => i.name).sort()).toEqual(['Inc A', 'Inc B']);
    const byName = new Map(incidents.map((i) => [i.name, i.id]));
    expect(items[0]!.incidentIds).toEqual([byName.get('Inc A'), byName.get('Inc B')]);
    expect(pageErrors).toEqual([]);
  });

  it('imports an Airtable base with codes: Frames and Impact mapped to codebook fields, High to a scale point, the values seen on the item', async () => {
    const project = await ok(client().api.projects.$post({ json: { name: 'Coded Airtable base', description: '', template: 'cmo' } }));
    const csv = [
      'Record ID,Name,Frames,Impact',
      'recC1,Coded post one,"Protesters are terrorists and bandits, Internet shutdowns keep order",High',
      'recC2,Coded post two,tokayev_best_leader,Neutral',
    ].join('\n');
    await open(`/projects/${project.id}/import`);
    await page.getByLabel('CSV file').setInputFiles({ name: 'coded.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('heading', { name: 'Columns' }).waitFor();
    await page.getByLabel('Imported as (column Frames)').selectOption('code:narrative_frames');
    await page.getByLabel('Imported as (column Impact)').selectOption('code:civic_impact');
    await expect(page.getByLabel('Whose codes').inputValue()).resolves.toBe('imported');
    await page.getByRole('button', { name: 'Check again' }).click();

    // "High" is no label of the scale: a problem on its row and column, with the allowed values; the others are matched.
    const problems = page.getByRole('list', { name: 'Problems' }).getByRole('listitem');
    await problems.first().waitFor();
    await expect(problems.locator('.problem').allInnerTexts()).resolves.toEqual([
      'Row 1, column Impact: "High" is not a value of Civic impact score; map it to a code (allowed: -3 (Very harmful), -2 (Harmful), -1 (Somewhat harmful), 0 (Neutral), 1 (Somewhat beneficial), 2 (Beneficial), 3 (Very beneficial))',
    ]);
    await expect(page.getByLabel('Code for Neutral (Impact)').inputValue()).resolves.toBe('0');
    await expect(page.getByLabel('Code for Protesters are terrorists and bandits (Frames)').inputValue()).resolves.toBe('"protesters_terrorists"');
    await expect(page.getByLabel('Code for tokayev_best_leader (Frames)').inputValue()).resolves.toBe('"tokayev_best_leader"');
    await expect(page.getByLabel('Code for High (Impact)').inputValue()).resolves.toBe('');
    // The allowed frames are listed under their parents.
    const frameOptions = await page.getByLabel('Code for Internet shutdowns keep order (Frames)').locator('option').allInnerTexts();
    expect(frameOptions).toContain('National security trumps human rights › Internet shutdowns keep order (shutdown_keeps_order)');
    await page.screenshot({ path: `${ARTIFACTS}import-codes-value-map.png`, fullPage: true });

    await page.getByLabel('Code for High (Impact)').selectOption('2');
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('status').filter({ hasText: 'Ready: 2 rows will be imported (2 new, 0 updated, 0 unchanged).' }).waitFor();
    await expect(page.getByLabel('Codes to import').innerText()).resolves.toBe("4 codings of 2 items will come in as Imported's.");
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await page.getByRole('status').filter({ hasText: '4 codings of 2 items imported.' }).waitFor();

    // The item shows the imported coder's values (it is revealed: the imported coder was its only one).
    const { items } = await ok(client().api.projects[':projectId'].items.$get({ param: { projectId: project.id }, query: {} }));
    expect(items.map((i) => [i.externalId, i.phase])).toEqual([
      ['recC1', 'revealed'],
      ['recC2', 'revealed'],
    ]);
    await open(`/projects/${project.id}/items/${items[0]!.id}`);
    // The values arrive with the imported coder's live document: wait for them, then check that nothing else is listed.
    const impact = page.getByRole('list', { name: "Other coders' values for Civic impact score" }).getByRole('listitem');
    await impact.filter({ hasText: 'Imported: 2 · Beneficial' }).waitFor();
    const frames = page.getByRole('list', { name: "Other coders' values for Narrative frames" }).getByRole('listitem');
    await frames.filter({ hasText: 'Imported: Protesters are terrorists and bandits; Internet shutdowns keep order' }).waitFor();
    await expect(impact.count()).resolves.toBe(1);
    await expect(frames.count()).resolves.toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}import-codes-item.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('virtualises 2,000 items: a window of rows in the DOM, the last item at the end of the scroll, filtered by incident', async () => {
    const N = 2000;
    const created = await ok(client().api.projects.$post({ json: { name: 'Two thousand items', description: '' } }));
    const lines = ['externalId,title,platform,incident'];
    for (let i = 1; i <= N; i++) lines.push(`BIG-${i},Big item ${String(i).padStart(4, '0')},telegram,${i % 4 === 0 ? 'Alpha' : 'Beta'}`);
    const imported = await fetch(new URL(`/api/projects/${created.id}/import`, server.url), {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/csv' },
      body: lines.join('\n'),
    });
    expect(imported.status).toBe(201);

    await open(`/projects/${created.id}`);
    await page.getByRole('status').filter({ hasText: /^2,000 items/ }).waitFor();
    const table = page.locator('table[aria-rowcount]');
    await expect(table.getAttribute('aria-rowcount')).resolves.toBe(String(N + 1));
    const rendered = await dataRows().count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(100);

    // Scroll to the end: the last item is rendered, visible, with its row index.
    await page.locator('.scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = page.getByRole('link', { name: 'Big item 2000' });
    await last.waitFor();
    expect(await last.isVisible()).toBe(true);
    await expect(page.locator('tr', { has: last }).getAttribute('aria-rowindex')).resolves.toBe(String(N + 1));
    expect(await dataRows().count()).toBeLessThan(100);
    await page.screenshot({ path: `${ARTIFACTS}items-table-end.png` });

    // Filter by incident: 500 rows, each of them Alpha.
    const { incidents } = await ok(client().api.projects[':projectId'].incidents.$get({ param: { projectId: created.id } }));
    const alpha = incidents.find((i) => i.name === 'Alpha')!;
    await page.getByRole('combobox', { name: 'Incident' }).selectOption(alpha.id);
    await page.getByRole('status').filter({ hasText: '500 items match' }).waitFor();
    await expect(table.getAttribute('aria-rowcount')).resolves.toBe('501');
    // The incident column found by its header (a selection column came before it).
    const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
    const incidentColumn = headers.findIndex((h) => /^incidents?\b/i.test(h)) + 1;
    expect(incidentColumn, headers.join(' | ')).toBeGreaterThan(0);
    const incidentCells = await dataRows().locator(`td:nth-child(${incidentColumn})`).allInnerTexts();
    expect(incidentCells.length).toBeGreaterThan(0);
    expect(new Set(incidentCells)).toEqual(new Set(['Alpha']));

    // Keyboard: the first row takes the focus, arrows move it, Enter opens the coding view of that item.
    await dataRows().first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).resolves.toBe('4');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Big item 0012', level: 1 }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
