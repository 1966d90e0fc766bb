/**
 * The disagreement inbox and adjudication in Chromium against the real server with the demo
 * study: the editor opens the inbox from the project page, finds it ranked as the API ranks
 * it, moves with j/k and opens one with Enter, sees every coder's value beside the item,
 * posts a comment mentioning a coder, records a consensus value with a rationale and finds
 * it in the audit trail, then goes on to the next open one with j; the mentioned coder sees the comment (and no decision form), and
 * the editor opens a joint session from the inbox. Live: an item revealed while the editor has
 * the inbox open appears in it without a reload.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { addAssignedItems, codeItem, requiredValues } from '../helpers/coding-api.ts';
import { open as openPage } from '../helpers/sessions.ts';
import { ok } from '../helpers/api.ts';
import { LIVE_MS } from '../helpers/coding-checks.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('the disagreement inbox in Chromium', () => {
  let projectId: string;
  /** The disagreement the editor works on, and the coder mentioned there. */
  let target: { itemId: string; fieldKey: string; coder: string } | null = null;

  const users = browserSuite({ signIn: ['coder1', 'coder2', 'coder3', 'editor', 'owner'] });
  const { accounts, pageErrors, client, project, openAs, whoIs } = users;
  const open = (page: Page, path: string) => openPage(page, users.server.url, path);

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    projectId = (await ok(client('editor').api.projects.$get()))[0]!.id;
  });

  it('editor: ranked inbox, j/k and Enter, side by side values, a comment with a mention, a decision in the audit trail', async () => {
    const page = await openAs('editor');
    await open(page, `/projects/${projectId}`);
    await page.getByRole('navigation', { name: /^Sections of/ }).getByRole('link', { name: 'Disagreements' }).click();
    await page.getByRole('heading', { name: 'Disagreements', level: 1 }).waitFor();

    // Ranked as the API ranks the open disagreements (the page's default filter).
    // Grouped by item, as the page asks for it: items by their most severe disagreement.
    const api = await ok(project('editor').disagreements.$get({ param: { projectId }, query: { status: 'open', group: 'item' } }));
    expect(api.disagreements.length).toBeGreaterThan(1);
    const rows = page.locator('table.inbox tbody tr[data-item]');
    await expect(rows.count()).resolves.toBe(api.disagreements.length);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => ({ item: tr.dataset.item, field: tr.dataset.field, severity: Number(tr.dataset.severity) })));
    expect(shown).toEqual(api.disagreements.map((d) => ({ item: d.itemId, field: d.fieldKey, severity: d.severity })));
    const maxSeverity = Math.max(...api.disagreements.map((d) => d.severity));
    expect(shown[0]!.severity).toBe(maxSeverity);
    await expect(rows.first().locator('.number').innerText()).resolves.toBe(String(Math.round(maxSeverity * 100)));
    await page.screenshot({ path: `${ARTIFACTS}inbox-editor.png` });

    // j, j, k selects the first row again; Enter opens it.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect(rows.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('k');
    await expect(rows.nth(0).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('Enter');
    const first = api.disagreements[0]!;
    await page.waitForURL((url) => url.pathname === `/projects/${projectId}/disagreements/${first.itemId}/${first.fieldKey}`);
    await page.locator('body[data-hydrated="true"]').waitFor();

    const detail = await ok(project('editor').items[':itemId'].disagreements[':fieldKey'].$get({ param: { projectId, itemId: first.itemId, fieldKey: first.fieldKey } }));
    await page.getByRole('heading', { name: detail.item.title, level: 2 }).waitFor();
    for (const c of detail.coders) {
      await expect(page.locator(`.coder[data-coder="${c.coderId}"] .value`).getAttribute('data-value')).resolves.toBe(JSON.stringify(c.value));
    }

    // A comment mentioning one of the coders, through the mention helper.
    const mentioned = whoIs(detail.coders[0]!.coderId)!;
    expect(mentioned).toMatch(/^coder/);
    const body = page.getByLabel('Comment', { exact: true });
    await body.fill('Is this satire or support? ');
    await page.getByRole('button', { name: `@${mentioned}`, exact: true }).click();
    await page.getByRole('button', { name: 'Post comment' }).click();
    const comment = page.locator('.thread .comment').filter({ hasText: 'Is this satire or support?' });
    await comment.locator('.mention', { hasText: `@${mentioned}` }).waitFor();
    const thread = await ok(project('editor').items[':itemId'].comments.$get({ param: { projectId, itemId: first.itemId }, query: { field: first.fieldKey } }));
    expect(thread.find((c) => c.body.startsWith('Is this satire'))?.mentions).toEqual([accounts[mentioned]!.id]);

    // The consensus: the mentioned coder's value, with a rationale.
    await page.getByRole('button', { name: `Take ${detail.coders[0]!.name}'s value` }).click();
    await page.getByLabel(/Rationale/).fill('The coders agreed the post reports the official line without endorsing it.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    const step = page.locator('.trail li[data-action="decide"]');
    await step.filter({ hasText: 'The coders agreed the post reports the official line' }).filter({ hasText: accounts.editor!.name }).waitFor();
    const gold = await ok(project('editor').adjudications.$get({ param: { projectId }, query: {} }));
    expect(gold.find((a) => a.itemId === first.itemId && a.fieldKey === first.fieldKey)?.value).toEqual(detail.coders[0]!.value);
    await page.screenshot({ path: `${ARTIFACTS}inbox-detail-editor.png`, fullPage: true });
    target = { itemId: first.itemId, fieldKey: first.fieldKey, coder: mentioned };

    // Decided, it left the open inbox: j goes on with the first open disagreement (items regrouped
    // by their most severe open row).
    const next = (await ok(project('editor').disagreements.$get({ param: { projectId }, query: { status: 'open', group: 'item' } }))).disagreements[0]!;
    await page.getByRole('link', { name: /Next open/ }).waitFor();
    await page.keyboard.press('j');
    await page.waitForURL((url) => url.pathname === `/projects/${projectId}/disagreements/${next.itemId}/${next.fieldKey}`);
    expect(pageErrors).toEqual([]);
  });

  it("coder: sees the comment that mentions her and the decision, but no decision form", async () => {
    expect(target).not.toBeNull();
    const { itemId, fieldKey, coder } = target!;
    const page = await openAs(coder);
    await open(page, `/projects/${projectId}/disagreements/${itemId}/${fieldKey}`);
    const comment = page.locator('.thread .comment').filter({ hasText: 'Is this satire or support?' });
    await comment.getByText('mentions you').waitFor();
    await page.locator('.trail li[data-action="decide"]').waitFor();
    await page.getByText('Editors record the consensus value').waitFor();
    await expect(page.locator('form.decide').count()).resolves.toBe(0);

    // Her inbox: only the items she codes, as the API gives them to her.
    const mine = await ok(project(coder).disagreements.$get({ param: { projectId }, query: { status: 'all' } }));
    await open(page, `/projects/${projectId}/disagreements?status=all`);
    await expect(page.locator('table.inbox tbody tr[data-item]').count()).resolves.toBe(mine.disagreements.length);
    await expect(page.locator('table.inbox tbody[data-item-group]').count()).resolves.toBe(mine.itemTotal);
    await page.screenshot({ path: `${ARTIFACTS}inbox-coder.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('live: a comment posted by the editor appears on the coder\'s open page without a reload', async () => {
    const { itemId, fieldKey, coder } = target!;
    const page = await openAs(coder);
    await open(page, `/projects/${projectId}/disagreements/${itemId}/${fieldKey}`);
    await page.locator('.thread .comment').first().waitFor();
    // The page receives the project's events from here on.
    await page.locator(`body[data-live-projects~="${projectId}"]`).waitFor();
    const text = `Live question for @${coder}: does the caption change the reading?`;
    await ok(project('editor').items[':itemId'].comments.$post({ param: { projectId, itemId }, json: { body: text, fieldKey } }));
    await page.locator('.thread .comment').filter({ hasText: 'does the caption change the reading?' }).getByText('mentions you').waitFor({ timeout: LIVE_MS });
    await page.getByText(/You were mentioned by/).waitFor();
  });

  it("live: the editor's inbox shows a decision and a reopen made in another browser, without a reload", async () => {
    const inbox = await openAs('editor');
    await open(inbox, `/projects/${projectId}/disagreements?status=all`);
    await inbox.locator(`body[data-live-projects~="${projectId}"]`).waitFor();
    const all = await ok(project('editor').disagreements.$get({ param: { projectId }, query: { status: 'all', group: 'item' } }));
    const target = all.disagreements.find((d) => d.adjudication === null)!;
    expect(target).toBeDefined();
    const decision = inbox.locator(`tr[data-item="${target.itemId}"][data-field="${target.fieldKey}"] [data-decision]`);
    await expect(decision.innerText()).resolves.toBe('Open');

    // The owner decides in her own browser.
    const other = await openAs('owner');
    await open(other, `/projects/${projectId}/disagreements/${target.itemId}/${target.fieldKey}`);
    await other.getByRole('button', { name: `Take ${target.values[0]!.name}'s value` }).click();
    await other.getByLabel(/Rationale/).fill('Decided while the editor watches the inbox.');
    await other.getByRole('button', { name: 'Record the decision' }).click();
    await other.locator('.trail li[data-action="decide"]').waitFor();

    await decision.locator('.badge.decided').waitFor({ timeout: LIVE_MS });
    // Reopened (through the API, as a script would): the row is open again.
    await ok(project('owner').items[':itemId'].adjudications[':fieldKey'].reopen.$post({ param: { projectId, itemId: target.itemId, fieldKey: target.fieldKey } }));
    await decision.getByText('Reopened').waitFor({ timeout: LIVE_MS });
    expect(pageErrors).toEqual([]);
  });

  it("live: an item revealed while the editor's inbox is open appears in it without a reload", async () => {
    const title = 'A post revealed while the editor watches the inbox';
    const [itemId] = await addAssignedItems(users, 'editor', projectId, [{ title, body: 'Two coders read it far apart.' }], {
      roundName: 'inbox live test',
      type: 'reliability',
      coders: ['coder1', 'coder2'],
    });
    const inbox = await openAs('editor');
    await open(inbox, `/projects/${projectId}/disagreements`);
    await inbox.locator(`body[data-live-projects~="${projectId}"]`).waitFor();
    const rows = inbox.locator(`tbody tr[data-item="${itemId}"]`);
    await expect(rows.count()).resolves.toBe(0);

    // The two coders submit blind at the ends of the civic impact scale; the second submit reveals the item.
    const values = requiredValues(await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} })), 'coded in the inbox live test');
    await codeItem(users, 'coder1', projectId, itemId!, { ...values, civic_impact: -3 });
    await codeItem(users, 'coder2', projectId, itemId!, { ...values, civic_impact: 3 });
    expect((await ok(project('editor').items[':itemId'].$get({ param: { projectId, itemId: itemId! } }))).phase).toBe('revealed');
    await inbox.locator(`tbody tr[data-item="${itemId}"][data-field="civic_impact"]`).waitFor({ timeout: LIVE_MS });
    await inbox.getByRole('link', { name: title }).first().waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('editor: opens a joint session on a picked disagreement; its coder finds the way into the session', async () => {
    const page = await openAs('editor');
    await open(page, `/projects/${projectId}/disagreements`);
    const rows = page.locator('table.inbox tbody tr[data-item]');
    const row = rows.first();
    const itemId = (await row.getAttribute('data-item'))!;
    await row.locator('input[type="checkbox"]').check();
    await page.getByRole('button', { name: /Open a joint session on 1 item/ }).click();
    await page.getByText('Joint session open on 1 item').waitFor();
    const item = await ok(project('editor').items[':itemId'].$get({ param: { projectId, itemId } }));
    expect(item.phase).toBe('joint');

    const coders = await ok(project('editor').assignments.$get({ param: { projectId }, query: { item: itemId } }));
    const coder = whoIs(coders[0]!.coderId)!;
    const coderPage = await openAs(coder);
    await open(coderPage, `/projects/${projectId}/disagreements`);
    await coderPage.getByRole('link', { name: `Join the session: ${item.title}` }).click();
    await coderPage.waitForURL((url) => url.pathname === `/projects/${projectId}/items/${itemId}`);
    await coderPage.getByRole('heading', { name: item.title, level: 1 }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
