/**
 * The coding view's checks on the demo study, shared by the browser test of one process
 * (browser/coding.test.ts) and the deployment test through nginx (deploy/nginx.test.ts):
 * blind coding shows nothing of the others and opens none of their documents, and a joint
 * session shows each coder's values to the other, live (no reload).
 */
import type { Codebook, FieldDefinition } from '@concord/shared';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ok } from './api.ts';
import { open, type browserSessions } from './sessions.ts';

/**
 * How long a live change may take to show on another page before the test fails. Generous on
 * purpose: tests assert that a change arrives without a reload, not how fast (latency is
 * measured by bench/realtime*.ts; a 1 s limit failed CI on a loaded 2-core host).
 */
export const LIVE_MS = 10_000;

export interface CodingScene {
  users: ReturnType<typeof browserSessions>;
  /** Where the browser opens pages (the server, or the proxy in front of it). */
  pageUrl: () => string;
  projectId: string;
  codebook: Codebook;
}

/** The demo project and its codebook, as `who` sees them (users must be signed in). */
export async function demoScene(users: CodingScene['users'], pageUrl: () => string, who = 'coder1'): Promise<CodingScene> {
  const projects = await ok(users.client(who).api.projects.$get());
  const projectId = projects[0]!.id;
  const codebook = await ok(users.project(who).codebook.$get({ param: { projectId }, query: {} }));
  return { users, pageUrl, projectId, codebook };
}

const field = (scene: CodingScene, key: string): FieldDefinition => scene.codebook.fields.find((f) => f.key === key)!;

/** The radio index of an ordinal field's scale point. */
export function scaleIndex(scene: CodingScene, key: string, value: number): number {
  const f = field(scene, key);
  if (f.type !== 'ordinal') throw new Error(`${key} is not ordinal`);
  return f.scale.findIndex((p) => p.value === value);
}

/** Where a page shows another coder's value of a field (joint phase only). */
export const peerValue = (page: Page, fieldKey: string, coderId: string) =>
  page.locator(`[data-field="${fieldKey}"] li[data-coder="${coderId}"] .peer-value`);

/** A page signed in as `who` that records the URL of every WebSocket it opens, opened at `path` when given. */
export async function openRecordingSockets(scene: CodingScene, who: string, path?: string): Promise<{ page: Page; sockets: string[] }> {
  const page = await scene.users.openAs(who);
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(decodeURIComponent(ws.url())));
  if (path) await open(page, scene.pageUrl(), path);
  return { page, sockets };
}

/**
 * coder1 opens an independent item from the phase-filtered list: her own submitted values,
 * nothing of coder2's and coder3's, no connection to their documents, also after a reload;
 * then j and k move through the project's items. Returns the item and the page.
 */
export async function checkBlindCoding(scene: CodingScene, screenshot?: string): Promise<{ itemId: string; page: Page }> {
  const { users, projectId } = scene;
  const coder1 = users.accounts.coder1!;
  const { page, sockets } = await openRecordingSockets(scene, 'coder1', `/projects/${projectId}?phase=independent`);
  await page.getByRole('status').getByText('6 items match').waitFor();
  const link = page.locator('table tbody tr td.title a').first();
  const title = (await link.innerText()).trim();
  await link.click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  const itemId = new URL(page.url()).pathname.split('/').at(-1)!;

  const mine = await ok(users.project('coder1').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
  const impact = mine.find((c) => c.fieldKey === 'civic_impact')!.value as number;
  expect(mine.length).toBeGreaterThan(0);

  for (const round of ['first visit', 'after reload']) {
    if (round === 'after reload') {
      sockets.length = 0;
      await page.reload();
      await page.locator('body[data-hydrated="true"]').waitFor();
    }
    // Her own values arrive through her coding document.
    await page.locator(`#f-civic_impact-${scaleIndex(scene, 'civic_impact', impact)}:checked`).waitFor();
    await page.getByRole('status').filter({ hasText: 'Submitted' }).first().waitFor();
    await expect(page.locator('[data-field="narrative_frames"] input:checked').count()).resolves.toBe(
      (mine.find((c) => c.fieldKey === 'narrative_frames')!.value as string[]).length,
    );
    // Nothing of the other coders: no values shown, and no attempt to open their documents.
    await expect(page.locator('.peer-values').count()).resolves.toBe(0);
    // Her own documents only: this item's, and the next item's opened ahead for j (doc-pool.ts).
    const codingSockets = sockets.filter((url) => url.includes('/yjs/coding:'));
    expect(codingSockets.some((url) => url.endsWith(`coding:${itemId}:${coder1.id}`))).toBe(true);
    for (const url of codingSockets) expect(url.endsWith(`:${coder1.id}`)).toBe(true);
    const text = await page.locator('form.coding').innerText();
    for (const other of ['coder2', 'coder3']) expect(text).not.toContain(users.accounts[other]!.name);
  }
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  // j and k move through the project's items in the project's order.
  const order = (await ok(users.project('coder1').items.$get({ param: { projectId }, query: { limit: '1000' } }))).items.map((i) => i.id);
  const at = order.indexOf(itemId);
  await page.locator('a[rel="next"]').waitFor(); // the item order has loaded
  await page.locator('body').press('j');
  await page.waitForURL((url) => url.pathname.endsWith(`/items/${order[at + 1]}`));
  await page.locator('a[rel="prev"]').waitFor();
  await page.locator('body').press('k');
  await page.waitForURL((url) => url.pathname.endsWith(`/items/${itemId}`));
  await page.locator(`#f-civic_impact-${scaleIndex(scene, 'civic_impact', impact)}:checked`).waitFor();
  return { itemId, page };
}

/** The editor opens a joint session on an item still in the blind phase that neither coder2 nor coder3 has submitted. */
export async function openJointSession(scene: CodingScene): Promise<string> {
  const { users, projectId } = scene;
  const { items } = await ok(users.project('editor').items.$get({ param: { projectId }, query: { phase: 'independent' } }));
  for (const item of items) {
    const assignments = await ok(users.project('editor').assignments.$get({ param: { projectId }, query: { item: item.id } }));
    const open = (who: string) => assignments.some((a) => a.coderId === users.accounts[who]!.id && a.submittedAt === null);
    if (open('coder2') && open('coder3')) {
      await ok(users.project('editor').items[':itemId'].phase.$post({ param: { projectId, itemId: item.id }, json: { phase: 'joint' } }));
      return item.id;
    }
  }
  throw new Error('no blind item left that coder2 and coder3 both still code');
}

/**
 * coder2 and coder3 on the same joint item: each sees the other's civic impact pick within a
 * second (a mouse click one way, typed keys the other) and the other's presence.
 */
export async function checkJointLive(scene: CodingScene, itemId: string): Promise<{ two: Page; three: Page }> {
  const { users, projectId } = scene;
  const path = `/projects/${projectId}/items/${itemId}`;
  const [two, three] = [await users.openAs('coder2'), await users.openAs('coder3')];
  await Promise.all([open(two, scene.pageUrl(), path), open(three, scene.pageUrl(), path)]);
  const coder2 = users.accounts.coder2!.id;
  const coder3 = users.accounts.coder3!.id;
  // Each page has the other's document open (learnt from presence) before anyone codes.
  await peerValue(three, 'civic_impact', coder2).waitFor();
  await peerValue(two, 'civic_impact', coder3).waitFor();
  await two.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

  // coder2 clicks "2 · Beneficial"; coder3's page shows it, live.
  await two.locator(`#f-civic_impact-${scaleIndex(scene, 'civic_impact', 2)}`).click();
  await peerValue(three, 'civic_impact', coder2).getByText('2 · Beneficial', { exact: true }).waitFor({ timeout: LIVE_MS });

  // And back: coder3 focuses the scale and types - 1 (its keys follow its values); coder2 sees -1, live.
  await three.locator('#f-civic_impact-0').focus();
  await three.keyboard.press('-');
  await three.keyboard.press('1');
  await three.locator(`#f-civic_impact-${scaleIndex(scene, 'civic_impact', -1)}:checked`).waitFor();
  await peerValue(two, 'civic_impact', coder3).getByText('-1 · Somewhat harmful', { exact: true }).waitFor({ timeout: LIVE_MS });

  // Presence: coder2 sees coder3 on the civic impact field (names and field only, never values).
  await two.getByRole('list', { name: 'Who else is on this item' }).getByText(field(scene, 'civic_impact').label).waitFor();
  return { two, three };
}
