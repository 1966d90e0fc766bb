/**
 * Span agreement in Chromium on the demo study: the coders still due on a blind item tag the
 * same passage in their own coding documents (over /yjs, as the coding page does) and submit,
 * which reveals it; the owner then sees the span agreement section on the reliability dashboard
 * with the API's numbers and the definition used, and the report's span paragraph and
 * coder pairs by pseudonym.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CODING_DOC, codingDocName, newId, type Codebook, type CodingValue, type FieldDefinition } from '@concord/shared';
import { ok } from '../helpers/api.ts';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { browserSessions } from '../helpers/sessions.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
/** Seeding the demo study at start takes over 90 s when the shared 2-core machine is busy. */
const SERVER_START_MS = 240_000;
const CODERS = ['coder1', 'coder2', 'coder3'];
const chromiumPath = findChromium();

/** The dashboard's number format (three decimals, no leading zero). */
const coef = (v: number | null) => (v === null ? '—' : (v < 0 ? '−' : '') + Math.abs(v).toFixed(3).replace(/^0\./, '.'));

/** Waits until `condition` holds (beforeAll has no expect.poll); throws with `what` after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function firstValue(f: FieldDefinition): CodingValue {
  switch (f.type) {
    case 'single_choice':
      return f.options[0]!.value;
    case 'multiple_choice':
      return [f.options[0]!.value];
    case 'ordinal':
      return f.scale[0]!.value;
    case 'number':
      return f.min ?? 0;
    case 'text':
      return 'coded in the span agreement test';
    case 'link':
      return [];
  }
}

describe.skipIf(!chromiumPath)('span agreement on the dashboard and in the report', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  let frame = '';
  const users = browserSessions(() => ({ url: server.url, browser }));
  const { pageErrors, client, project, signIn, accounts } = users;

  /** Tags `span` with `frame` in the coder's own coding document, codes the rest, submits. */
  async function tagAndSubmit(who: string, itemId: string, span: { from: number; to: number }, codebook: Codebook) {
    const cookie = accounts[who]!.cookie;
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + '/yjs', codingDocName(itemId, accounts[who]!.id), doc, {
      WebSocketPolyfill: class extends WebSocket {
        constructor(address: string | URL, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie } });
        }
      } as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    try {
      await until(() => provider.synced, 'the coding document to sync');
      doc.transact(() => {
        doc.getArray(CODING_DOC.annotations).push([{ id: newId('annotation'), ...span, fieldKey: 'narrative_frames', frame, authorId: accounts[who]!.id, createdAt: new Date().toISOString() }]);
        doc.getMap(CODING_DOC.values).set('narrative_frames', [frame]);
      });
      const mine = project(who).items[':itemId'].codings.me;
      await until(async () => (await ok(mine.$get({ param: { projectId, itemId } }))).some((r) => r.fieldKey === 'narrative_frames'), 'the tag to be saved');
    } finally {
      provider.destroy();
      doc.destroy();
    }
    const rest = Object.fromEntries(codebook.fields.filter((f) => f.required && f.key !== 'narrative_frames').map((f) => [f.key, firstValue(f)]));
    await ok(project(who).items[':itemId'].codings.me.$put({ param: { projectId, itemId }, json: { values: rest } }));
    await ok(project(who).items[':itemId'].codings.me.submit.$post({ param: { projectId, itemId }, query: {} }));
  }

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' }, startTimeoutMs: SERVER_START_MS });
    browser = await connectChromium(chromiumPath!);
    for (const who of ['owner', ...CODERS]) await signIn(who);
    projectId = (await ok(client('owner').api.projects.$get()))[0]!.id;
    const codebook = await ok(project('owner').codebook.$get({ param: { projectId }, query: {} }));
    const frames = codebook.fields.find((f) => f.key === 'narrative_frames')!;
    if (frames.type !== 'multiple_choice') throw new Error('narrative_frames is not a multiple-choice field');
    frame = frames.options[0]!.value;
    // A blind item that two or more demo coders signed in here still have to submit, and nobody else.
    const { items } = await ok(project('owner').items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    const ids = new Map(CODERS.map((who) => [accounts[who]!.id, who]));
    for (const item of items) {
      const open = (await ok(project('owner').assignments.$get({ param: { projectId }, query: { item: item.id } }))).filter((a) => a.submittedAt === null);
      if (open.length < 2 || item.body.length < 30 || !open.every((a) => ids.has(a.coderId))) continue;
      const span = { from: 0, to: item.body.indexOf(' ', 12) > 0 ? item.body.indexOf(' ', 12) : 12 };
      for (const a of open) await tagAndSubmit(ids.get(a.coderId)!, item.id, span, codebook);
      return;
    }
    throw new Error('no blind item that two signed-in demo coders still have to submit');
  }, SERVER_START_MS + 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const open = async (page: Page, path: string) => {
    await page.goto(new URL(`/projects/${projectId}${path}`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
  };

  it('the dashboard shows each frame’s u-alpha and cu-alpha as the API gives them, and the definition', async () => {
    const api = await ok(project('owner').reliability.spans.$get({ param: { projectId }, query: {} }));
    const field = api.fields.find((f) => f.key === 'narrative_frames')!;
    const tagged = field.frames.find((f) => f.frame === frame)!;
    // Two coders tagged the same passage of the item: the frame has a coefficient.
    expect(tagged.n_tags).toBeGreaterThanOrEqual(2);
    expect(tagged.u.value).not.toBeNull();
    const page = await users.openAs('owner', { viewport: { width: 1500, height: 1000 } });
    await open(page, '/reliability');
    await page.getByRole('heading', { name: 'Span agreement', level: 2 }).waitFor();
    await expect(page.locator('[data-definition="krippendorff-2016"]').innerText()).resolves.toContain('Krippendorff, Mathet, Bouvry & Widlöcher (2016');
    const table = page.locator('[data-span-field="narrative_frames"]');
    const row = table.locator(`tr[data-frame="${frame}"]`);
    await expect(row.locator('td[data-coefficient="u"]').innerText()).resolves.toBe(coef(tagged.u.value));
    await expect(row.locator('td[data-coefficient="cu"]').innerText()).resolves.toBe(coef(tagged.cu.value));
    await expect(table.locator('tr[data-frame=""] td[data-coefficient="u"]').innerText()).resolves.toBe(coef(field.overall.u.value));
    await expect(page.locator('tr[data-pair]').count()).resolves.toBe(api.fields.reduce((n, f) => n + f.pairs.length, 0));
    await page.locator('section.spans').screenshot({ path: `${ARTIFACTS}span-agreement-dashboard.png` });
    expect(pageErrors).toEqual([]);
  });

  it('the report states the span agreement and its definition, coders by pseudonym', async () => {
    const page = await users.openAs('owner', { viewport: { width: 1300, height: 1000 } });
    await open(page, '/report');
    await expect(page.locator('[data-spans-paragraph]').innerText()).resolves.toContain('Krippendorff, Mathet, Bouvry & Widlöcher (2016');
    await page.getByRole('heading', { name: 'Span agreement', level: 2 }).waitFor();
    const pairs = await page.locator('tr[data-pair] th').allInnerTexts();
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) expect(p).toMatch(/^C\d+ & C\d+$/);
    await page.screenshot({ path: `${ARTIFACTS}span-agreement-report.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
