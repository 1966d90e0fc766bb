/**
 * Project administration in Chromium, on a project of its own next to the demo study:
 * options of a codebook field reordered by drag and drop and by keyboard (the saved version
 * has that order), two people saving the codebook over each other (the second is offered a
 * reload that shows the first one's change), and on the members page a role change and a
 * removal, which the removed member's open page is told about and the API enforces.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.ts';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { demoEmail, open as openPage } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

const OPTIONS = [
  { value: 'alpha', label: 'Alpha' },
  { value: 'beta', label: 'Beta' },
  { value: 'gamma', label: 'Gamma' },
  { value: 'delta', label: 'Delta' },
];

describe.skipIf(!chromiumPath)('project administration in Chromium', () => {
  let projectId: string;
  const users = browserSuite({ signIn: ['owner', 'editor', 'coder1'] });
  const { accounts, pageErrors, client, project, openAs } = users;
  const open = (page: Page, path: string) => openPage(page, users.server.url, path);
  const param = () => ({ projectId });
  const savedOptions = async () => {
    const codebook = await ok(project('owner').codebook.$get({ param: param(), query: {} }));
    const field = codebook.fields.find((f) => f.key === 'stance')!;
    return { version: codebook.version, values: field.type === 'single_choice' ? field.options.map((o) => o.value) : [] };
  };
  const shownOptions = (page: Page) => page.locator('[data-field-editor="stance"] [data-option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-option')));

  beforeAll(async () => {
    // A project of its own: the demo editor is its methodologist (who may edit the codebook), coder1 codes.
    projectId = (await ok(client('owner').api.projects.$post({ json: { name: 'Administration study', description: '' } }))).id;
    // Invited by the owner; each accepts signed in as themselves.
    for (const [who, role] of [['editor', 'methodologist'], ['coder1', 'coder']] as const) {
      const { invitation } = await ok(project('owner').members.$post({ param: param(), json: { email: demoEmail(who), role } }));
      await ok(client(who).api.invites[':token'].accept.$post({ param: { token: invitation.token }, json: {} }));
    }
    const stance = { key: 'stance', label: 'Stance', help: '', type: 'single_choice' as const, required: false, allowNa: false, options: OPTIONS.map((o) => ({ ...o, parent: null, help: '' })) };
    await ok(project('owner').codebook.$put({ param: param(), json: { name: 'Administration codebook', fields: [stance], baseVersion: 1, newVersion: true } }));
  });

  it('reorders options by drag and drop and by keyboard, and the saved version keeps that order, also after a reload', async () => {
    const before = await savedOptions();
    const page = await openAs('owner', { path: `/projects/${projectId}/codebook` });
    await page.locator('[data-field-editor="stance"] summary').click();
    expect(await shownOptions(page)).toEqual(['alpha', 'beta', 'gamma', 'delta']);

    // Drag Gamma by its handle onto Alpha's row: Gamma takes the first place.
    await page.getByRole('img', { name: 'Drag handle of Gamma' }).dragTo(page.locator('[data-field-editor="stance"] [data-option="alpha"]'));
    expect(await shownOptions(page)).toEqual(['gamma', 'alpha', 'beta', 'delta']);
    await page.getByRole('status').filter({ hasText: 'Moved "Gamma" to position 1 of 4.' }).waitFor();

    // Keyboard: Space on Alpha's "move down" moves it below Beta, and the focus stays on that button.
    await page.getByRole('button', { name: 'Move Alpha down' }).focus();
    await page.keyboard.press('Space');
    expect(await shownOptions(page)).toEqual(['gamma', 'beta', 'alpha', 'delta']);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Move Alpha down');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: `Saved as version ${before.version + 1}.` }).waitFor();
    await expect(savedOptions()).resolves.toEqual({ version: before.version + 1, values: ['gamma', 'beta', 'alpha', 'delta'] });
    // The version's diff names the reorder.
    await expect(page.locator(`[data-version="${before.version + 1}"]`).innerText()).resolves.toContain('options reordered');

    await open(page, `/projects/${projectId}/codebook`);
    await page.locator('[data-field-editor="stance"] summary').click();
    expect(await shownOptions(page)).toEqual(['gamma', 'beta', 'alpha', 'delta']);
    expect(pageErrors).toEqual([]);
  });

  it('offers the second of two people saving the codebook a reload, which shows the first one’s change', async () => {
    const before = await savedOptions();
    const [owner, methodologist] = [await openAs('owner'), await openAs('editor')];
    for (const page of [owner, methodologist]) {
      await open(page, `/projects/${projectId}/codebook`);
      await page.getByRole('heading', { name: new RegExp(`Codebook\\s+version ${before.version}`) }).waitFor();
    }
    // The owner renames the codebook and saves first.
    await owner.getByLabel('Codebook name').fill('Renamed by the owner');
    await owner.getByRole('button', { name: 'Save as new version' }).click();
    await owner.getByRole('status').filter({ hasText: `Saved as version ${before.version + 1}.` }).waitFor();

    // The methodologist, still on the old version, renames an option and saves: refused, nothing saved.
    await methodologist.locator('[data-field-editor="stance"] summary').click();
    await methodologist.getByLabel('Label of option 1').fill('Gamma (methodologist)');
    await methodologist.getByRole('button', { name: 'Save as new version' }).click();
    const conflict = methodologist.getByRole('alert').filter({ hasText: 'Someone else saved the codebook while you were editing' });
    await conflict.waitFor();
    const saved = await ok(project('owner').codebook.$get({ param: param(), query: {} }));
    expect(saved).toMatchObject({ version: before.version + 1, name: 'Renamed by the owner' });
    expect(JSON.stringify(saved.fields)).not.toContain('Gamma (methodologist)');

    // Reloading shows the owner's version: its name, its number, and none of the lost edit.
    await conflict.getByRole('button', { name: 'Reload the latest version' }).click();
    await methodologist.getByRole('heading', { name: new RegExp(`Codebook\\s+version ${before.version + 1}`) }).waitFor();
    await expect(methodologist.getByLabel('Codebook name').inputValue()).resolves.toBe('Renamed by the owner');
    await expect(conflict.count()).resolves.toBe(0);
    await methodologist.locator('[data-field-editor="stance"] summary').click();
    await expect(methodologist.getByLabel('Label of option 1').inputValue()).resolves.toBe('Gamma');
    await expect(methodologist.getByText('No unsaved changes').count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('changes a member’s role and removes a member: the removed member’s open page is told, and the API refuses them', async () => {
    const coder1 = accounts.coder1!;
    const member = await openAs('coder1', { path: `/projects/${projectId}` });
    await member.getByText('Your role: coder').waitFor();

    const page = await openAs('owner', { path: `/projects/${projectId}/members` });
    page.on('dialog', (dialog) => void dialog.accept());
    const row = page.locator(`tr[data-member="${demoEmail('coder1')}"]`);
    await row.getByLabel(`Role of ${coder1.name}`).selectOption('editor');
    await page.getByRole('status').filter({ hasText: `${coder1.name} is now editor.` }).waitFor();
    const members = await ok(project('owner').members.$get({ param: param() }));
    expect(members.find((m) => m.userId === coder1.id)?.role).toBe('editor');
    // The new role counts at once: an editor may add an item.
    await ok(project('coder1').items.$post({ param: param(), json: { title: 'Added by the new editor', platform: 'news' } }));
    await open(member, `/projects/${projectId}`);
    await member.getByText('Your role: editor').waitFor();
    // The removal is an event: the page must have joined the project's room again first.
    await member.locator(`body[data-live-projects~="${projectId}"]`).waitFor();

    await row.getByRole('button', { name: `Remove ${coder1.name}` }).click();
    await page.getByRole('status').filter({ hasText: `${coder1.name} was removed.` }).waitFor();
    await expect(row.count()).resolves.toBe(0);

    // The removed member's open page says so, pointing to the project list.
    const notice = member.getByTestId('notifications').getByRole('link', { name: 'You are no longer a member of “Administration study”. Its pages are closed to you now.' });
    await notice.waitFor();
    await expect(notice.getAttribute('href')).resolves.toBe('/');
    // The API treats them as any non-member: the project is hidden.
    const res = await project('coder1').$get({ param: param() });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await ok(client('coder1').api.projects.$get())).map((p) => p.id)).not.toContain(projectId);
    expect(pageErrors).toEqual([]);
  });
});
