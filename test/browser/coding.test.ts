import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { ok } from '../helpers/api.ts';
import { watchAwareness } from '../helpers/awareness.ts';
import { browserSessions } from '../helpers/sessions.ts';
import {
  checkBlindCoding,
  checkJointLive,
  demoScene,
  openJointSession,
  openRecordingSockets,
  peerValue,
  scaleIndex,
  type CodingScene,
} from '../helpers/coding-checks.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('the coding view in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let scene: CodingScene;
  const users = browserSessions(() => ({ url: server.url, browser }));
  const { accounts, pageErrors, project } = users;

  /** An item in the independent phase that `who` is assigned to and has not submitted ('' if none). */
  async function blindItemToCode(who: string): Promise<string> {
    const { projectId } = scene;
    const { items } = await ok(project(who).items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    for (const item of items) {
      const [mine] = await ok(project(who).assignments.$get({ param: { projectId }, query: { item: item.id } }));
      if (mine && mine.submittedAt === null) return item.id;
    }
    return '';
  }

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    for (const who of ['coder1', 'coder2', 'coder3', 'editor']) await users.signIn(who);
    scene = await demoScene(users, () => server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('blind phase: coder1 sees her own submitted values and nothing of the others, also after reload', async () => {
    await checkBlindCoding(scene, `${ARTIFACTS}coding-blind.png`);
    expect(pageErrors).toEqual([]);
  });

  it('joint phase: coder2 and coder3 see each other pick civic impact live, and the value is on the server', async () => {
    const { projectId } = scene;
    const itemId = await openJointSession(scene);
    const { two, three } = await checkJointLive(scene, itemId);
    await two.screenshot({ path: `${ARTIFACTS}coding-joint-coder2.png`, fullPage: true });
    await three.screenshot({ path: `${ARTIFACTS}coding-joint-coder3.png`, fullPage: true });

    // The value coder2 set is stored on the server.
    await expect
      .poll(async () => {
        const rows = await ok(project('coder2').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
        return rows.find((r) => r.fieldKey === 'civic_impact')?.value;
      }, { timeout: 10_000, interval: 100 })
      .toBe(2);

    // Ctrl+Enter submits; the API's message names the required fields still missing.
    await two.locator('#f-civic_impact-0').focus();
    await two.keyboard.press('Control+Enter');
    const alert = two.locator('form.coding [role="alert"]');
    await alert.waitFor();
    const res = await project('coder2').items[':itemId'].codings.me.submit.$post({ param: { projectId, itemId }, query: {} });
    expect(res.status).toBe(400);
    const apiMessage = ((await res.json()) as unknown as { error: { message: string } }).error.message;
    expect(apiMessage).toMatch(/required fields are not coded/);
    await expect(alert.innerText()).resolves.toBe(apiMessage);
    expect(pageErrors).toEqual([]);
  });

  it('offline: coder2 codes without a network, the values reach the server when she is back, and she submits', async () => {
    const { projectId } = scene;
    const itemId = await blindItemToCode('coder2');
    expect(itemId).not.toBe('');
    const page = await users.openAs('coder2', { path: `/projects/${projectId}/items/${itemId}` });
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
    await page.locator(`#f-civic_impact-${scaleIndex(scene, 'civic_impact', 0)}`).check();
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
    const { projectId } = scene;
    const { items } = await ok(project('coder3').items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    const item = items[0]!;
    const { page, sockets } = await openRecordingSockets(scene, 'coder3', `/projects/${projectId}/items/${item.id}`);
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
    const { projectId } = scene;
    const itemId = await blindItemToCode('coder3');
    expect(itemId).not.toBe('');
    const coder3 = accounts.coder3!.id;
    // The editor's client on the item document, as anyone on item:<id> sees presence.
    const watch = watchAwareness(server.url, `item:${itemId}`, accounts.editor!.cookie);
    // A second editor client with a presence that never changes: the server renews all its
    // clients' states in one message, on its own schedule, so a message that carries coder3's
    // state with this one's is a renewal; a message with coder3's alone is a relay of hers.
    const anchor = watchAwareness(server.url, `item:${itemId}`, accounts.editor!.cookie, { present: true });
    try {
      await expect.poll(() => watch.seen.some((s) => s.state?.user?.id === accounts.editor!.id), { timeout: 10_000, interval: 50 }).toBe(true);
      const anchorId = watch.seen.find((s) => s.state?.user?.id === accounts.editor!.id)!.clientId;
      const page = await users.openAs('coder3', { path: `/projects/${projectId}/items/${itemId}` });
      await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
      await expect.poll(() => watch.seen.some((s) => s.state?.user?.id === coder3), { timeout: 10_000, interval: 50 }).toBe(true);
      const clientId = watch.seen.find((s) => s.state?.user?.id === coder3)!.clientId;

      await page.locator('#f-civic_impact-0').focus();
      await page.locator('#f-civic_impact-0').check();
      const beforeMoves = watch.seen.length;
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await page.locator('#f-civic_impact-3:checked').waitFor();
      // Leaving sends coder3's removal on the same connection, after anything the moves sent.
      await page.goto(new URL(`/projects/${projectId}`, server.url).href);
      await expect.poll(() => watch.seen.some((s) => s.clientId === clientId && s.state === null), { timeout: 10_000, interval: 50 }).toBe(true);

      const mine = watch.seen.filter((s) => s.clientId === clientId);
      expect(mine.length).toBeGreaterThan(0);
      for (const s of mine) expect(s.state?.focus ?? null).toBeNull();
      // Nothing coder3 did relayed her presence: after her arrival, every message about her
      // (until she left) is a server renewal, whatever its timing.
      const renewals = new Set(watch.seen.filter((s) => s.clientId === anchorId && s.state !== null).map((s) => s.message));
      const duringMoves = watch.seen.slice(beforeMoves).filter((s) => s.clientId === clientId && s.state !== null && !renewals.has(s.message));
      expect(duringMoves).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      watch.close();
      anchor.close();
    }
  });
});
