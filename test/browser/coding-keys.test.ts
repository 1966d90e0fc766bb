/**
 * The coding form from the keyboard, in Chromium, on the demo study (issue 13, item 9): two
 * digits reach the frames past the ninth, the civic impact scale takes its own values (`-` `3`
 * is -3), Tab leaves the frames with one press and arrows move inside, and Ctrl+Z or the Undo
 * button take back the coder's last change, in her form and in a joint session (never the other
 * coder's change there).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.ts';
import { findChromium, launchChromium } from '../helpers/chromium.ts';
import { demoScene, openJointSession, scaleIndex, type CodingScene } from '../helpers/coding-checks.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { browserSessions, open } from '../helpers/sessions.ts';
import { choicesOf } from '../../apps/web/src/lib/coding-form.ts';

const chromiumPath = findChromium();
/** The demo coder who still has blind items to code (coder1 has submitted all of hers). */
const CODER = 'coder2';

/** The codebook field the focused element belongs to, and the element's id. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { field: el?.closest<HTMLElement>('[data-field]')?.dataset.field ?? null, id: el?.id ?? '' };
  });

describe.skipIf(!chromiumPath)('coding keys in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let scene: CodingScene;
  const users = browserSessions(() => ({ url: server.url, browser }));
  const { pageErrors, project } = users;

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await launchChromium(chromiumPath!);
    for (const who of ['coder1', 'coder2', 'coder3', 'editor']) await users.signIn(who);
    scene = await demoScene(users, () => server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** The coder's stored value of a field on an item, as the server has it. */
  const stored = async (itemId: string, fieldKey: string) => {
    const rows = await ok(project(CODER).items[':itemId'].codings.me.$get({ param: { projectId: scene.projectId, itemId } }));
    return rows.find((r) => r.fieldKey === fieldKey)?.value;
  };

  /** An independent item the coder codes and has not submitted, opened in her browser. */
  async function openItemToCode(): Promise<{ page: Page; itemId: string }> {
    const { projectId } = scene;
    const { items } = await ok(project(CODER).items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    let itemId = '';
    for (const item of items) {
      const [mine] = await ok(project(CODER).assignments.$get({ param: { projectId }, query: { item: item.id } }));
      if (mine && mine.submittedAt === null) {
        itemId = item.id;
        break;
      }
    }
    expect(itemId, 'the demo leaves the coder an item to code').not.toBe('');
    const page = await users.openAs(CODER, { path: `/projects/${projectId}/items/${itemId}` });
    await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    return { page, itemId };
  }

  /** The demo's frames field (more than nine options: parents and their narratives). */
  function framesField() {
    const field = scene.codebook.fields.find((f) => f.key === 'narrative_frames')!;
    if (field.type !== 'multiple_choice') throw new Error('the demo frames are multiple choice');
    return field;
  }

  it('digits: two reach the 12th frame, one waits then picks, and the scale takes - 3, 3 and 0', async () => {
    const { page, itemId } = await openItemToCode();
    const count = framesField().options.length;
    expect(count).toBeGreaterThan(11);
    const frames = page.locator('[data-field="narrative_frames"]');
    await expect(frames.locator('.keys-hint').innerText()).resolves.toBe(`Keys: type an option's number, 1 to ${count} (two digits from 10).`);
    const twelfth = page.locator('#f-narrative_frames-11');
    const wasTicked = await twelfth.isChecked();

    await page.locator('#f-narrative_frames-0').focus();
    await page.keyboard.press('1');
    await page.keyboard.press('2');
    await expect.poll(() => twelfth.isChecked()).toBe(!wasTicked);
    await expect(focused(page)).resolves.toEqual({ field: 'narrative_frames', id: 'f-narrative_frames-11' });
    // The form shows parents before their children: the 12th box is the 12th of its choices, not of the options.
    const twelfthCode = String(choicesOf(framesField())[11]!.value);
    await expect
      .poll(async () => ((await stored(itemId, 'narrative_frames')) as string[] | undefined)?.includes(twelfthCode) ?? false, { timeout: 10_000 })
      .toBe(!wasTicked);

    // A lone 1 could become 10 and more: the field says so (a status line), and after the pause it picks the first frame.
    const first = page.locator('#f-narrative_frames-0');
    const firstWas = await first.isChecked();
    await page.keyboard.press('1');
    await expect(frames.locator('[data-key-note][role="status"]').innerText()).resolves.toBe(`Typed 1: type on for 10 to ${Math.min(count, 19)}, or wait for 1.`);
    await expect.poll(() => first.isChecked()).toBe(!firstWas);
    await expect.poll(() => frames.locator('[data-key-note]').innerText()).toBe('');

    // The scale: its keys follow its labels.
    const impact = (value: number) => page.locator(`#f-civic_impact-${scaleIndex(scene, 'civic_impact', value)}`);
    await impact(0).focus();
    await page.keyboard.press('-');
    await page.keyboard.press('3');
    await expect.poll(() => impact(-3).isChecked()).toBe(true);
    await page.keyboard.press('3');
    await expect.poll(() => impact(3).isChecked()).toBe(true);
    await page.keyboard.press('0');
    await expect.poll(() => impact(0).isChecked()).toBe(true);
    await expect.poll(() => stored(itemId, 'civic_impact'), { timeout: 10_000 }).toBe(0);

    // Undo: Ctrl+Z outside text inputs, then the button; each takes back one change.
    await page.keyboard.press('Control+z');
    await expect.poll(() => impact(3).isChecked()).toBe(true);
    await expect(page.locator('[data-undo-note]').innerText()).resolves.toBe('Undone: your last change of Civic impact score.');
    await page.locator('button[data-undo]').click();
    await expect.poll(() => impact(-3).isChecked()).toBe(true);
    await expect.poll(() => stored(itemId, 'civic_impact'), { timeout: 10_000 }).toBe(-3);
    // In a text area Ctrl+Z is the text's own undo: the form's values stay.
    await page.locator('#f-subtext').focus();
    await page.keyboard.press('Control+z');
    await expect(impact(-3).isChecked()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('Tab leaves the frames (more than nine) with one press; arrows move inside, Space ticks, Shift+Tab comes back to the same box', async () => {
    const { page } = await openItemToCode();
    const last = `f-narrative_frames-${framesField().options.length - 1}`;
    await page.locator('#f-narrative_frames-0').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(focused(page)).resolves.toEqual({ field: 'narrative_frames', id: 'f-narrative_frames-2' });
    const third = page.locator('#f-narrative_frames-2');
    const thirdWas = await third.isChecked();
    await page.keyboard.press(' ');
    await expect.poll(() => third.isChecked()).toBe(!thirdWas);
    await page.keyboard.press('End');
    await expect(focused(page)).resolves.toEqual({ field: 'narrative_frames', id: last });
    await page.keyboard.press('ArrowDown'); // wraps
    await expect(focused(page)).resolves.toEqual({ field: 'narrative_frames', id: 'f-narrative_frames-0' });
    await page.keyboard.press('ArrowUp');

    // Only the box last focused is in the tab order; one Tab leaves the group (for its Clear button, or the next field).
    await expect(page.locator('[data-field="narrative_frames"] input[tabindex="0"]').count()).resolves.toBe(1);
    await page.keyboard.press('Tab');
    const after = await focused(page);
    expect(after.id).not.toMatch(/^f-narrative_frames-/);
    expect(after.field === 'civic_impact' || (await page.evaluate(() => document.activeElement?.textContent?.trim().startsWith('Clear')))).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await expect(focused(page)).resolves.toEqual({ field: 'narrative_frames', id: last });
    expect(pageErrors).toEqual([]);
  });

  it("joint session: a coder's Undo takes back her own change of the joint values and leaves the other coder's", async () => {
    const { projectId } = scene;
    const itemId = await openJointSession(scene);
    const path = `/projects/${projectId}/items/${itemId}`;
    const [two, three] = [await users.openAs('coder2'), await users.openAs('coder3')];
    await Promise.all([open(two, server.url, path), open(three, server.url, path)]);
    const joint = (page: Page, id: string) => page.locator(`#joint-${id}`);
    const beneficial = `f-civic_impact-${scaleIndex(scene, 'civic_impact', 2)}`;
    await joint(two, beneficial).waitFor();
    await joint(three, 'f-element-0').waitFor();

    await joint(two, beneficial).click();
    await expect.poll(() => joint(three, beneficial).isChecked(), { timeout: 10_000 }).toBe(true);
    await joint(three, 'f-element-0').click();
    await expect.poll(() => joint(two, 'f-element-0').isChecked(), { timeout: 10_000 }).toBe(true);

    // coder2's Ctrl+Z in the joint panel undoes her pick there, not coder3's, and not her own form.
    await joint(two, beneficial).focus();
    await two.keyboard.press('Control+z');
    await expect.poll(() => joint(three, beneficial).isChecked(), { timeout: 10_000 }).toBe(false);
    await expect(joint(two, beneficial).isChecked()).resolves.toBe(false);
    await expect(joint(two, 'f-element-0').isChecked()).resolves.toBe(true);
    await expect(joint(three, 'f-element-0').isChecked()).resolves.toBe(true);
    // Nothing of coder2's left to undo in the layer.
    await expect(two.locator('button[data-joint-undo]').isDisabled()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
