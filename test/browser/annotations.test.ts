/**
 * Span tagging in the coding view, in Chromium against the real server with the demo study.
 * Blind phase: coder2 double-clicks a word, picks a frame in the menu beside it, sees the
 * highlight and the tag in the list, and the frame is coded; a second span is tagged from the
 * keyboard (t, filter, Enter). coder3, on the same item, sees none of it, also after reload,
 * and never opens coder2's document. Joint session: coder3 then sees coder2's blind tags,
 * a new tag of coder2's appears on coder3's page live, the editor sees it too, only its
 * author may remove it, and the removal reaches coder3 live.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@concord/server/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { ok } from '../helpers/api.ts';
import { signInDemo, type Account } from '../helpers/sessions.ts';
import { LIVE_MS } from '../helpers/coding-checks.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

const chromiumPath = findChromium();

interface Word {
  text: string;
  from: number;
  to: number;
}

describe.skipIf(!chromiumPath)('span tagging in the coding view', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  let itemId = '';
  let body = '';
  const accounts: Record<string, Account> = {};
  const pageErrors: string[] = [];
  const pages: Record<string, { page: Page; sockets: string[] }> = {};

  const client = (who: string) => createApiClient(server.url, { headers: { cookie: accounts[who]!.cookie } });
  const project = (who: string) => client(who).api.projects[':projectId'];

  /** A context signed in as `who` on the item's coding view; its page records its WebSockets. */
  async function openItem(who: string, options: { withoutHighlightApi?: boolean; dark?: boolean } = {}): Promise<{ page: Page; sockets: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: options.dark ? 'dark' : 'light' });
    // A browser without the CSS Custom Highlight API (the page then draws <mark>s).
    if (options.withoutHighlightApi) await context.addInitScript(() => delete (window as { Highlight?: unknown }).Highlight);
    const [name, value] = accounts[who]!.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${who}: ${err.message}`));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(decodeURIComponent(ws.url())));
    await page.goto(new URL(`/projects/${projectId}/items/${itemId}`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    pages[who] = { page, sockets };
    return pages[who];
  }

  /** The body's words of 5+ letters with their offsets: the spans this test tags. */
  const words = () => [...body.matchAll(/\b[A-Za-z]{5,}\b/g)].map((m) => ({ text: m[0], from: m.index, to: m.index + m[0].length }));

  /** Selects body[from, to) as a person would with the keyboard (ItemView renders one text node per paragraph). */
  const selectSpan = (page: Page, span: { from: number; to: number }) =>
    page.evaluate(({ from, to }) => {
      const point = (offset: number) => {
        for (const p of document.querySelectorAll<HTMLElement>('article .body p[data-start]')) {
          const start = Number(p.dataset.start);
          const node = p.firstChild as Text;
          if (offset >= start && offset <= start + node.length) return { node, offset: offset - start };
        }
        throw new Error(`offset ${offset} is not rendered`);
      };
      const a = point(from);
      const b = point(to);
      const range = document.createRange();
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    }, span);

  /** The texts of every range in the page's span highlights (CSS Custom Highlight API). */
  const highlighted = (page: Page) =>
    page.evaluate(() => {
      const out: string[] = [];
      CSS.highlights.forEach((highlight, name) => {
        if (!name.startsWith('concord-tone-')) return;
        for (const range of highlight) out.push(range.toString());
      });
      return out.sort();
    });

  const tags = (page: Page) => page.getByRole('list', { name: 'Tagged spans' }).locator('li[data-annotation]');
  const tagQuoted = (page: Page, quote: string) => tags(page).filter({ hasText: `“${quote}”` });

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    for (const who of ['coder2', 'coder3', 'editor']) accounts[who] = await signInDemo(server.url, who);
    projectId = (await ok(client('coder2').api.projects.$get()))[0]!.id;
    // A blind item that coder2 and coder3 both code and neither has submitted.
    const { items } = await ok(project('editor').items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    for (const item of items) {
      const assignments = await ok(project('editor').assignments.$get({ param: { projectId }, query: { item: item.id } }));
      const open = (who: string) => assignments.some((a) => a.coderId === accounts[who]!.id && a.submittedAt === null);
      if (open('coder2') && open('coder3') && item.body.length > 40) {
        itemId = item.id;
        body = item.body;
        break;
      }
    }
    expect(itemId).not.toBe('');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('blind phase: coder2 tags spans by mouse and keyboard, sees them highlighted and coded; coder3 sees nothing, also after reload', async () => {
    // The first word is double-clicked, the fourth selected from the keyboard.
    const [first, , , later] = words() as [Word, Word, Word, Word];
    const { page } = await openItem('coder2');
    await page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    await page.getByText('Blind coding: your tags are yours alone until the item is revealed').waitFor();

    // Mouse: double-click a word; the menu opens beside it.
    const box = await page.evaluate((span) => {
      const p = document.querySelector<HTMLElement>('article .body p[data-start="0"]')!;
      const range = document.createRange();
      range.setStart(p.firstChild!, span.from);
      range.setEnd(p.firstChild!, span.to);
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, first);
    await page.mouse.dblclick(box.x, box.y);
    const menu = page.getByRole('dialog', { name: 'Tag the selected text with a frame' });
    await menu.getByText(`Tag “${first.text}” with:`).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}annotations-menu.png` });
    await menu.getByRole('button', { name: 'Protesters are terrorists and bandits' }).click();
    await expect(menu.count()).resolves.toBe(0);
    const tag = tagQuoted(page, first.text);
    await tag.waitFor();
    await expect(tag.innerText()).resolves.toContain('National security trumps human rights › Protesters are terrorists and bandits');
    await expect(tag.innerText()).resolves.toContain('by you · private until reveal');
    await expect.poll(() => highlighted(page)).toEqual([first.text]);

    // Keyboard: select, press t, filter, Enter.
    await selectSpan(page, later);
    await page.keyboard.press('t');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Filter frames…');
    await page.keyboard.type('foreign coup');
    await page.keyboard.press('Enter');
    await tagQuoted(page, later.text).locator('.frame-name', { hasText: 'Unrest is a foreign-organised coup' }).waitFor();
    await expect.poll(() => highlighted(page)).toEqual([first.text, later.text].sort());

    // A tag codes its frame: both frames are checked in the form and stored on the server.
    await expect
      .poll(async () => {
        const rows = await ok(project('coder2').items[':itemId'].codings.me.$get({ param: { projectId, itemId } }));
        return rows.find((r) => r.fieldKey === 'narrative_frames')?.value;
      }, { timeout: 10_000, interval: 100 })
      .toEqual(expect.arrayContaining(['protesters_terrorists', 'foreign_plot']));
    await page.locator('[data-field="narrative_frames"] input:checked').nth(1).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}annotations-blind.png`, fullPage: true });

    // coder3 on the same item: none of it, not even a connection to coder2's document.
    const three = await openItem('coder3');
    for (const round of ['first visit', 'after reload']) {
      if (round === 'after reload') {
        three.sockets.length = 0;
        await three.page.reload();
        await three.page.locator('body[data-hydrated="true"]').waitFor();
      }
      await three.page.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
      await three.page.getByText('No spans tagged yet.').waitFor();
      await expect(three.page.locator('li[data-annotation]').count(), round).resolves.toBe(0);
      await expect(highlighted(three.page), round).resolves.toEqual([]);
      expect(three.sockets.filter((url) => url.includes(accounts.coder2!.id)), round).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
  });

  it('joint session: coder3 sees coder2\'s blind tags, a new tag arrives live, the editor sees it, only its author removes it', async () => {
    const [first, second, , later] = words() as [Word, Word, Word, Word];
    const two = pages.coder2!.page;
    const three = pages.coder3!.page;
    const res = await fetch(new URL(`/api/projects/${projectId}/items/${itemId}/phase`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: accounts.editor!.cookie },
      body: JSON.stringify({ phase: 'joint' }),
    });
    expect(res.status).toBe(200);
    // Both pages follow the phase change (socket.io; the pages also look when they become visible).
    for (const page of [two, three]) {
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await page.getByText('Phase: joint').waitFor();
    }
    // The blind tags are coder2's own document, which everyone in the session may read now.
    await tagQuoted(three, first.text).getByText(`by ${accounts.coder2!.name} · tagged while coding blind`).waitFor();
    await tagQuoted(three, later.text).waitFor();
    await expect.poll(() => highlighted(three)).toEqual([first.text, later.text].sort());

    // coder2 tags a third span: it goes to the shared item document, live.
    await two.locator('.sync[role="status"]').getByText('Saved', { exact: true }).waitFor();
    await selectSpan(two, second);
    await two.getByRole('button', { name: 'Tag selected text' }).click();
    const menu = two.getByRole('dialog', { name: 'Tag the selected text with a frame' });
    await menu.getByRole('button', { name: 'Paid trolls ("Nurbots") flood social media' }).click();
    await tagQuoted(three, second.text).locator('.frame-name', { hasText: 'Paid trolls' }).waitFor({ timeout: LIVE_MS });
    await expect.poll(() => highlighted(three)).toHaveLength(3);
    await three.screenshot({ path: `${ARTIFACTS}annotations-joint-coder3.png`, fullPage: true });

    // The editor, arriving later, gets every tag from the server.
    const editor = await openItem('editor', { dark: true });
    await expect.poll(() => editor.page.locator('li[data-annotation]').count(), { timeout: 10_000 }).toBe(3);
    await editor.page.screenshot({ path: `${ARTIFACTS}annotations-joint-editor-dark.png` });

    // Only its author may remove a tag; the removal reaches the others live.
    const joint = tagQuoted(three, second.text);
    await expect(joint.getByRole('button', { name: /Remove/ }).count()).resolves.toBe(0);
    await tagQuoted(two, second.text).getByRole('button', { name: /Remove/ }).click();
    await joint.waitFor({ state: 'detached', timeout: LIVE_MS });
    await expect.poll(() => editor.page.locator('li[data-annotation]').count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  it('without the CSS Custom Highlight API: tags are <mark>s, and a selection across them maps to the right text', async () => {
    const [first, , , later] = words() as [Word, Word, Word, Word];
    const { page } = await openItem('coder3', { withoutHighlightApi: true });
    await page.getByText('Phase: joint').waitFor();
    const marks = page.locator('article .body mark');
    // A fresh page: its item document has synced once both tags are listed; the marks follow.
    await tags(page).nth(1).waitFor();
    await expect.poll(() => marks.allInnerTexts(), { timeout: 10_000 }).toEqual([first.text, later.text]);
    await expect(page.locator('article .body').innerText()).resolves.toBe(body.trim());

    // From the start of the first tagged word to the end of the later one: across both marks.
    await page.evaluate(() => {
      const marks = document.querySelectorAll('article .body mark');
      const range = document.createRange();
      range.setStart(marks[0]!.firstChild!, 0);
      range.setEnd(marks[1]!.firstChild!, marks[1]!.textContent!.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    });
    await page.keyboard.press('t');
    // As a person would: type once the menu's filter has the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Filter frames…');
    await page.keyboard.type('shutdowns');
    await page.keyboard.press('Enter');
    const quote = body.slice(first.from, later.to).replace(/\s+/g, ' ');
    await tagQuoted(page, quote).locator('.frame-name', { hasText: 'Internet shutdowns keep order' }).waitFor();
    // The others get exactly that span.
    const editor = pages.editor!.page;
    await tagQuoted(editor, quote).waitFor({ timeout: LIVE_MS });
    await expect(highlighted(editor)).resolves.toContain(body.slice(first.from, later.to));
    expect(pageErrors).toEqual([]);
  });
});
