/**
 * Signed-in users for browser tests: an API login per user (its session cookie, id and name),
 * the typed API client as that user, and browser contexts carrying the same cookie, so a
 * test opens a page as anyone without going through the login form each time.
 */
import { createApiClient } from '@concord/server/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ok } from './api.ts';
import { TEST_DEMO_PASSWORD } from './server.ts';

export const demoEmail = (who: string) => `${who}@demo.concord`;

export interface Account {
  id: string;
  name: string;
  cookie: string;
}

/**
 * Logs in through the API and returns the session cookie (`name=value`); throws with the API's
 * answer unless the login succeeds and sets `concord_session`. The one API sign-in of this package.
 */
export async function loginCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(new URL('/api/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (!cookies.some((c) => c.startsWith('concord_session='))) throw new Error(`login ${email}: no concord_session cookie`);
  return cookies.join('; ');
}

/** Signs in through the API (any email and password) and reads who that is. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<Account> {
  const cookie = await loginCookie(baseUrl, email, password);
  const me = await ok(createApiClient(baseUrl, { headers: { cookie } }).api.auth.me.$get());
  return { id: me.id, name: me.name, cookie };
}

/** Signs in as a demo account (`coder1`, `editor`, …) of a server started with CONCORD_DEMO=1. */
export const signInDemo = (baseUrl: string, who: string) => signIn(baseUrl, demoEmail(who), TEST_DEMO_PASSWORD);

/** Navigates and waits for the SvelteKit app to hydrate (the layout's `data-hydrated` marker). */
export async function open(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(new URL(path, baseUrl).href);
  await page.locator('body[data-hydrated="true"]').waitFor();
}

/** Fills the login page's form and submits it (the page is already on /login). */
export async function submitSignInForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in with the login form, from opening /login up to the project list. */
export async function signInWithForm(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await open(page, baseUrl, '/login');
  await submitSignInForm(page, email, password);
  await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
}

/**
 * Sessions on the run's server and browser, which the test file creates in its beforeAll
 * (hence the getter). `pageErrors` collects every page's uncaught errors, labelled by user.
 * `apiUrl`, when given, is where the test's own API calls go (a process behind the proxy
 * whose address `url` the browser opens); sessions live in the shared database.
 */
export function browserSessions(env: () => { url: string; apiUrl?: string; browser: Browser }) {
  const accounts: Record<string, Account> = {};
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const apiUrl = () => env().apiUrl ?? env().url;
  const client = (who: string) => createApiClient(apiUrl(), { headers: { cookie: accounts[who]!.cookie } });
  return {
    accounts,
    pageErrors,
    client,
    project: (who: string) => client(who).api.projects[':projectId'],
    /** Signs `who` in: a demo account by its local part, or any email with its password. */
    async signIn(who: string, email = demoEmail(who), password = TEST_DEMO_PASSWORD): Promise<Account> {
      return (accounts[who] = await signIn(apiUrl(), email, password));
    },
    /** A new browser context with `who`'s session and a page in it, opened at `path` when given. */
    async openAs(who: string, options: { path?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
      const context = await env().browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 1000 } });
      contexts.push(context);
      const [name, value] = accounts[who]!.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: env().url }]);
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`${who}: ${err.message}`));
      if (options.path) await open(page, env().url, options.path);
      return page;
    },
    /** Which signed-in user (`coder1`) has this account id. */
    whoIs: (id: string) => Object.entries(accounts).find(([, a]) => a.id === id)?.[0],
    async closeContexts(): Promise<void> {
      for (const c of contexts.splice(0)) await c.close().catch(() => {});
    },
  };
}
