/**
 * Joint sessions (issue 13, item 4) in Chromium on the demo study: two coders who submitted
 * blind and an editor open the item in a joint session; a value one coder sets in the joint
 * layer appears on the other's page and the editor's, with who is on which field; the editor
 * records it as the decision and both coders see it live; their own submissions are unchanged.
 * The editor opens a session from the item page itself; on a reliability round's item whose
 * coders have not all submitted she must first confirm that the later codings leave reliability.
 * From the same page she reopens a coder's submission made by mistake, with a reason, and the
 * coder's open page follows.
 * When the editor ends the session (a production round), the item page shows the revised values.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { addAssignedItems, codeItem, requiredValues } from '../helpers/coding-api.ts';
import { LIVE_MS } from '../helpers/coding-checks.ts';
import { open as openPage } from '../helpers/sessions.ts';
import { ok } from '../helpers/api.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('a joint session in Chromium', () => {
  let projectId: string;
  let itemId: string;
  const users = browserSuite({ signIn: ['coder1', 'coder2', 'editor'] });
  const { pageErrors, project, openAs } = users;

  beforeAll(async () => {
    projectId = await users.firstProjectId('editor');
    const item = { title: 'A post for the joint session', body: 'A post the coders read differently.' };
    itemId = (await addAssignedItems(users, 'editor', projectId, [item], { roundName: 'joint test', type: 'production', coders: ['coder1', 'coder2'] }))[0]!;
    const codebook = await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} }));
    const values = requiredValues(codebook, 'coded in the joint session test');
    for (const who of ['coder1', 'coder2']) await codeItem(users, who, projectId, itemId, values);
    await ok(project('editor').items[':itemId'].phase.$post({ param: { projectId, itemId }, json: { phase: 'joint' } }));
  });

  async function onItem(who: string): Promise<Page> {
    const page = await openAs(who);
    await openPage(page, users.server.url, `/projects/${projectId}/items/${itemId}`);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByRole('heading', { name: 'Joint session', level: 2 }).waitFor();
    return page;
  }
  const impactOf = (page: Page) => page.locator('[data-joint-field="civic_impact"]');

  it('two coders and an editor change values together, see who is where, and see the decision live; submissions stay as they were', async () => {
    const [one, two, editor] = [await onItem('coder1'), await onItem('coder2'), await onItem('editor')];

    // coder1 moves the joint civic impact score to 0 (Neutral, the fourth point).
    await impactOf(one).locator('#joint-f-civic_impact-3').check();
    for (const page of [two, editor]) await impactOf(page).locator('#joint-f-civic_impact-3:checked').waitFor();
    // Presence per field: the others see coder1 on that field.
    await impactOf(two).getByText(`${users.accounts.coder1!.name} on this field`).waitFor({ state: 'attached' });

    // The editor records it as the decision; both coders see it without reloading.
    await editor.getByLabel('Rationale for decisions').fill('Neutral: the post reports, it does not campaign.');
    await impactOf(editor).getByRole('button', { name: /Record as decision/ }).click();
    for (const page of [one, two, editor]) {
      await impactOf(page).getByTestId('joint-decision').filter({ hasText: 'Neutral: the post reports, it does not campaign.' }).waitFor();
    }
    const decisions = await ok(project('coder2').items[':itemId'].adjudications.$get({ param: { projectId, itemId } }));
    expect(decisions.map((d) => [d.fieldKey, d.value])).toEqual([['civic_impact', 0]]);

    // Their blind submissions are as they were: submitted, -3.
    for (const who of ['coder1', 'coder2']) {
      const mine = await ok(project(who).items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
      expect(mine.find((c) => c.fieldKey === 'civic_impact')).toMatchObject({ value: -3, status: 'submitted' });
    }
    expect(pageErrors).toEqual([]);
  });

  it('ending the session of a production round: the item page shows the values it agreed on as revised', async () => {
    await ok(project('editor').items[':itemId'].phase.$post({ param: { projectId, itemId }, json: { phase: 'revealed' } }));
    const page = await openAs('coder2');
    await openPage(page, users.server.url, `/projects/${projectId}/items/${itemId}`);
    const revised = page.locator('[data-revised]');
    await revised.getByRole('heading', { name: 'Revised in joint session' }).waitFor();
    await revised.locator('[data-field="civic_impact"]').filter({ hasText: 'Neutral' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("editor: opens a joint session from the item page; a reliability item with a coder still pending asks her to confirm first", async () => {
    const item = { title: 'A reliability post opened early', body: 'One coder has not submitted yet.' };
    const [early] = await addAssignedItems(users, 'editor', projectId, [item], { roundName: 'early joint test', type: 'reliability', coders: ['coder1', 'coder2'] });
    const values = requiredValues(await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} })), 'coded before the session');
    await codeItem(users, 'coder1', projectId, early!, values);
    const param = { projectId, itemId: early! };
    const phase = async () => (await ok(project('editor').items[':itemId'].$get({ param }))).phase;

    const page = await openAs('editor');
    await openPage(page, users.server.url, `/projects/${projectId}/items/${early}`);
    await page.locator('body[data-hydrated="true"]').waitFor();
    const open = page.getByRole('button', { name: 'Open a joint session' });
    await open.click();
    const confirm = page.locator('[data-confirm-exclude]');
    await confirm.getByText(`not submitted yet: ${users.accounts.coder2!.name}`, { exact: false }).waitFor();
    // Cancelled: nothing changed.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await phase()).toBe('independent');

    await open.click();
    await confirm.getByRole('button', { name: 'Open it and leave their later codings out' }).click();
    await page.getByRole('heading', { name: 'Joint session', level: 2 }).waitFor();
    expect(await phase()).toBe('joint');
    const assignments = await ok(project('editor').assignments.$get({ param: { projectId }, query: { item: early! } }));
    expect(Object.fromEntries(assignments.map((a) => [a.coderId, a.blind]))).toEqual({ [users.accounts.coder1!.id]: true, [users.accounts.coder2!.id]: false });

    // The session ends from the same place: the item is revealed.
    await page.getByRole('button', { name: 'End the joint session' }).click();
    await page.getByText('Phase: revealed').waitFor();
    expect(await phase()).toBe('revealed');
    expect(pageErrors).toEqual([]);
  });

  it("editor: reopens coder1's submission from the item page with a reason; she can code it again, still blind", async () => {
    const item = { title: 'A post submitted by mistake', body: 'Submitted too early.' };
    const [mistake] = await addAssignedItems(users, 'editor', projectId, [item], { roundName: 'reopen test', type: 'reliability', coders: ['coder1', 'coder2'] });
    const values = requiredValues(await ok(project('coder1').codebook.$get({ param: { projectId }, query: {} })), 'submitted by mistake');
    await codeItem(users, 'coder1', projectId, mistake!, values);

    // coder1 has the item open, submitted.
    const coder = await openAs('coder1');
    await openPage(coder, users.server.url, `/projects/${projectId}/items/${mistake}`);
    const final = coder.getByText('Your codings of this item are submitted and final.');
    await final.waitFor();
    await coder.locator(`body[data-live-projects~="${projectId}"]`).waitFor();

    const page = await openAs('editor');
    await openPage(page, users.server.url, `/projects/${projectId}/items/${mistake}`);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByText('Reopen a submission').click();
    const form = page.getByRole('form', { name: "Reopen a coder's submission" });
    await expect(form.getByLabel('Coder').locator('option').allInnerTexts()).resolves.toEqual([users.accounts.coder1!.name]);
    // Without a reason nothing is sent.
    await form.getByRole('button', { name: 'Reopen the submission' }).click();
    const mine = async () => (await ok(project('editor').assignments.$get({ param: { projectId }, query: { item: mistake! } }))).find((a) => a.coderId === users.accounts.coder1!.id)!;
    expect((await mine()).submittedAt).not.toBeNull();
    await form.getByLabel(/Reason/).fill('Submitted before reading the caption.');
    await form.getByRole('button', { name: 'Reopen the submission' }).click();
    await page.getByRole('status').filter({ hasText: `Reopened ${users.accounts.coder1!.name}'s submission` }).getByText('Her codings are still blind.', { exact: false }).waitFor();
    expect(await mine()).toMatchObject({ submittedAt: null, blind: true, reopenedAt: expect.any(String) });

    // coder1's open page follows without a reload: her form is editable again and she submits.
    await final.waitFor({ state: 'detached', timeout: LIVE_MS });
    await coder.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    await coder.keyboard.press('Control+Enter');
    await coder.getByText('Your codings of this item are submitted and final.').waitFor();
    expect((await mine()).submittedAt).not.toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
