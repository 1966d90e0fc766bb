/**
 * The narrative workbench in Chromium on the demo study: the editor opens it from the project's
 * navigation, finds a revealed item under its frame with the passage she tagged (through the
 * shared item document, as the item page does) quoted with the item's reference and link and
 * its translation beside it, filters by incident, groups by incident, and downloads the
 * Markdown file with the same quote, and pages through the items under a filter (the shared
 * pager). An item still coded blind shows every value open. A coder has no Workbench tab.
 */
import type { Workbench } from '@concord/shared';
import { ITEM_DOC, itemDocName, newId, passageReference } from '@concord/shared';
import { mkdir } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { eventually } from '@concord/server/testing';
import { ok } from '../helpers/api.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { findChromium } from '../helpers/chromium.ts';
import { open } from '../helpers/sessions.ts';

const chromiumPath = findChromium();
const TRANSLATION = { translationLanguage: 'en', translationTitle: 'Translated title of the first item', translationBody: 'The translated text of the first item.' };
const LINK = 'https://example.org/kz-001';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const projectOf = { id: '' };
const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;

/** Tags a span in the shared item document as the holder of `cookie` (what the item page's span menu writes). */
async function tagShared(baseUrl: string, cookie: string, userId: string, itemId: string, tag: { from: number; to: number; fieldKey: string; frame: string }) {
  const origin = new URL(baseUrl).origin;
  const Socket = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie, origin } });
    }
  };
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${origin.replace(/^http/, 'ws')}/yjs`, itemDocName(itemId), doc, {
    WebSocketPolyfill: Socket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve) => (provider.synced ? resolve() : provider.once('sync', () => resolve())));
    doc.getArray(ITEM_DOC.annotations).push([{ id: newId('annotation'), ...tag, authorId: userId, createdAt: new Date().toISOString() }]);
    // Stored once the API shows it (the room relays and persists after commit).
    await eventually(async () => {
      const res = await fetch(new URL(`/api/projects/${projectOf.id}/workbench`, baseUrl), { headers: { cookie } });
      const wb = (await res.json()) as Workbench;
      expect(wb.items.find((i) => i.id === itemId)?.passages.length).toBeGreaterThan(0);
    }, 15_000);
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
describe.skipIf(!chromiumPath)('the narrative workbench in Chromium', () => {
  const users = browserSuite({ signIn: ['editor', 'coder1'] });
  const { pageErrors, openAs } = users;
  let page: Page;
  let cookie: string;
  let first: Workbench['items'][number];
  let phrase: string;
  let frameLabel: string;
  let blindIds: string[];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    cookie = users.accounts.editor!.cookie;
    const client = users.client('editor');
    const me = await ok(client.api.auth.me.$get());
    projectOf.id = (await ok(client.api.projects.$get()))[0]!.id;
    const param = { projectId: projectOf.id };
    const wb = await ok(client.api.projects[':projectId'].workbench.$get({ param, query: {} }));
    // A revealed item with a final frame, on the page's first page (25 items).
    first = wb.items.slice(0, 25).find((i) => i.phase === 'revealed' && i.frames.length > 0)!;
    expect(first, 'the demo study has a revealed item with a final frame').toBeTruthy();
    blindIds = wb.items.filter((i) => i.phase === 'independent').map((i) => i.id);
    frameLabel = wb.frames.find((f) => f.value === first.frames[0])!.label;
    await ok(client.api.projects[':projectId'].items[':itemId'].$patch({ param: { ...param, itemId: first.id }, json: { ...TRANSLATION, url: LINK } }));
    const item = await ok(client.api.projects[':projectId'].items[':itemId'].$get({ param: { ...param, itemId: first.id } }));
    // The first words of the item's text, tagged with its first final frame in the shared document.
    phrase = item.body.split(' ').slice(0, 5).join(' ');
    await tagShared(users.server.url, cookie, me.id, first.id, { from: 0, to: phrase.length, fieldKey: wb.frameField!.key, frame: first.frames[0]! });

    page = await openAs('editor', { viewport: { width: 1300, height: 1000 } });
  }, 180_000);

  const entry = (groupKey: string, itemId: string) => page.locator(`section[data-group="${groupKey}"] article[data-item="${itemId}"]`);

  it('opens from the navigation and quotes the tagged passage under its frame, with the item reference, link and translation', async () => {
    await open(page, users.server.url, `/projects/${projectOf.id}`);
    await page.getByRole('navigation', { name: /^Sections of/ }).getByRole('link', { name: 'Workbench' }).click();
    await page.getByRole('heading', { name: 'Narrative workbench', level: 1 }).waitFor();
    const card = entry(first.frames[0]!, first.id);
    await card.waitFor();
    await expect(card.locator('h3').innerText()).resolves.toContain(first.title);
    const passage = card.locator('li[data-passage]').first();
    await expect(passage.locator('blockquote').innerText()).resolves.toBe(`“${phrase}”`);
    const cite = await passage.locator('.cite').innerText();
    expect(cite).toContain(passageReference(first));
    expect(cite).toContain(frameLabel);
    await expect(passage.locator('a').getAttribute('href')).resolves.toBe(LINK);
    await expect(card.locator('[data-translation] summary').innerText()).resolves.toBe(`Translation (en): ${TRANSLATION.translationTitle}`);
    await card.locator('[data-translation] summary').click();
    await expect(card.locator('[data-translation] p').innerText()).resolves.toBe(TRANSLATION.translationBody);
    await page.screenshot({ path: `${ARTIFACTS}workbench.png` });
  });

  it('shows an item still coded blind with every value open and no passage', async () => {
    const shown = (await page.locator('article[data-item]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-item')))).filter((id) => blindIds.includes(id!));
    expect(shown.length, 'the first page holds items still coded blind').toBeGreaterThan(0);
    for (const id of shown) {
      const card = page.locator(`article[data-item="${id}"]`);
      await expect(card.innerText()).resolves.toContain('no final values before reveal');
      const provenances = await card.locator('[data-provenance]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-provenance')));
      expect(new Set(provenances)).toEqual(new Set(['open']));
      await expect(card.locator('li[data-passage]').count()).resolves.toBe(0);
    }
  });

  it('filters by incident and groups by incident, as the API does', async () => {
    const incident = first.incidents[0]!;
    await page.getByLabel('Incident', { exact: true }).selectOption(incident.id);
    await page.waitForURL((url) => url.searchParams.get('incident') === incident.id);
    await page.locator('body[data-hydrated="true"]').waitFor();
    const res = await fetch(new URL(`/api/projects/${projectOf.id}/workbench?incident=${incident.id}&limit=25`, users.server.url), { headers: { cookie } });
    const filtered = (await res.json()) as Workbench;
    await expect.poll(() => page.locator('p.total').innerText()).toContain(items(filtered.total));
    await page.getByLabel('Group by', { exact: true }).selectOption('incident');
    await page.waitForURL((url) => url.searchParams.get('by') === 'incident');
    await expect.poll(() => page.locator('section[data-group] h2').allInnerTexts()).toEqual([`${incident.name} (${items(filtered.items.length)})`]);
    await expect(page.locator(`section[data-group="${incident.id}"] article`).count()).resolves.toBe(filtered.items.length);
  });

  it('downloads the Markdown file with the same quote', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download="markdown"]').click()]);
    expect(download.suggestedFilename()).toBe('workbench.md');
    const md = (await buffer(await download.createReadStream())).toString('utf8');
    expect(md).toContain(`> "${phrase}" (${passageReference(first)}; ${frameLabel}; tagged by `);
    expect(md).toContain(`- Link: <${LINK}>`);
    expect(pageErrors).toEqual([]);
  });

  it('pages under the same filters: Next and Previous keep them', async () => {
    const res = await fetch(new URL(`/api/projects/${projectOf.id}/workbench?limit=25`, users.server.url), { headers: { cookie } });
    const pages = Math.ceil(((await res.json()) as Workbench).total / 25);
    expect(pages, 'the demo study fills more than one page').toBeGreaterThan(1);
    await open(page, users.server.url, `/projects/${projectOf.id}/workbench?by=incident`);
    const pager = page.getByRole('navigation', { name: 'Workbench pages' });
    await expect.poll(() => pager.innerText()).toContain(`Page 1 of ${pages}`);
    await expect(pager.getByRole('link', { name: 'Previous' }).count()).resolves.toBe(0);
    await pager.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2' && url.searchParams.get('by') === 'incident');
    await expect.poll(() => pager.innerText()).toContain(`Page 2 of ${pages}`);
    await pager.getByRole('link', { name: 'Previous' }).click();
    await page.waitForURL((url) => !url.searchParams.has('page') && url.searchParams.get('by') === 'incident');
    await expect.poll(() => page.locator('p.total').innerText()).toContain(`page 1 of ${pages}`);
    expect(pageErrors).toEqual([]);
  });

  it('is not a coder’s: no Workbench tab', async () => {
    const coder = await openAs('coder1', { path: `/projects/${projectOf.id}` });
    const nav = coder.getByRole('navigation', { name: /^Sections of/ });
    await nav.waitFor();
    expect(await nav.getByRole('link').allTextContents()).not.toContain('Workbench');
  });
});
