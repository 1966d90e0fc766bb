/**
 * Review rounds (issue 13, item 2) in Chromium on the demo study: coder1 codes a review round's
 * item alone; the editor finds it in the review queue (Review tab), accepts one field, revises
 * another with a rationale, and the final dataset gives both the provenance `reviewed`; the
 * coder's own submission is unchanged. On the assignments page the editor samples half of a
 * review round's open items for double coding (seed shown, a preview of how many items) and the
 * second coder has the previewed items. Live: the queue shows a submission and the review page
 * another reviewer's decision without a reload.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { addAssignedItems, codeItem, requiredValues } from '../helpers/coding-api.ts';
import { LIVE_MS } from '../helpers/coding-checks.ts';
import { open as openPage } from '../helpers/sessions.ts';
import { ok } from '../helpers/api.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('review rounds in Chromium', () => {
  let projectId: string;
  let itemId: string;
  const users = browserSuite({ signIn: ['coder1', 'coder2', 'editor', 'owner'] });
  const { pageErrors, project, openAs } = users;

  beforeAll(async () => {
    projectId = await users.firstProjectId('editor');
    const item = { title: 'A post for review', body: 'The minister praised the new media law.' };
    itemId = (await addAssignedItems(users, 'editor', projectId, [item], { roundName: 'review test', type: 'review', coders: ['coder1'] }))[0]!;
    const codebook = await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} }));
    await codeItem(users, 'coder1', projectId, itemId, requiredValues(codebook, 'coded in the review test'));
  });

  it('editor: the review queue, accept one field, revise another with a rationale; the final dataset says reviewed', async () => {
    const page = await openAs('editor');
    await openPage(page, users.server.url, `/projects/${projectId}`);
    await page.getByRole('navigation', { name: /^Sections of/ }).getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { name: 'Review', level: 1 }).waitFor();
    const row = page.locator(`tr[data-item="${itemId}"]`);
    await expect(row.innerText()).resolves.toContain(users.accounts.coder1!.name);
    await row.getByRole('link', { name: 'A post for review' }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${projectId}/review/${itemId}`);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByRole('heading', { name: 'A post for review', level: 1 }).waitFor();

    // Accept the dimension as coded.
    const dimension = page.locator('li.review-field[data-field="dimension"]');
    await dimension.getByRole('button', { name: /^Accept/ }).click();
    await page.locator('li.review-field[data-field="dimension"][data-state="accepted"]').waitFor();

    // Revise the civic impact score (coded -3) to -2, with a rationale.
    const impact = page.locator('li.review-field[data-field="civic_impact"]');
    await expect(impact.getByTestId('coded').innerText()).resolves.toContain('Very harmful');
    await impact.getByRole('button', { name: /^Revise/ }).click();
    await impact.locator('#review-civic_impact-f-civic_impact-1').check();
    await impact.getByLabel(/Rationale/).fill('Harmful, not very harmful: the post repeats the official line without calls to act.');
    await impact.getByRole('button', { name: 'Record the revision' }).click();
    await page.locator('li.review-field[data-field="civic_impact"][data-state="revised"]').waitFor();
    await expect(impact.getByTestId('final').innerText()).resolves.toContain('Harmful');
    await expect(page.getByTestId('reviewed-count').innerText()).resolves.toMatch(/^2 of \d+ fields reviewed$/);

    const detail = await ok(project('editor').items[':itemId'].review.$get({ param: { projectId, itemId } }));
    const decided = Object.fromEntries(detail.fields.filter((f) => f.decision).map((f) => [f.field.key, [f.value, f.decision!.value, f.decision!.rationale]]));
    expect(decided).toEqual({
      dimension: [detail.fields.find((f) => f.field.key === 'dimension')!.value, detail.fields.find((f) => f.field.key === 'dimension')!.value, 'accepted as coded'],
      civic_impact: [-3, -2, 'Harmful, not very harmful: the post repeats the official line without calls to act.'],
    });
    const final = await ok(project('editor').export['final.json'].$get({ param: { projectId } }));
    const values = final.items.find((i) => i.id === itemId)!.values;
    expect(values.civic_impact).toEqual({ value: -2, provenance: 'reviewed' });
    expect(values.dimension!.provenance).toBe('reviewed');
    expect(values.narrative_frames!.provenance).toBe('single');
    // The coder's submission is as she left it.
    const mine = await ok(project('coder1').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
    expect(mine.find((c) => c.fieldKey === 'civic_impact')).toMatchObject({ value: -3, status: 'submitted' });
    expect(pageErrors).toEqual([]);
  });

  it('editor: samples half of a review round for double coding, with a seed and a preview; the second coder gets the previewed items', async () => {
    const items = ['one', 'two', 'three', 'four'].map((n) => ({ title: `Sampling post ${n}`, body: `A post to sample, number ${n}.` }));
    const ids = await addAssignedItems(users, 'editor', projectId, items, { roundName: 'sampling test', type: 'review', coders: ['coder1'] });
    const coder2 = users.accounts.coder2!;
    const page = await openAs('editor');
    await openPage(page, users.server.url, `/projects/${projectId}/assignments`);
    const form = page.getByRole('form', { name: 'Sample a review round for double coding' });
    const round = form.getByLabel('Review round');
    await round.selectOption({ label: 'sampling test (4 open items)' });
    await form.getByLabel('Share (% of open items)').fill('50');
    await form.getByLabel('Seed').fill('7');
    for (const box of await form.getByRole('checkbox').all()) await box.setChecked((await box.getAttribute('value')) === coder2.id);
    await form.getByRole('button', { name: 'Preview sample' }).click();
    const preview = form.getByTestId('sample-preview');
    await expect(preview.innerText()).resolves.toBe(`2 of 4 open items would get a second coder (seed 7): ${coder2.name} 2.`);

    const before = await ok(project('coder2').assignments.$get({ param: { projectId }, query: {} }));
    await form.getByRole('button', { name: 'Assign second coders' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Sampled' }).innerText()).resolves.toBe('Sampled "sampling test" with seed 7: 2 items now have a second coder.');
    const after = await ok(project('coder2').assignments.$get({ param: { projectId }, query: {} }));
    const added = after.filter((a) => !before.some((b) => b.itemId === a.itemId)).map((a) => a.itemId);
    expect(added).toHaveLength(2);
    for (const id of added) expect(ids).toContain(id);
    // Once the page has reloaded its data, the round lists its sample and two of its items are still open.
    await expect.poll(() => round.locator('option:checked').innerText(), { timeout: 10_000 }).toBe('sampling test (2 open items)');
    await expect(form.getByRole('list', { name: 'Samples drawn from this round' }).innerText()).resolves.toMatch(/: 2 items \(50%\), seed 7$/);
    expect(pageErrors).toEqual([]);
  });

  it("live: the editor's review queue shows a new submission, and the review page another reviewer's decision, without a reload", async () => {
    const [fresh] = await addAssignedItems(users, 'editor', projectId, [{ title: 'A post submitted while the editor watches', body: 'Submitted live.' }], {
      roundName: 'live review test',
      type: 'review',
      coders: ['coder1'],
    });
    const page = await openAs('editor');
    await openPage(page, users.server.url, `/projects/${projectId}/review`);
    await page.locator(`body[data-live-projects~="${projectId}"]`).waitFor();
    const row = page.locator(`tr[data-item="${fresh}"]`);
    await expect(row.count()).resolves.toBe(0);

    // coder1 submits (which reveals the item): the row appears.
    const codebook = await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} }));
    await codeItem(users, 'coder1', projectId, fresh!, requiredValues(codebook, 'submitted while the editor watches'));
    await row.getByRole('link', { name: 'A post submitted while the editor watches' }).waitFor({ timeout: LIVE_MS });

    // On its review page, the owner's decision made elsewhere (the API, as another browser would) shows.
    await row.getByRole('link', { name: 'A post submitted while the editor watches' }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${projectId}/review/${fresh}`);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.locator('li.review-field[data-field="dimension"][data-state="open"]').waitFor();
    await ok(project('owner').items[':itemId'].review[':fieldKey'].$put({ param: { projectId, itemId: fresh!, fieldKey: 'dimension' }, json: { action: 'accept' } }));
    await page.locator('li.review-field[data-field="dimension"][data-state="accepted"]').waitFor({ timeout: LIVE_MS });
    await expect(page.getByTestId('reviewed-count').innerText()).resolves.toMatch(/^1 of \d+ fields reviewed$/);
    expect(pageErrors).toEqual([]);
  });

  it('editor: sends a submission back to its coder from the review page, with a reason, and is back on the queue', async () => {
    const [sent] = await addAssignedItems(users, 'editor', projectId, [{ title: 'A post sent back', body: 'Coded in a hurry.' }], { roundName: 'send back test', type: 'review', coders: ['coder1'] });
    await codeItem(users, 'coder1', projectId, sent!, requiredValues(await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} })), 'coded in a hurry'));
    const page = await openAs('editor');
    await openPage(page, users.server.url, `/projects/${projectId}/review/${sent}`);
    await page.locator('body[data-hydrated="true"]').waitFor();
    const form = page.getByRole('form', { name: "Reopen a coder's submission" });
    await form.getByLabel(/Reason/).fill('The frames were left at their first option.');
    await form.getByRole('button', { name: 'Reopen the submission' }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${projectId}/review`);
    const [mine] = await ok(project('editor').assignments.$get({ param: { projectId }, query: { item: sent! } }));
    expect(mine).toMatchObject({ submittedAt: null, reopenedAt: expect.any(String) });
    await expect(page.locator(`tr[data-item="${sent}"]`).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
