/**
 * Personal access tokens on the account page, in Chromium (issue 14, item 10): the demo owner
 * makes a read-export token, sees its secret once, a script (plain fetch, no cookie) pulls an
 * export with it and is refused anything else; after a reload the secret is gone and the token
 * is listed as used; revoking it there stops the script at once. The page passes the accessibility audit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { auditPage } from '../helpers/accessibility.ts';
import { ok } from '../helpers/api.ts';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const chromiumPath = findChromium();
const NAME = 'weekly export (R)';

describe.skipIf(!chromiumPath)('personal access tokens on the account page', () => {
  let projectId: string;
  const users = browserSuite({ signIn: ['owner'] });
  const { pageErrors, client, openAs } = users;
  /** A script's request: the token, no cookie. */
  const script = (secret: string, path: string) => fetch(new URL(path, users.server.url), { headers: { authorization: `Bearer ${secret}` } });

  beforeAll(async () => {
    projectId = (await ok(client('owner').api.projects.$get()))[0]!.id;
  });

  it('creates a token, shows it once, and revokes it', async () => {
    const page = await openAs('owner', { path: '/account' });
    await page.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
    await page.getByText('No tokens yet.').waitFor();
    await page.locator('#token-name').fill(NAME);
    await page.locator('#token-scope').selectOption('read-export');
    await page.locator('#token-days').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.locator('#token-secret').inputValue();
    expect(secret).toMatch(/^concord_pat_[\w-]{43}$/);
    await page.locator(`tr[data-token="${NAME}"]`).waitFor();
    // The page with a token listed and its secret shown passes the accessibility audit of test/browser/accessibility.test.ts.
    expect(await auditPage(page)).toEqual([]);

    const csv = await script(secret, `/api/projects/${projectId}/export/codings.csv?layout=long`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\n')[0]).toContain('coder');
    const items = await script(secret, `/api/projects/${projectId}/items`);
    expect(items.status).toBe(403);
    expect(((await items.json()) as { error: { code: string } }).error.code).toBe('TOKEN_SCOPE');

    await page.reload();
    await page.locator('body[data-hydrated="true"]').waitFor();
    const row = page.locator(`tr[data-token="${NAME}"]`);
    await row.waitFor();
    await expect(page.locator('#token-secret').count()).resolves.toBe(0);
    expect(await page.content()).not.toContain(secret.slice(16));
    await expect(row.innerText()).resolves.toContain('read-export');
    await expect(row.innerText()).resolves.not.toContain('never');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: `Revoke ${NAME}` }).click();
    await page.getByText('No tokens yet.').waitFor();
    expect((await script(secret, `/api/projects/${projectId}/export/codings.csv`)).status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
