/**
 * The coding view in Chromium against the real server with the demo study: blind coding
 * (nothing of others, not even a connection attempt), a joint session where two coders see
 * each other's values live within 1 s, and the values landing on the server.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@concord/server/client';
import type { Codebook, FieldDefinition } from '@concord/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { ok } from '../helpers/api.ts';
import { watchAwareness } from '../helpers/awareness.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DEMO = (who: string) => `${who}@demo.concord`;
/** How fast a joint session must show another coder's change. */
const LIVE_MS = 1000;
/** y-protocols re-sends an unchanged presence every 15 s (half its 30 s timeout); such a renewal says nothing. */
const RENEWAL_MS = 10_000;

const chromiumPath = findChromium();

interface Account {
  id: string;
  name: string;
  cookie: string;
}

describe.skipIf(!chromiumPath)('the coding view in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  let codebook: Codebook;
  const accounts: Record<string, Account> = {};
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const client = (who: string) => createApiClient(server.url, { headers: { cookie: accounts[who]!.cookie } });
  const project = (who: string) => client(who).api.projects[':projectId'];

  async function signIn(who: string): Promise<void> {
    const res = await fetch(new URL('/api/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO(who), password: TEST_DEMO_PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${who}: ${res.status}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
    const me = await ok(createApiClient(server.url, { headers: { cookie } }).api.auth.me.$get());
    accounts[who] = { id: me.id, name: me.name, cookie };
  }

  /** A browser context signed in as `who` (the session cookie of an API login) and a page that records its WebSockets. */
  async function openAs(who: string): Promise<{ page: Page; sockets: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    contexts.push(context);
    const [name, value] = accounts[who]!.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${who}: ${err.message}`));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(decodeURIComponent(ws.url())));
    return { page, sockets };
  }

  async function open(page: Page, path: string) {
    await page.goto(new URL(path, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
  }

  const field = (key: string): FieldDefinition => codebook.fields.find((f) => f.key === key)!;
  const scaleIndex = (key: string, value: number) => {
    const f = field(key);
    if (f.type !== 'ordinal') throw new Error(`${key} is not ordinal`);
    return f.scale.findIndex((p) => p.value === value);
  };
  /** An item in the independent phase that `who` is assigned to and has not submitted ('' if none). */
  async function blindItemToCode(who: string): Promise<string> {
    const { items } = await ok(project(who).items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    for (const item of items) {
      const [mine] = await ok(project(who).assignments.$get({ param: { projectId }, query: { item: item.id } }));
      if (mine && mine.submittedAt === null) return item.id;
    }
    return '';
  }
  const peerValue = (page: Page, fieldKey: string, coderId: string) => page.locator(`[data-field="${fieldKey}"] li[data-coder="${coderId}"] .peer-value`);

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await launchChromium(chromiumPath!);
    for (const who of ['coder1', 'coder2', 'coder3', 'editor']) await signIn(who);
    const projects = await ok(client('coder1').api.projects.$get());
    projectId = projects[0]!.id;
    codebook = await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} }));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('blind phase: coder1 sees her own submitted values and nothing of the others, also after reload', async () => {
    const { page, sockets } = await openAs('coder1');
    await open(page, `/projects/${projectId}?phase=independent`);
    await page.getByRole('status').getByText('6 items match').waitFor();
    const link = page.locator('table tbody tr td.title a').first();
    const title = (await link.innerText()).trim();
    await link.click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    const itemId = new URL(page.url()).pathname.split('/').at(-1)!;

    const mine = await ok(project('coder1').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
    const impact = mine.find((c) => c.fieldKey === 'civic_impact')!.value as number;
    expect(mine.length).toBeGreaterThan(0);

    for (const round of ['first visit', 'after reload']) {
      if (round === 'after reload') {
        sockets.length = 0;
        await page.reload();
        await page.locator('body[data-hydrated="true"]').waitFor();
      }
      // Her own values arrive through her coding document.
      await page.locator(`#f-civic_impact-${scaleIndex('civic_impact', impact)}:checked`).waitFor();
      await page.getByRole('status').filter({ hasText: 'Submitted' }).first().waitFor();
      await expect(page.locator('[data-field="narrative_frames"] input:checked').count()).resolves.toBe(
        (mine.find((c) => c.fieldKey === 'narrative_frames')!.value as string[]).length,
      );
      // Nothing of the other coders: no values shown, and no attempt to open their documents.
      await expect(page.locator('.peer-values').count()).resolves.toBe(0);
      // Her own documents only: this item's, and the next item's opened ahead for j (doc-pool.ts).
      const codingSockets = sockets.filter((url) => url.includes('/yjs/coding:'));
      expect(codingSockets.some((url) => url.endsWith(`coding:${itemId}:${accounts.coder1!.id}`))).toBe(true);
      for (const url of codingSockets) expect(url.endsWith(`:${accounts.coder1!.id}`)).toBe(true);
      const text = await page.locator('form.coding').innerText();
      for (const other of ['coder2', 'coder3']) expect(text).not.toContain(accounts[other]!.name);
    }
    await page.screenshot({ path: `${ARTIFACTS}coding-blind.png`, fullPage: true });

    // j and k move through the project's items in the project's order.
    const order = (await ok(project('coder1').items.$get({ param: { projectId }, query: { limit: '1000' } }))).items.map((i) => i.id);
    const at = order.indexOf(itemId);
    await page.locator('a[rel="next"]').waitFor(); // the item order has loaded
    await page.locator('body').press('j');
    await page.waitForURL((url) => url.pathname.endsWith(`/items/${order[at + 1]}`));
    await page.locator('a[rel="prev"]').waitFor();
    await page.locator('body').press('k');
    await page.waitForURL((url) => url.pathname.endsWith(`/items/${itemId}`));
    await page.locator(`#f-civic_impact-${scaleIndex('civic_impact', impact)}:checked`).waitFor();
  });

  it('joint phase: coder2 and coder3 see each other pick civic impact within 1 s, and the value is on the server', async () => {
    // An item still in the blind phase that neither coder2 nor coder3 has submitted.
    const { items } = await ok(project('editor').items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    let itemId = '';
    for (const item of items) {
      const assignments = await ok(project('editor').assignments.$get({ param: { projectId }, query: { item: item.id } }));
      const open = (who: string) => assignments.some((a) => a.coderId === accounts[who]!.id && a.submittedAt === null);
      if (open('coder2') && open('coder3')) {
        itemId = item.id;
        break;
      }
    }
    expect(itemId).not.toBe('');
    const phase = await fetch(new URL(`/api/projects/${projectId}/items/${itemId}/phase`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: accounts.editor!.cookie },
      body: JSON.stringify({ phase: 'joint' }),
    });
    expect(phase.status).toBe(200);

    const two = await openAs('coder2');
    const three = await openAs('coder3');
    const path = `/projects/${projectId}/items/${itemId}`;
    await Promise.all([open(two.page, path), open(three.page, path)]);
    const coder2 = accounts.coder2!.id;
    const coder3 = accounts.coder3!.id;
    // Each page has the other's document open (learnt from presence) before anyone codes.
    await peerValue(three.page, 'civic_impact', coder2).waitFor();
    await peerValue(two.page, 'civic_impact', coder3).waitFor();
    await two.page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    // coder2 clicks "2 · Beneficial"; coder3's page shows it within a second.
    await two.page.locator(`#f-civic_impact-${scaleIndex('civic_impact', 2)}`).click();
    await peerValue(three.page, 'civic_impact', coder2).getByText('2 · Beneficial', { exact: true }).waitFor({ timeout: LIVE_MS });

    // And back: coder3 focuses the scale and presses 3 (the third point, -1); coder2 sees it within a second.
    await three.page.locator('#f-civic_impact-0').focus();
    await three.page.keyboard.press('3');
    await three.page.locator(`#f-civic_impact-${scaleIndex('civic_impact', -1)}:checked`).waitFor();
    await peerValue(two.page, 'civic_impact', coder3).getByText('-1 · Somewhat harmful', { exact: true }).waitFor({ timeout: LIVE_MS });

    // Presence: coder2 sees coder3 on the civic impact field (names and field only, never values).
    await two.page.getByRole('list', { name: 'Who else is on this item' }).getByText(field('civic_impact').label).waitFor();
    await two.page.screenshot({ path: `${ARTIFACTS}coding-joint-coder2.png`, fullPage: true });
    await three.page.screenshot({ path: `${ARTIFACTS}coding-joint-coder3.png`, fullPage: true });

    // The value coder2 set is stored on the server.
    await expect
      .poll(async () => {
        const rows = await ok(project('coder2').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
        return rows.find((r) => r.fieldKey === 'civic_impact')?.value;
      }, { timeout: 10_000, interval: 100 })
      .toBe(2);

    // Ctrl+Enter submits; the API's message names the required fields still missing.
    await two.page.locator('#f-civic_impact-0').focus();
    await two.page.keyboard.press('Control+Enter');
    const alert = two.page.locator('form.coding [role="alert"]');
    await alert.waitFor();
    const res = await project('coder2').items[':itemId'].codings.me.submit.$post({ param: { projectId, itemId } });
    expect(res.status).toBe(400);
    const apiMessage = ((await res.json()) as unknown as { error: { message: string } }).error.message;
    expect(apiMessage).toMatch(/required fields are not coded/);
    await expect(alert.innerText()).resolves.toBe(apiMessage);
    expect(pageErrors).toEqual([]);
  });

  it('offline: coder2 codes without a network, the values reach the server when she is back, and she submits', async () => {
    const itemId = await blindItemToCode('coder2');
    expect(itemId).not.toBe('');
    const { page } = await openAs('coder2');
    await open(page, `/projects/${projectId}/items/${itemId}`);
    const status = page.locator('.sync[role="status"]');
    await status.getByText('Saved', { exact: true }).waitFor();

    await page.context().setOffline(true);
    await status.getByText('Offline — changes kept on this device', { exact: true }).waitFor();
    await page.locator('#f-dimension-1').check(); // Speech
    await page.locator('#f-subtext').fill('written offline');
    await page.screenshot({ path: `${ARTIFACTS}coding-offline.png`, fullPage: true });
    const before = await ok(project('coder2').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
    expect(before.find((r) => r.fieldKey === 'subtext')).toBeUndefined();

    await page.context().setOffline(false);
    await status.getByText('Saved', { exact: true }).waitFor();
    await expect
      .poll(async () => {
        const rows = await ok(project('coder2').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
        return Object.fromEntries(rows.filter((r) => r.fieldKey === 'dimension' || r.fieldKey === 'subtext').map((r) => [r.fieldKey, r.value]));
      }, { timeout: 10_000, interval: 100 })
      .toEqual({ dimension: 'speech', subtext: 'written offline' });

    // The required fields, then Submit: the codings are final and the form is read-only.
    await page.locator('#f-narrative_frames-0').check();
    await page.locator(`#f-civic_impact-${scaleIndex('civic_impact', 0)}`).check();
    await page.locator('#f-element-0').check();
    await page.getByRole('button', { name: 'Submit codings' }).click();
    await page.getByText('Submitted. Your codings are final.').waitFor();
    await status.getByText('Submitted', { exact: true }).waitFor();
    await expect(page.locator('#f-dimension-0').isDisabled()).resolves.toBe(true);
    const [assignment] = await ok(project('coder2').assignments.$get({ param: { projectId }, query: { item: itemId } }));
    expect(assignment!.submittedAt).not.toBeNull();
    const rows = await ok(project('coder2').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
    expect(rows.find((r) => r.fieldKey === 'civic_impact')).toMatchObject({ value: 0, status: 'submitted' });
    expect(pageErrors).toEqual([]);
  });

  it('a joint session opened while coder3 is on the item shows the others once the page looks again', async () => {
    const { items } = await ok(project('coder3').items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    const item = items[0]!;
    const { page, sockets } = await openAs('coder3');
    await open(page, `/projects/${projectId}/items/${item.id}`);
    await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    await page.getByText('Phase: independent').waitFor();
    expect(sockets.filter((url) => url.includes('/yjs/coding:') && !url.endsWith(accounts.coder3!.id))).toEqual([]);

    const res = await fetch(new URL(`/api/projects/${projectId}/items/${item.id}/phase`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: accounts.editor!.cookie },
      body: JSON.stringify({ phase: 'joint' }),
    });
    expect(res.status).toBe(200);
    // The page looks again every 20 s and whenever it becomes visible; make it look now.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.getByText('Phase: joint').waitFor();
    // coder1 is not on the page, but her codings are visible in the joint phase, so her document is opened.
    await peerValue(page, 'civic_impact', accounts.coder1!.id).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('independent phase: presence never carries the field, and arrow keys in a radio group publish nothing', async () => {
    // An item coder3 still codes blind (issue 11, finding 4: focus toggles counted the option picked).
    const itemId = await blindItemToCode('coder3');
    expect(itemId).not.toBe('');
    const coder3 = accounts.coder3!.id;
    // The editor's client on the item document, as anyone on item:<id> sees presence.
    const watch = watchAwareness(server.url, `item:${itemId}`, accounts.editor!.cookie);
    try {
      const { page } = await openAs('coder3');
      await open(page, `/projects/${projectId}/items/${itemId}`);
      await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
      await expect.poll(() => watch.seen.some((s) => s.state?.user?.id === coder3), { timeout: 10_000, interval: 50 }).toBe(true);
      const clientId = watch.seen.find((s) => s.state?.user?.id === coder3)!.clientId;

      await page.locator('#f-civic_impact-0').focus();
      await page.locator('#f-civic_impact-0').check();
      const beforeMoves = watch.seen.length;
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await page.locator('#f-civic_impact-3:checked').waitFor();
      // Leaving sends coder3's removal on the same connection, after anything the moves sent.
      await open(page, `/projects/${projectId}`);
      await expect.poll(() => watch.seen.some((s) => s.clientId === clientId && s.state === null), { timeout: 10_000, interval: 50 }).toBe(true);

      const mine = watch.seen.filter((s) => s.clientId === clientId);
      expect(mine.length).toBeGreaterThan(0);
      for (const s of mine) expect(s.state?.focus ?? null).toBeNull();
      const duringMoves = watch.seen.slice(beforeMoves).filter((s, i, all) => {
        if (s.clientId !== clientId || s.state === null) return false;
        const previous = [...watch.seen.slice(0, beforeMoves), ...all.slice(0, i)].filter((p) => p.clientId === clientId).at(-1);
        const renewal = previous !== undefined && JSON.stringify(previous.state) === JSON.stringify(s.state) && s.at - previous.at >= RENEWAL_MS;
        return !renewal;
      });
      expect(duringMoves).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      watch.close();
    }
  });
});
