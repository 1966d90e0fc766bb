/**
 * Importing a `link` field's codes in Chromium (issue 12, items 4 and 7): an Airtable base's
 * "Sources" column (a linked-record list of actor names) is first read as the items' actors
 * column; the wizard offers to link those actors to their items as a link field's codes. The
 * value-mapping step then lists every distinct name with the actor it matched (by alias here),
 * "New actor" for the others and the project's actors to choose from; without creating actors,
 * an unmatched name is a problem on its row and column. The import writes the actor id sets as
 * the imported coder's values.
 */
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ok } from '../helpers/api.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('importing link codes in Chromium', () => {
  let projectId: string;
  let kazinformId: string;
  const users = browserSuite({ signIn: ['editor'] });
  const { pageErrors, project } = users;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    projectId = (await ok(users.client('editor').api.projects.$post({ json: { name: 'Airtable base with sources', description: '', template: 'empty' } }))).id;
    const param = { projectId };
    const codebook = await ok(project('editor').codebook.$get({ param, query: {} }));
    const sources = { key: 'sources', label: 'Quoted sources', help: '', type: 'link' as const, required: false, allowNa: false, allowCreate: false };
    await ok(project('editor').codebook.$put({ param, json: { name: codebook.name, fields: [...codebook.fields, sources], baseVersion: codebook.version, newVersion: true } }));
    kazinformId = (await ok(project('editor').actors.$post({ param, json: { name: 'Kazinform', aliases: ['Казинформ'] } }))).id;
  }, 180_000);

  it("shows a link column's names with their actors in the value-mapping step, and imports them as actor sets", async () => {
    const page = await users.openAs('editor', { path: `/projects/${projectId}/import` });
    const csv = ['Record ID,Name,Sources', 'recS1,First post,"Казинформ, Smith"', 'recS2,Second post,KAZINFORM'].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'sources.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('heading', { name: 'Columns' }).waitFor();
    // Read as the items' actors column (its alias); the wizard offers to link them to their items.
    await expect(page.getByLabel('Imported as (column Sources)').inputValue()).resolves.toBe('actors');
    await page.getByRole('button', { name: 'Link these actors to their items as codes of Quoted sources' }).click();
    await expect(page.getByLabel('Imported as (column Sources)').inputValue()).resolves.toBe('code:sources');
    await page.getByRole('button', { name: 'Check again' }).click();

    const table = page.getByRole('table', { name: 'Values of Sources' });
    await table.waitFor();
    await expect(table.locator('caption').innerText()).resolves.toBe('Sources → Quoted sources (actors)');
    const actorOf = (name: string) => page.getByLabel(`Actor for ${name} (Sources)`);
    // Matched by alias, and by name whatever the case; the unknown name becomes a new actor.
    await expect(actorOf('Казинформ').inputValue()).resolves.toBe(JSON.stringify(kazinformId));
    await expect(actorOf('KAZINFORM').inputValue()).resolves.toBe(JSON.stringify(kazinformId));
    await expect(actorOf('Smith').inputValue()).resolves.toBe('');
    await expect(actorOf('Smith').locator('option').allInnerTexts()).resolves.toEqual(['New actor', `Kazinform (${kazinformId})`, 'Leave empty']);
    const create = page.getByLabel('Create an actor for each name that matches none (otherwise map it above)');
    await expect(create.isChecked()).resolves.toBe(true);
    await page.getByRole('status').filter({ hasText: 'Ready: 2 rows will be imported (2 new, 0 updated, 0 unchanged); new actors: Smith.' }).waitFor();
    await expect(page.getByLabel('Codes to import').innerText()).resolves.toBe("2 codings of 2 items will come in as Imported's; new actors: Smith.");
    await page.screenshot({ path: `${ARTIFACTS}import-links-value-map.png`, fullPage: true });

    // Without creating actors, the unknown name is a problem on its row and column, listing the actors.
    await create.uncheck();
    await page.getByRole('button', { name: 'Check again' }).click();
    const problems = page.getByRole('list', { name: 'Problems' }).getByRole('listitem');
    await problems.first().waitFor();
    await expect(problems.locator('.problem').allInnerTexts()).resolves.toEqual([
      `Row 1, column Sources: "Smith" is not an actor of this project: map it to one, or let the import create it (actors: Kazinform (${kazinformId}))`,
    ]);
    await create.check();
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('status').filter({ hasText: 'Ready: 2 rows will be imported' }).waitFor();
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await page.getByRole('status').filter({ hasText: '2 codings of 2 items imported.' }).waitFor();

    const param = { projectId };
    const smith = (await ok(project('editor').actors.$get({ param, query: {} }))).actors.find((a) => a.name === 'Smith');
    expect(smith).toBeDefined();
    const { items } = await ok(project('editor').items.$get({ param, query: {} }));
    const values = [];
    for (const item of items) {
      const codings = await ok(project('editor').items[':itemId'].codings.$get({ param: { projectId, itemId: item.id } }));
      values.push([item.externalId, codings.map((c) => [c.fieldKey, c.value])]);
    }
    expect(values).toEqual([
      ['recS1', [['sources', [kazinformId, smith!.id]]]],
      ['recS2', [['sources', [kazinformId]]]],
    ]);
    expect(pageErrors).toEqual([]);
  });
});
