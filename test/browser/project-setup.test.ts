/**
 * Project setup in Chromium, as the demo owner: create a project and edit its codebook
 * (options reordered with the keyboard, versions with their diff), invite a new email and
 * use the one-time link in another browser context (it fails the second time), and plan
 * an assignment round with a preview of the workload before applying it.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@concord/server/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { ok } from '../helpers/api.ts';
import { loginCookie, open as openPage, signInWithForm } from '../helpers/sessions.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const OWNER = 'owner@demo.concord';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('project setup in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let projectId = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    context = await browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const open = (p: Page, path: string) => openPage(p, server.url, path);

  /** The API as the owner, for checks independent of the page. */
  async function ownerApi() {
    const cookie = await loginCookie(server.url, OWNER, TEST_DEMO_PASSWORD);
    return { api: createApiClient(server.url, { headers: { cookie } }), cookie };
  }

  /** The login form as the demo owner, up to the project list. */
  const signInAsOwner = (p: Page) => signInWithForm(p, server.url, OWNER, TEST_DEMO_PASSWORD);

  const activeLabel = (p: Page) => p.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

  it('(a) creates a project, adds a field, reorders its options by keyboard, saves, and sees version 2 and the diff', async () => {
    await signInAsOwner(page);

    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByLabel('Name').fill('Browser setup study');
    await page.getByLabel('Description').fill('Made in Chromium');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/prj_[a-z2-7]+\/codebook$/);
    projectId = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByRole('heading', { name: /Codebook\s+version 1/ }).waitFor();
    await page.locator('body[data-hydrated="true"]').waitFor();

    // A single-choice field (the default type), then a third option.
    await page.getByRole('button', { name: 'Add field' }).click();
    const editor = page.locator('[data-field-editor]').first();
    await editor.getByLabel('Label', { exact: true }).first().fill('Stance');
    await editor.getByRole('button', { name: 'Add option' }).click();
    await expect(editor.locator('[data-option]').count()).resolves.toBe(3);

    // Keyboard only: Enter on "move up" twice brings option 3 to the top, and focus follows it.
    await editor.getByRole('button', { name: 'Move Option 3 up' }).focus();
    await page.keyboard.press('Enter');
    await expect(editor.locator('[data-option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-option')))).resolves.toEqual(['option_1', 'option_3', 'option_2']);
    await expect(activeLabel(page)).resolves.toBe('Move Option 3 up');
    await page.keyboard.press('Enter');
    await expect(editor.locator('[data-option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-option')))).resolves.toEqual(['option_3', 'option_1', 'option_2']);
    // At the top "up" is disabled, so focus stays in the row on "down".
    await expect(activeLabel(page)).resolves.toBe('Move Option 3 down');
    await expect(page.getByRole('status').filter({ hasText: 'Moved "Option 3" to position 1 of 3.' }).count()).resolves.toBe(1);

    // The preview is the coder's form, in the new order.
    const preview = page.getByRole('form', { name: 'Coding form preview' });
    await expect(preview.locator('.choice').allInnerTexts()).resolves.toEqual([expect.stringContaining('Option 3'), expect.stringContaining('Option 1'), expect.stringContaining('Option 2')]);
    await page.screenshot({ path: `${ARTIFACTS}codebook-editor.png`, fullPage: true });

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();
    await page.getByRole('heading', { name: /Codebook\s+version 2/ }).waitFor();
    const v2 = page.locator('[data-version="2"]');
    await expect(v2.innerText()).resolves.toMatch(/current/);
    // The field key followed its label (generated keys are slugs of the label until saved).
    await expect(v2.locator('[data-change="added"]').innerText()).resolves.toMatch(/added\s+field\s+stance\s+\(Stance\)/i);

    // The server has the order the keyboard made.
    const { api } = await ownerApi();
    const saved = await (await api.api.projects[':projectId'].codebook.$get({ param: { projectId }, query: {} })).json();
    expect(saved.version).toBe(2);
    const field = saved.fields[0]!;
    expect(field.type === 'single_choice' && field.options.map((o) => o.value)).toEqual(['option_3', 'option_1', 'option_2']);

    // A rename shows as such in version 3's diff.
    await page.locator('[data-field-editor] summary').first().click();
    await page.getByLabel('Label of option 2').fill('In favour');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 3.' }).waitFor();
    await expect(page.locator('[data-version="3"]').innerText()).resolves.toContain('option renamed: “Option 1” → “In favour”');
    expect(pageErrors).toEqual([]);
  });

  it('lays the setup pages out without sideways scrolling at 200% zoom, in the dark scheme too', async () => {
    expect(projectId).not.toBe('');
    // 200% zoom of a 1280 px wide window is a 640 CSS px viewport.
    const zoomed = await browser.newContext({ viewport: { width: 640, height: 800 }, deviceScaleFactor: 2, colorScheme: 'dark' });
    try {
      const p = await zoomed.newPage();
      const errors: string[] = [];
      p.on('pageerror', (err) => errors.push(err.message));
      await signInAsOwner(p);
      for (const section of ['', '/codebook', '/members', '/assignments']) {
        await open(p, `/projects/${projectId}${section}`);
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `sideways overflow on ${section || 'items'}`).toBeLessThanOrEqual(0);
      }
      await open(p, `/projects/${projectId}/codebook`);
      await expect(p.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).resolves.toBe(true);
      await p.screenshot({ path: `${ARTIFACTS}codebook-editor-dark-200.png`, fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await zoomed.close();
    }
  });

  it('(b) invites a new email; the one-time link sets a password and lands in the project, and fails the second time', async () => {
    expect(projectId).not.toBe('');
    await open(page, `/projects/${projectId}/members`);
    const email = `invitee-${Date.now()}@example.org`;
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Name (for a new account)').fill('Zhanna Invitee');
    await page.getByLabel('Role', { exact: true }).selectOption('coder');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const linkBox = page.getByLabel(`One-time link for ${email}`);
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{43}$`));
    // Pending until the link is used: listed as an invitation, not as a member.
    await page.locator(`tr[data-invitation="${email}"]`).filter({ hasText: 'pending' }).waitFor();
    await expect(page.locator(`tr[data-member="${email}"]`).count()).resolves.toBe(0);

    const invitee = await browser.newContext();
    try {
      const p = await invitee.newPage();
      await open(p, link);
      await p.getByText('Browser setup study').first().waitFor();
      await p.getByLabel('Password', { exact: true }).fill('invitee password 123');
      await p.getByLabel('Password again').fill('invitee password 123');
      await p.getByRole('button', { name: 'Set password and continue' }).click();
      await p.waitForURL(`**/projects/${projectId}`);
      await p.getByRole('heading', { name: 'Browser setup study', level: 1 }).waitFor();
      await expect(p.getByText('Your role: coder').count()).resolves.toBe(1);
    } finally {
      await invitee.close();
    }

    const again = await browser.newContext();
    try {
      const p = await again.newPage();
      await open(p, link);
      const alert = p.getByRole('alert');
      await alert.waitFor();
      await expect(alert.innerText()).resolves.toContain('already used');
      await expect(alert.getAttribute('data-code')).resolves.toBe('LINK_USED');
      await expect(p.getByRole('button', { name: 'Set password and continue' }).count()).resolves.toBe(0);
    } finally {
      await again.close();
    }
  });

  it('(c) picks two coders, k = 2, previews the workload, applies it, and shows the new workload', async () => {
    expect(projectId).not.toBe('');
    const { api, cookie } = await ownerApi();
    const param = { projectId };
    // Two demo coders are invited to the new project, which gets six items; each accepts signed in.
    for (const email of ['coder1@demo.concord', 'coder2@demo.concord']) {
      const { invitation } = await ok(api.api.projects[':projectId'].members.$post({ param, json: { email, role: 'coder' } }));
      const invitee = createApiClient(server.url, { headers: { cookie: await loginCookie(server.url, email, TEST_DEMO_PASSWORD) } });
      await ok(invitee.api.invites[':token'].accept.$post({ param: { token: invitation.token }, json: {} }));
    }
    const csv = ['title,platform', ...[1, 2, 3, 4, 5, 6].map((n) => `Post ${n},facebook`)].join('\n');
    const imported = await fetch(new URL(`/api/projects/${projectId}/import`, server.url), { method: 'POST', headers: { cookie, 'content-type': 'text/csv' }, body: csv });
    expect(imported.status).toBe(201);
    const members = await (await api.api.projects[':projectId'].members.$get({ param })).json();
    const coders = members.filter((m) => m.email === 'coder1@demo.concord' || m.email === 'coder2@demo.concord');
    expect(coders).toHaveLength(2);
    const demo = { id: projectId, itemCount: 6 };
    const before = await (await api.api.projects[':projectId'].assignments.$get({ param, query: {} })).json();
    // k = 2 with two coders gives every item to both: each coder gets every item they do not have yet.
    const expectedNew = new Map(coders.map((c) => [c.userId, demo.itemCount - before.filter((a) => a.coderId === c.userId).length]));
    const expectedTotal = new Map(coders.map((c) => [c.userId, demo.itemCount]));
    expect([...expectedNew.values()]).toEqual([6, 6]);

    await open(page, `/projects/${demo.id}/assignments`);
    for (const m of members) {
      const box = page.getByRole('checkbox', { name: new RegExp(m.email.replace('.', '\\.')) });
      if (coders.some((c) => c.userId === m.userId)) await box.check();
      else await box.uncheck();
    }
    await page.getByLabel('Every item to k coders').check();
    await page.getByLabel('Coders per item (k)').fill('2');
    await page.getByLabel('Seed').fill('7');
    await page.getByRole('button', { name: 'Preview workload' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.waitFor();
    for (const c of coders) {
      const cells = await preview.locator(`tr[data-coder="${c.userId}"] td`).allInnerTexts();
      expect(cells.map(Number)).toEqual([expectedNew.get(c.userId), demo.itemCount - expectedNew.get(c.userId)!, expectedTotal.get(c.userId)]);
    }
    await expect(preview.locator('tbody tr').count()).resolves.toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}assignments-preview.png`, fullPage: true });

    await page.getByRole('button', { name: 'Apply' }).click();
    const total = [...expectedNew.values()].reduce((s, n) => s + n, 0);
    await page.getByRole('status').filter({ hasText: `${total} new assignment` }).waitFor();
    const workload = page.getByRole('region', { name: 'Workload' });
    for (const c of coders) {
      const assigned = await workload.locator(`tr[data-coder="${c.userId}"] td`).first().innerText();
      expect(Number(assigned)).toBe(demo.itemCount);
    }
    const after = await (await api.api.projects[':projectId'].assignments.$get({ param: { projectId: demo.id }, query: {} })).json();
    for (const c of coders) expect(after.filter((a) => a.coderId === c.userId)).toHaveLength(demo.itemCount);
    expect(pageErrors).toEqual([]);
  });
});
