/**
 * Incidents as records in Chromium against the demo study (issue 12, item 2): the incidents
 * list, an incident's page with the seed report's description, country, dates and tags, its
 * counts and its items on a timeline by day; an editor edits it and creates one (a bad date
 * order refused on the field first); the items table links to it; a coder sees her own counts
 * and no edit form.
 */
import { describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ok } from '../helpers/api.ts';
import { open } from '../helpers/sessions.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('incident pages in Chromium', () => {
  const s = browserSuite({ signIn: ['editor', 'coder1'] });

  it('shows an incident with its facts, counts and timeline, edits it, creates one, and is linked from the items table', async () => {
    const projectId = (await ok(s.client('editor').api.projects.$get()))[0]!.id;
    const { incidents } = await ok(s.project('editor').incidents.$get({ param: { projectId } }));
    const arrest = incidents.find((i) => i.name.startsWith('Dissident arrested'))!;
    expect(arrest).toMatchObject({ country: 'Kazakhstan', startDate: '2022-01-05', endDate: '2022-03-11' });
    expect(arrest.description).toContain('Zhanbolat Mamay');

    const page = await s.openAs('editor', { path: `/projects/${projectId}/incidents` });
    await page.getByRole('link', { name: arrest.name }).click();
    await page.getByRole('heading', { name: arrest.name, level: 1 }).waitFor();
    await expect(page.locator('[data-fact="country"]').textContent()).resolves.toBe('Kazakhstan');
    await expect(page.locator('[data-fact="dates"] time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')))).resolves.toEqual(['2022-01-05', '2022-03-11']);
    await page.getByText('Zhanbolat Mamay', { exact: false }).waitFor();
    await expect(page.locator('[data-fact="tags"] li').allTextContents()).resolves.toEqual(arrest.tags);
    await expect(page.locator('[data-count="items"]').textContent()).resolves.toBe(String(arrest.itemCount));

    // The timeline lists every item of the incident once, by day in order, with the day's count.
    const { rows } = await ok(s.project('editor')['item-rows'].$get({ param: { projectId }, query: { incident: arrest.id } }));
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const days = await timeline.locator('li[data-day]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-day')!));
    expect(days).toEqual([...days].sort());
    expect(days.length).toBeGreaterThan(0);
    await expect(timeline.locator('li[data-day] li a').count()).resolves.toBe(rows.filter((r) => r.publishedAt).length);
    const firstDay = rows.filter((r) => r.publishedAt?.startsWith(days[0]!));
    await expect(timeline.locator(`li[data-day="${days[0]}"] h3`).textContent()).resolves.toContain(`${firstDay.length} item`);

    // Edit: a tag added, saved, shown.
    await page.getByRole('button', { name: 'Edit incident' }).click();
    await page.getByLabel('Tags').fill([...arrest.tags, 'Qandy Qantar'].join(', '));
    await page.getByRole('button', { name: 'Save incident' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await expect(page.locator('[data-fact="tags"] li').allTextContents()).resolves.toEqual([...arrest.tags, 'Qandy Qantar']);
    const after = (await ok(s.project('editor').incidents.$get({ param: { projectId } }))).incidents.find((i) => i.id === arrest.id)!;
    expect(after).toMatchObject({ tags: [...arrest.tags, 'Qandy Qantar'], description: arrest.description, startDate: '2022-01-05' });

    // Create: an end before the start is refused on the field before sending.
    await open(page, s.server.url, `/projects/${projectId}/incidents`);
    await page.getByLabel('Name').fill('Journalist detained in Almaty');
    await page.getByLabel('Start date').fill('2023-05-10');
    await page.getByLabel('End date').fill('2023-05-01');
    await page.getByRole('button', { name: 'Create incident' }).click();
    await page.locator('#incident-endDate-error').waitFor();
    expect((await ok(s.project('editor').incidents.$get({ param: { projectId } }))).incidents).toHaveLength(incidents.length);
    await page.getByLabel('End date').fill('2023-05-12');
    await page.getByRole('button', { name: 'Create incident' }).click();
    await page.getByRole('heading', { name: 'Journalist detained in Almaty', level: 1 }).waitFor();
    await page.getByText('No items in this incident yet.').waitFor();

    // The items table, filtered by the incident, links to its page.
    await open(page, s.server.url, `/projects/${projectId}?incident=${arrest.id}`);
    await page.getByRole('link', { name: /^About the incident/ }).click();
    await page.getByRole('heading', { name: arrest.name, level: 1 }).waitFor();
    expect(s.pageErrors).toEqual([]);
  });

  it('shows a coder her own work on the incident and no edit form', async () => {
    const projectId = (await ok(s.client('coder1').api.projects.$get()))[0]!.id;
    const { incidents } = await ok(s.project('coder1').incidents.$get({ param: { projectId } }));
    const incident = incidents[0]!;
    const detail = await ok(s.project('coder1').incidents[':incidentId'].$get({ param: { projectId, incidentId: incident.id } }));
    expect(detail.progress.scope).toBe('mine');
    const page = await s.openAs('coder1', { path: `/projects/${projectId}/incidents/${incident.id}` });
    await page.getByRole('heading', { name: 'Your work on this incident' }).waitFor();
    await expect(page.locator('[data-count="items"]').textContent()).resolves.toBe(String(detail.progress.items));
    await expect(page.getByRole('button', { name: 'Edit incident' }).count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { name: 'New incident' }).count()).resolves.toBe(0);
    expect(s.pageErrors).toEqual([]);
  });
});
