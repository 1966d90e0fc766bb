/**
 * Switching to the next item in the coding view: the real server on the demo study (its own
 * temporary PGlite), Debian's Chromium via playwright-core, signed in as a coder. Pressing
 * `j` marks `next-item-start` (a capturing keydown listener installed before the app's);
 * `next-item-ready` is marked once the next item's title and coding form are in the DOM and
 * that frame has been painted (requestAnimationFrame, then a task). performance.measure
 * gives the time; p50/p95 over the switches after one warm-up. Before each press the page
 * is left until no HTTP request ran for 500 ms (Playwright's networkidle), as a coder reads
 * and codes first. Prints ONE JSON line.
 *
 *   pnpm exec tsx bench/web-next-item.ts [--switches 20] [--who coder1] [--url http://127.0.0.1:PORT]
 */
import { parseArgs } from 'node:util';
import { findChromium, launchChromium } from '../test/helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD } from '../test/helpers/server.ts';

const { values: flags } = parseArgs({ options: { debug: { type: 'boolean', default: false }, url: { type: 'string' }, switches: { type: 'string', default: '20' }, who: { type: 'string', default: 'coder1' } } });
const SWITCHES = Number(flags.switches);
const GOAL_MS = 100;

/**
 * Installed in the page before any app script: the keydown mark and the "ready" detector.
 * A string, not a function: tsx (esbuild keepNames) would wrap inner functions in a `__name`
 * helper that does not exist in the page.
 */
const HARNESS = `
window.__switches = [];
addEventListener('keydown', (event) => {
  if (event.key !== 'j') return;
  const before = document.querySelector('h1')?.textContent ?? '';
  performance.clearMarks();
  performance.mark('next-item-start');
  const observer = new MutationObserver(() => {
    const title = document.querySelector('h1')?.textContent ?? '';
    if (title === before || !document.querySelector('fieldset[data-field]')) return;
    observer.disconnect();
    // After the frame with the new item is painted.
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark('next-item-ready');
      const m = performance.measure('next-item', 'next-item-start', 'next-item-ready');
      const requests = performance.getEntriesByType('resource').filter((r) => r.startTime >= m.startTime && r.startTime <= m.startTime + m.duration && r.initiatorType === 'fetch').map((r) => new URL(r.name).pathname.split('/').slice(-2).join('/'));
      window.__switches.push({ ms: m.duration, enabled: !document.querySelector('fieldset[data-field]').hasAttribute('disabled'), requests });
    }, 0));
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
}, { capture: true });
`;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

async function main() {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Chromium is needed for this bench');
  assertWebBuilt();
  // --url: a server already running with the demo (and CONCORD_DEMO_PASSWORD=e2e-demo-password); otherwise one of our own.
  const server = flags.url ? { url: flags.url, dispose: async () => {} } : await startServerProcess({ env: { CONCORD_DEMO: '1' } });
  const browser = await launchChromium(chromiumPath);
  try {
    const login = await fetch(new URL('/api/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${flags.who}@demo.concord`, password: TEST_DEMO_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login: ${login.status}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
    const api = async <T>(p: string): Promise<T> => {
      const res = await fetch(new URL(p, server.url), { headers: { cookie } });
      if (!res.ok) throw new Error(`${p}: ${res.status}`);
      return (await res.json()) as T;
    };
    const [project] = await api<{ id: string }[]>('/api/projects');
    const { rows } = await api<{ rows: { id: string }[] }>(`/api/projects/${project!.id}/item-rows`);
    if (rows.length < SWITCHES + 2) throw new Error(`the project has ${rows.length} items: too few for ${SWITCHES} switches`);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    await context.addInitScript({ content: HARNESS });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(`/projects/${project!.id}/items/${rows[0]!.id}`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.locator('fieldset[data-field]').first().waitFor();

    for (let i = 1; i <= SWITCHES + 1; i++) {
      await page.locator('a[rel="next"]').waitFor(); // the item order has loaded
      // A coder reads and codes before pressing j: no HTTP request for 500 ms (the next item's preload has landed).
      await page.waitForLoadState('networkidle');
      await page.keyboard.press('j');
      await page.waitForFunction((n) => (window as unknown as { __switches: unknown[] }).__switches.length >= n, i);
      await page.waitForURL((url) => url.pathname.endsWith(rows[i]!.id));
    }
    const all = await page.evaluate(() => (window as unknown as { __switches: { ms: number; enabled: boolean; requests: string[] }[] }).__switches);
    if (flags.debug) console.error(JSON.stringify(all));
    const [warmup, ...measured] = all;
    const sorted = measured.map((s) => s.ms).sort((a, b) => a - b);
    const p95 = quantile(sorted, 0.95);
    console.log(
      JSON.stringify({
        bench: 'web-next-item',
        who: flags.who,
        switches: measured.length,
        warmup_ms: +warmup!.ms.toFixed(1),
        p50_ms: +quantile(sorted, 0.5).toFixed(1),
        p95_ms: +p95.toFixed(1),
        max_ms: +sorted.at(-1)!.toFixed(1),
        goal_ms: GOAL_MS,
        meets_goal: p95 < GOAL_MS,
        form_enabled: measured.filter((s) => s.enabled).length,
        page_errors: errors.length,
      }),
    );
  } finally {
    await browser.close();
    await server.dispose();
  }
}

await main();
