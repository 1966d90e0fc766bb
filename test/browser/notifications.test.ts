/**
 * Live project events in Chromium against the real server with the demo study: the project
 * page shows who has which item open (presence over socket.io), and a coder's page shows a
 * toast when an editor reveals an item she codes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ok } from '../helpers/api.ts';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('project notifications in Chromium', () => {
  let projectId: string;

  const users = browserSuite({ signIn: ['coder1', 'editor'] });
  const { accounts, pageErrors, client, project } = users;
  const openAs = (who: string, path: string) => users.openAs(who, { path });

  beforeAll(async () => {
    projectId = (await ok(client('coder1').api.projects.$get()))[0]!.id;
  }, 180_000);

  it('shows who is on an item, and a toast when an editor reveals an item the coder codes', async () => {
    const param = { projectId };
    const mine = new Set((await ok(project('coder1').assignments.$get({ param, query: {} }))).map((a) => a.itemId));
    const { items } = await ok(project('coder1').items.$get({ param, query: { phase: 'independent', limit: '100' } }));
    const item = items.find((i) => mine.has(i.id));
    expect(item, 'the demo study has an independent item coded by coder1').toBeDefined();

    const coderPage = await openAs('coder1', `/projects/${projectId}?phase=independent`);
    // The editor opens the item: coder1's project page shows it next to the item's row.
    await openAs('editor', `/projects/${projectId}/items/${item!.id}`);
    const row = coderPage.locator('tr', { has: coderPage.locator(`a[href$="/items/${item!.id}"]`) });
    await row.getByTestId('presence').getByText(`Open now by ${accounts.editor!.name}`).waitFor();

    await ok(project('editor').items[':itemId'].phase.$post({ param: { projectId, itemId: item!.id }, json: { phase: 'revealed' } }));
    const toast = coderPage.getByTestId('notifications').getByText(`Revealed: “${item!.title}”`, { exact: false });
    await toast.waitFor();
    await expect(coderPage.getByTestId('notifications').getAttribute('aria-live')).resolves.toBe('polite');

    // A mention gets its own toast, which leads to the field's thread.
    const fieldKey = 'civic_impact';
    await ok(
      project('editor').items[':itemId'].comments.$post({
        param: { projectId, itemId: item!.id },
        json: { body: 'Could @coder1 say why this is harmful?', fieldKey },
      }),
    );
    const mention = coderPage.getByTestId('notifications').getByRole('link', { name: `${accounts.editor!.name} mentioned you on “${item!.title}”.` });
    await mention.waitFor();
    await expect(mention.getAttribute('href')).resolves.toBe(`/projects/${projectId}/disagreements/${item!.id}/${fieldKey}`);
    expect(pageErrors).toEqual([]);
  });
});
