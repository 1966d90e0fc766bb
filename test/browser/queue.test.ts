/**
 * Issue 13, "My work", in Chromium on the demo study: coder1's project opens on her queue
 * ("my n of m"), the start button opens her first open item, j/k walk her queue (never an item
 * she does not code), and n takes her through every open item of it, in the API's order, until
 * the page says the queue is done; the queue page then counts them all as submitted. A manager
 * switches to coder1's queue (the API's counts) and back to the whole table. Her project card
 * counts her own items ("n of my m").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from '@concord/shared';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { addAssignedItems, requiredValues } from '../helpers/coding-api.ts';
import { ok } from '../helpers/api.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)("a coder's queue in Chromium", () => {
  let projectId: string;
  const users = browserSuite({ signIn: ['coder1', 'editor'] });
  const { pageErrors, project } = users;

  beforeAll(async () => {
    projectId = await users.firstProjectId('coder1');
    // The demo's coder1 has submitted all her items: the editor gives her three new ones.
    const items = ['Queue item one', 'Queue item two', 'Queue item three'].map((title) => ({ title, body: `${title}: a post to code.` }));
    await addAssignedItems(users, 'editor', projectId, items, { roundName: 'queue test', type: 'production', coders: ['coder1'] });
  });

  it('the project list counts her own items on the card: "n of my m"', async () => {
    const listed = (await ok(users.client('coder1').api.projects.$get())).find((p) => p.id === projectId)!;
    const queue = await ok(project('coder1').queue.$get({ param: { projectId }, query: {} }));
    // Her figures are of her own assigned items, the queue's, not the project's.
    expect(listed.progress).toMatchObject({ scope: 'mine', items: queue.entries.length, submitted: queue.counts.submitted });
    const page = await users.openAs('coder1', { path: '/' });
    const card = page.locator(`dl[aria-label="Your progress in ${listed.name}"]`);
    await expect(card.innerText()).resolves.toContain(`${queue.counts.submitted} of my ${queue.entries.length}`);
    expect(pageErrors).toEqual([]);
  });

  it('works through the queue with n, in order, until it is done', async () => {
    const param = { projectId };
    const queue = await ok(project('coder1').queue.$get({ param, query: {} }));
    const open = queue.entries.filter((e) => e.status !== 'submitted' && e.phase !== 'revealed').map((e) => e.id);
    expect(open.length, 'coder1 has the three new items to code').toBe(3);
    const values = requiredValues(await ok(project('coder1').codebook.$get({ param, query: {} })), 'coded in the queue test');

    const page = await users.openAs('coder1', { path: `/projects/${projectId}` });
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    const total = queue.entries.length;
    await expect(page.locator('[data-progress]').innerText()).resolves.toContain(`my ${queue.counts.submitted} of ${total} submitted`);
    for (const status of ['todo', 'in_progress', 'submitted'] as const) {
      await expect(page.locator(`[data-status="${status}"] li`).count()).resolves.toBe(queue.counts[status]);
    }

    await page.locator('[data-start]').click();
    await page.waitForURL((url) => url.pathname.endsWith(`/items/${open[0]}`));
    // j walks the queue: the next link is the queue's next entry, an item coder1 codes.
    const at = queue.entries.findIndex((e) => e.id === open[0]);
    const after = queue.entries[at + 1];
    if (after) await expect(page.locator('a[rel="next"]').getAttribute('href')).resolves.toBe(`/projects/${projectId}/items/${after.id}`);

    for (const [i, itemId] of open.entries()) {
      await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
      // The values go in through the API (the coding form's own keys are coding.test.ts's); the submit is the page's.
      await ok(project('coder1').items[':itemId'].codings.me.$put({ param: { projectId, itemId }, json: { values } }));
      await page.keyboard.press('Control+Enter');
      await page.getByText('Your codings of this item are submitted and final.').waitFor();
      await page.keyboard.press('n');
      const next = open[i + 1];
      if (next) await page.waitForURL((url) => url.pathname.endsWith(`/items/${next}`));
      else await page.locator('[data-queue-note]').getByText('Your queue is done', { exact: false }).waitFor();
    }

    const done = await ok(project('coder1').queue.$get({ param, query: {} }));
    expect(done.entries.filter((e) => open.includes(e.id)).map((e) => e.status)).toEqual(open.map(() => 'submitted'));
    const res = await project('coder1').queue.next.$get({ param, query: {} });
    expect(res.status).toBe(204);
    await page.goto(new URL(`/projects/${projectId}`, users.server.url).href);
    await expect(page.locator('[data-progress]').innerText()).resolves.toContain(`my ${(done as Queue).counts.submitted} of ${total} submitted`);
    expect(done.counts.submitted).toBe(queue.counts.submitted + open.length);
    expect(pageErrors).toEqual([]);
  });

  it("editor: switches to coder1's queue, sees her statuses as the API gives them, and goes back to the whole table", async () => {
    const coder1 = users.accounts.coder1!;
    const queue = await ok(project('editor').queue.$get({ param: { projectId }, query: { coder: coder1.id } }));
    expect(queue.coderId).toBe(coder1.id);
    const page = await users.openAs('editor');
    await page.goto(new URL(`/projects/${projectId}`, users.server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    const views = page.getByRole('navigation', { name: "Views of the project's items" });
    // A manager's project opens on the whole table.
    await expect(views.locator('a[aria-current="page"]').innerText()).resolves.toBe('All items');
    await views.getByLabel('Queue of').selectOption({ label: coder1.name });
    await page.waitForURL((url) => url.searchParams.get('queue') === coder1.id);
    await page.getByRole('heading', { name: `Queue of ${coder1.name}` }).waitFor();
    await expect(page.locator('[data-progress]').innerText()).resolves.toContain(`${queue.counts.submitted} of ${queue.entries.length} submitted`);
    for (const status of ['todo', 'in_progress', 'submitted'] as const) {
      await expect(page.locator(`[data-status="${status}"] li`).count()).resolves.toBe(queue.counts[status]);
    }
    // Her queue is hers: no start button for the manager, nothing stored offline.
    await expect(page.locator('[data-start]').count()).resolves.toBe(0);
    await views.getByRole('link', { name: 'All items' }).click();
    await page.waitForURL((url) => !url.searchParams.has('queue'));
    await page.getByRole('heading', { name: `Queue of ${coder1.name}` }).waitFor({ state: 'detached' });
    await expect(page.locator('[aria-rowcount]').count()).resolves.toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
});
