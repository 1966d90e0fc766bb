/**
 * Joint sessions (issue 13, item 4) in Chromium on the demo study: two coders who submitted
 * blind and an editor open the item in a joint session; a value one coder sets in the joint
 * layer appears on the other's page and the editor's, with who is on which field; the editor
 * records it as the decision and both coders see it live; their own submissions are unchanged.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodingValue, FieldDefinition } from '@concord/shared';
import { findChromium, launchChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { browserSessions, open as openPage } from '../helpers/sessions.ts';
import { ok } from '../helpers/api.ts';

const chromiumPath = findChromium();

/** The first choice of each required field (the civic impact score: -3). */
function firstValue(field: FieldDefinition): CodingValue {
  switch (field.type) {
    case 'single_choice':
      return field.options[0]!.value;
    case 'multiple_choice':
      return [field.options[0]!.value];
    case 'ordinal':
      return field.scale[0]!.value;
    case 'number':
      return field.min ?? 0;
    case 'text':
      return 'coded in the joint session test';
    case 'link':
      return [];
  }
}

describe.skipIf(!chromiumPath)('a joint session in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  let itemId: string;
  const users = browserSessions(() => ({ url: server.url, browser }));
  const { pageErrors, client, project, signIn, openAs } = users;

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await launchChromium(chromiumPath!);
    for (const who of ['coder1', 'coder2', 'editor']) await signIn(who);
    projectId = (await ok(client('editor').api.projects.$get()))[0]!.id;
    const param = { projectId };
    itemId = (await ok(project('editor').items.$post({ param, json: { title: 'A post for the joint session', platform: 'news', body: 'A post the coders read differently.' } }))).id;
    const coderIds = [users.accounts.coder1!.id, users.accounts.coder2!.id];
    await ok(project('editor').assignments.$post({ param, json: { roundName: 'joint test', type: 'production', coderIds, itemIds: [itemId], mode: { type: 'k', k: 2 }, seed: 1 } }));
    const codebook = await ok(project('coder1').codebook.$get({ param, query: {} }));
    const values = Object.fromEntries(codebook.fields.filter((f) => f.required).map((f) => [f.key, firstValue(f)]));
    for (const who of ['coder1', 'coder2']) {
      await ok(project(who).items[':itemId'].codings.me.$put({ param: { projectId, itemId }, json: { values } }));
      await ok(project(who).items[':itemId'].codings.me.submit.$post({ param: { projectId, itemId }, query: {} }));
    }
    await ok(project('editor').items[':itemId'].phase.$post({ param: { projectId, itemId }, json: { phase: 'joint' } }));
  }, 180_000);

  afterAll(async () => {
    await users.closeContexts();
    await browser?.close();
    await server?.dispose();
  });

  async function onItem(who: string): Promise<Page> {
    const page = await openAs(who);
    await openPage(page, server.url, `/projects/${projectId}/items/${itemId}`);
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
});
