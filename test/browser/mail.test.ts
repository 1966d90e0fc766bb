/**
 * Mail in Chromium, against a real SMTP server (smtp-server on port 0) that the server process
 * reaches through SMTP_URL: the owner invites an email on the members page, the invitee opens
 * the link from the mail that arrived and lands in the project; somebody who forgot her
 * password asks on the sign-in page, opens the mailed link and sets a new one; the account
 * page turns mention mails off.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, startTestSmtp, type TestSmtp } from '@concord/server/testing/smtp';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { loginCookie, open, submitSignInForm } from '../helpers/sessions.ts';

const OWNER = { name: 'Mail Owner', email: 'owner@mail.test', password: 'owner password 123' };
const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('mail by SMTP, in Chromium', () => {
  let smtp: TestSmtp;
  let server: ServerProcess;
  let browser: Browser;
  let projectId = '';
  const pageErrors: string[] = [];

  const post = async (path: string, body: unknown, cookie?: string) => {
    const res = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return res.json() as Promise<{ id: string }>;
  };
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return page;
  };

  beforeAll(async () => {
    assertWebBuilt();
    smtp = await startTestSmtp();
    server = await startServerProcess({ env: { CONCORD_DEMO: '0', SMTP_URL: smtp.url, SMTP_FROM: 'Concord <concord@mail.test>' } });
    browser = await connectChromium(chromiumPath!);
    await post('/api/auth/setup', OWNER);
    projectId = (await post('/api/projects', { name: 'Mailed study' }, await loginCookie(server.url, OWNER.email, OWNER.password))).id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await smtp?.close();
  });

  it('invites by mail from the members page; the link in the mail sets a password and lands in the project', async () => {
    const page = await newPage();
    await open(page, server.url, '/login');
    await submitSignInForm(page, OWNER.email, OWNER.password);
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    await open(page, server.url, `/projects/${projectId}/members`);
    const email = 'aigerim@mail.test';
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption('coder');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByText('the one-time link is on its way by mail').waitFor();

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe('Invitation to Mailed study on Concord');
    expect(mail.text).toContain('Mail Owner invited you');
    const link = linkIn(mail, '/invite/');
    expect(link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{43}$`));

    const invitee = await newPage();
    await open(invitee, server.url, link);
    await invitee.getByLabel('Password', { exact: true }).fill('invitee password 123');
    await invitee.getByLabel('Password again').fill('invitee password 123');
    await invitee.getByRole('button', { name: 'Set password and continue' }).click();
    await invitee.waitForURL(`**/projects/${projectId}`);
    await invitee.getByRole('heading', { name: 'Mailed study', level: 1 }).waitFor();
  });

  it('resets a forgotten password through the mailed link', async () => {
    const page = await newPage();
    await open(page, server.url, '/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByRole('button', { name: 'Mail me a link' }).click();
    await page.getByText('a link to choose a new password is on its way').waitFor();

    const link = linkIn(await smtp.waitFor(OWNER.email), '/reset-password/');
    expect(link.startsWith(`${server.url}/reset-password/`)).toBe(true);
    await open(page, server.url, link);
    const fresh = 'a new owner passphrase';
    await page.getByLabel('New password', { exact: true }).fill(fresh);
    await page.getByLabel('Repeat the new password').fill(fresh);
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    await expect(loginCookie(server.url, OWNER.email, OWNER.password)).rejects.toThrow();
    expect(await loginCookie(server.url, OWNER.email, fresh)).toMatch(/^concord_session=/);
    OWNER.password = fresh;

    // The same link a second time: refused, with a way to ask again.
    await open(page, server.url, link);
    await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
    await page.getByLabel('Repeat the new password').fill('yet another passphrase');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.getByText('already used').waitFor();
  });

  it('turns mention mails off on the account page', async () => {
    const page = await newPage();
    await open(page, server.url, '/login');
    await submitSignInForm(page, OWNER.email, OWNER.password);
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    await open(page, server.url, '/account');
    const mentions = page.getByRole('checkbox', { name: /mentions me/ });
    await expect(mentions.isChecked()).resolves.toBe(true);
    await mentions.uncheck();
    await page.getByRole('button', { name: 'Save mail settings' }).click();
    await page.getByText('Saved.').waitFor();
    const cookie = await loginCookie(server.url, OWNER.email, OWNER.password);
    const prefs = await (await fetch(new URL('/api/auth/mail-preferences', server.url), { headers: { cookie } })).json();
    expect(prefs).toEqual({ mentions: false, digest: true });
    expect(pageErrors).toEqual([]);
  });
});
