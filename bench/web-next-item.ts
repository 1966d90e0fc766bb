/**
 * Switching to the next item in the coding view: the real server on the demo study (its own
 * temporary PGlite), Debian's Chromium via playwright-core, signed in as a coder. Pressing
 * `j` marks `next-item-start` (a capturing keydown listener installed before the app's);
 * `next-item-ready` is marked once the next item's title and coding form are in the DOM and
 * that frame has been painted (requestAnimationFrame, then a task). performance.measure
 * gives the time; p50/p95 over the switches after one warm-up. Before each press the page
 * is left until no HTTP request ran for 500 ms (counted from Playwright's request events),
 * as a coder reads and codes first. `saved_*`: the same start to the moment the coder's own
 * live document is synced (the status shows "Saved", the values are the document's), on
 * items the coder is assigned to. Prints ONE JSON line.
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
      const entry = { ms: m.duration, enabled: !document.querySelector('fieldset[data-field]').hasAttribute('disabled'), requests, savedMs: null };
      window.__switches.push(entry);
      // The caller's own values are on screen once their live document is synced ("Saved").
      const saved = () => document.querySelector('.sync[data-state="saved"]') !== null;
      const done = () => (entry.savedMs = performance.now() - m.startTime);
      if (saved()) return done();
      const watch = new MutationObserver(() => {
        if (!saved()) return;
        watch.disconnect();
        done();
      });
      watch.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
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
    // "No HTTP request for 500 ms", counted here: Playwright's networkidle is reached once per
    // document, so after the first client-side navigation it no longer waits for anything.
    let inFlight = 0;
    let lastActivity = performance.now();
    const started = () => {
      inFlight++;
      lastActivity = performance.now();
    };
    const ended = () => {
      inFlight = Math.max(0, inFlight - 1);
      lastActivity = performance.now();
    };
    page.on('request', started);
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    const quiet = async (ms: number) => {
      while (inFlight > 0 || performance.now() - lastActivity < ms) await new Promise((r) => setTimeout(r, 50));
    };
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(`/projects/${project!.id}/items/${rows[0]!.id}`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.locator('fieldset[data-field]').first().waitFor();

    for (let i = 1; i <= SWITCHES + 1; i++) {
      await page.locator('a[rel="next"]').waitFor(); // the item order has loaded
      // A coder reads and codes before pressing j: no HTTP request for 500 ms (the next item's preload has landed).
      await quiet(500);
      await page.keyboard.press('j');
      // Polled every 100 ms, not per animation frame (the default): a rAF loop would make the page paint during the switch it measures.
      await page.waitForFunction((n) => (window as unknown as { __switches: unknown[] }).__switches.length >= n, i, { polling: 100 });
      await page.waitForURL((url) => url.pathname.endsWith(rows[i]!.id));
      // A coder assigned to the item waits for their values (the status says "Saved") before reading on.
      if (await page.locator('.sync').count()) {
        await page.waitForFunction((n) => (window as unknown as { __switches: { savedMs: number | null }[] }).__switches[n - 1]?.savedMs !== null, i, { polling: 100 });
      }
    }
    const all = await page.evaluate(() => (window as unknown as { __switches: { ms: number; enabled: boolean; requests: string[]; savedMs: number | null }[] }).__switches);
    if (flags.debug) console.error(JSON.stringify(all));
    const [warmup, ...measured] = all;
    const sorted = measured.map((s) => s.ms).sort((a, b) => a - b);
    const p95 = quantile(sorted, 0.95);
    const saved = measured.flatMap((s) => (s.savedMs === null ? [] : [s.savedMs])).sort((a, b) => a - b);
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
        // Until the own coding document is synced and its values shown (switches on items the coder is assigned to).
        saved_switches: saved.length,
        saved_p50_ms: saved.length ? +quantile(saved, 0.5).toFixed(1) : null,
        saved_p95_ms: saved.length ? +quantile(saved, 0.95).toFixed(1) : null,
        page_errors: errors.length,
      }),
    );
  } finally {
    await browser.close();
    await server.dispose();
  }
}

await main();
