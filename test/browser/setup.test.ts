import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { submitSignInForm } from '../helpers/sessions.ts';

const OWNER = { name: 'First Owner', email: 'first@setup.test', password: 'first-owner-password' };
const NEW_PASSWORD = 'a-brand-new-passphrase';

const chromiumPath = findChromium();

// Skipped only when Chromium is missing outside CI (findChromium has warned; on CI it throws instead).
describe.skipIf(!chromiumPath)('first start without the demo, in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    // One after the other, so afterAll can clean up whichever started when the other fails.
    server = await startServerProcess({ env: { CONCORD_DEMO: '0' } });
    browser = await connectChromium(chromiumPath!);
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const signIn = (password: string) => submitSignInForm(page, OWNER.email, password);

  it('points from the login page to setup and creates the first owner', async () => {
    await page.goto(new URL('/login', server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await expect(page.getByRole('heading', { name: 'Demo accounts' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Create the first owner account' }).click();
    await page.waitForURL('**/setup');

    await page.getByLabel('Name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();

    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    await page.getByText('You are not a member of any project yet.').waitFor();
    await expect(page.getByRole('navigation', { name: 'Main' }).innerText()).resolves.toContain(OWNER.name);
  });

  it('changes the password on the account page', async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    await page.getByLabel('Current password').fill(OWNER.password);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
  });

  it('signs in with the new password only', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await signIn(OWNER.password);
    await page.getByRole('alert').waitFor();
    await signIn(NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
