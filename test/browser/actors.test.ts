/**
 * Actors as linked records in Chromium on the demo study (issue 12, item 4): the editor adds two
 * actors on the Actors page; coder1 codes a `link` field on a new item, choosing one by typing
 * part of its alias and creating a new one on the fly. The server holds both ids as her value,
 * and the actor she made stays hers alone (the editor does not list it) while the item is blind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@concord/server/testing';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ok } from '../helpers/api.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('actors and link fields in Chromium', () => {
  let projectId: string;
  let itemId: string;
  const users = browserSuite({ signIn: ['owner', 'editor', 'coder1'] });
  const { pageErrors, project } = users;

  beforeAll(async () => {
    projectId = (await ok(users.client('owner').api.projects.$get()))[0]!.id;
    const param = { projectId };
    // The owner adds a link field whose coders may create actors.
    const codebook = await ok(project('owner').codebook.$get({ param, query: {} }));
    const quoted = { key: 'quoted', label: 'Quoted actors', help: 'Who is quoted or cited.', type: 'link' as const, required: false, allowNa: false, allowCreate: true };
    await ok(project('owner').codebook.$put({ param, json: { name: codebook.name, fields: [...codebook.fields, quoted], baseVersion: codebook.version, newVersion: true } }));
    itemId = (await ok(project('editor').items.$post({ param, json: { title: 'Who speaks about the protests', platform: 'news', body: 'Officials and a channel comment.' } }))).id;
    await ok(project('editor').assignments.$post({ param, json: { roundName: 'actors', coderIds: [users.accounts.coder1!.id], itemIds: [itemId], mode: { type: 'k', k: 1 }, seed: 1 } }));
  }, 180_000);

  it('lets the editor add actors and coder1 choose one and create one while coding', async () => {
    const editor = await users.openAs('editor', { path: `/projects/${projectId}/actors` });
    await editor.getByRole('heading', { name: 'Actors', level: 1 }).waitFor();
    for (const [name, kind, alias] of [
      ['Kazinform', 'outlet', 'Казинформ'],
      ['Akorda', 'government', 'Presidential office'],
    ] as const) {
      await editor.getByRole('button', { name: 'New actor' }).click();
      await editor.getByLabel('Name').fill(name);
      await editor.getByLabel('Kind').selectOption(kind);
      await editor.getByLabel('Aliases').fill(alias);
      await editor.getByRole('button', { name: 'Add actor' }).click();
      await editor.getByRole('status').filter({ hasText: `${name} was added.` }).waitFor();
    }
    await editor.locator('tr[data-actor="Kazinform"]').waitFor();
    // The search finds an actor by its alias.
    await editor.getByLabel('Search actors').fill('presidential');
    await expect(editor.locator('tr[data-actor]').count()).resolves.toBe(1);

    const coder = await users.openAs('coder1', { path: `/projects/${projectId}/items/${itemId}` });
    const field = coder.locator('fieldset[data-field="quoted"]');
    const box = field.getByRole('combobox', { name: 'Add an actor to Quoted actors' });
    await box.fill('казин');
    await field.getByRole('option', { name: 'Kazinform' }).click();
    await field.getByRole('button', { name: 'Remove Kazinform' }).waitFor();
    await box.fill('Channel 7 Almaty');
    await field.getByRole('option', { name: 'Add “Channel 7 Almaty” as a new actor' }).click();
    await field.getByRole('button', { name: 'Remove Channel 7 Almaty' }).waitFor();

    const param = { projectId };
    const actors = (await ok(project('coder1').actors.$get({ param, query: {} }))).actors;
    const byName = new Map(actors.map((a) => [a.name, a]));
    expect(byName.get('Channel 7 Almaty')?.pending).toBe(true);
    await eventually(async () => {
      const mine = await ok(project('coder1').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
      expect(mine.find((c) => c.fieldKey === 'quoted')?.value).toEqual([byName.get('Kazinform')!.id, byName.get('Channel 7 Almaty')!.id]);
    });
    // Her new actor is one of her blind values: the editor does not see it.
    const editorList = (await ok(project('editor').actors.$get({ param, query: {} }))).actors.map((a) => a.name);
    expect(editorList).toEqual(['Akorda', 'Kazinform']);
    await editor.reload();
    await editor.locator('tr[data-actor="Kazinform"]').waitFor();
    await expect(editor.locator('tr[data-actor="Channel 7 Almaty"]').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
