/// <reference lib="dom" />
/**
 * Scrolling the items table through 10,000 rows: the real server (its own temporary PGlite,
 * demo accounts), a project with N items imported through the API, Debian's Chromium via
 * playwright-core. The page is loaded and timed (navigation to "N items" shown, and the
 * item-rows request alone); then, inside the page, one requestAnimationFrame loop moves the
 * table's scroll container by --step px per frame from top to bottom and records every frame
 * time (rAF timestamp deltas). Reports frames over 16.7 ms, dropped frames (a frame of d ms
 * stands for round(d / 16.7) - 1 missed ones) and p50/p95/max frame time, beside the same
 * number of idle frames on the same page (what the machine drops with nothing to do), and the
 * CPU time Chromium's processes used per scrolled frame (from /proc: what the scroll costs,
 * less sensitive than frame times to other work on a shared machine). Prints ONE JSON line.
 *
 *   pnpm exec tsx bench/web-items-scroll.ts [--items 10000] [--step 400] [--url http://127.0.0.1:PORT]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findChromium, launchChromium } from '../test/helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD } from '../test/helpers/server.ts';

const { values: flags } = parseArgs({ options: { url: { type: 'string' }, items: { type: 'string', default: '10000' }, step: { type: 'string', default: '400' } } });
const ITEMS = Number(flags.items);
const STEP_PX = Number(flags.step);
const FRAME_MS = 1000 / 60;
const PLATFORMS = ['facebook', 'telegram', 'news', 'twitter', 'youtube', 'website'];
const WORDS = ['protest', 'arrest', 'election', 'court', 'journalist', 'blocked', 'Almaty', 'parliament', 'opposition', 'statement', 'video', 'report'];

function csv(n: number): string {
  const lines = ['externalId,title,url,platform,author,publishedAt,incident'];
  for (let i = 1; i <= n; i++) {
    const words = Array.from({ length: 4 + (i % 9) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(`SC-${i},Item ${i}: ${words},https://example.org/${i},${PLATFORMS[i % PLATFORMS.length]},Account ${i % 50},2022-01-${day},Incident ${i % 12}`);
  }
  return lines.join('\n');
}

interface ScrollResult {
  frames: number[];
  maxRowsInDom: number;
  reachedEnd: boolean;
}

/**
 * Runs in the page: scrolls the table top to bottom, one step per animation frame. A string,
 * not a function: tsx (esbuild keepNames) would wrap inner functions in a `__name` helper
 * that does not exist in the page.
 */
const scrollThrough = (step: number) => `new Promise((resolve) => {
  const scroller = document.querySelector('.scroller');
  const frames = [];
  let maxRowsInDom = 0;
  let last = 0;
  const tick = (t) => {
    if (last) frames.push(t - last);
    last = t;
    maxRowsInDom = Math.max(maxRowsInDom, scroller.querySelectorAll('tr[data-index]').length);
    const end = scroller.scrollHeight - scroller.clientHeight;
    if (scroller.scrollTop >= end - 1) {
      const rows = scroller.querySelectorAll('tbody tr[data-index]');
      const lastIndex = rows[rows.length - 1]?.getAttribute('aria-rowindex');
      resolve({ frames, maxRowsInDom, reachedEnd: lastIndex === scroller.querySelector('table').getAttribute('aria-rowcount') });
      return;
    }
    scroller.scrollTop = Math.min(end, scroller.scrollTop + ${step});
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

/** The same number of animation frames with nothing to do: how many frames this machine drops anyway. */
const idleFrames = (n: number) => `new Promise((resolve) => {
  const frames = [];
  let last = 0;
  const tick = (t) => {
    if (last) frames.push(t - last);
    last = t;
    if (frames.length >= ${n}) resolve(frames);
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

/**
 * CPU time (ms, user + system) used so far by this process's Chromium descendants (browser,
 * renderer, GPU, utilities; not the server), from /proc: the work a scroll costs, which a
 * loaded machine delays (frame times) but does not inflate. null where /proc is missing.
 */
function chromiumCpuMs(): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const e of entries) {
    try {
      const raw = readFileSync(`/proc/${e}/stat`, 'utf8');
      const close = raw.lastIndexOf(')');
      const comm = raw.slice(raw.indexOf('(') + 1, close);
      const rest = raw.slice(close + 2).split(' ');
      stats.set(Number(e), { ppid: Number(rest[1]), comm, ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid; p !== undefined && p > 1; p = stats.get(p)?.ppid) if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, st] of stats) if (/chrom/i.test(st.comm) && mine(pid)) ticks += st.ticks;
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

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
      body: JSON.stringify({ email: 'owner@demo.concord', password: TEST_DEMO_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login: ${login.status}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
    const created = await fetch(new URL('/api/projects', server.url), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Scroll bench ${ITEMS}`, description: '' }),
    });
    const { id: projectId } = (await created.json()) as { id: string };
    const imported = await fetch(new URL(`/api/projects/${projectId}/import`, server.url), { method: 'POST', headers: { cookie, 'content-type': 'text/csv' }, body: csv(ITEMS) });
    if (imported.status !== 201) throw new Error(`import: ${imported.status} ${await imported.text()}`);

    // The item-rows answer alone (the table's only data request), warm.
    const rowsUrl = new URL(`/api/projects/${projectId}/item-rows`, server.url);
    await fetch(rowsUrl, { headers: { cookie } }).then((r) => r.arrayBuffer());
    const fetchStart = performance.now();
    const rowsBody = await fetch(rowsUrl, { headers: { cookie } }).then((r) => r.arrayBuffer());
    const rowsMs = performance.now() - fetchStart;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const loadStart = performance.now();
    await page.goto(new URL(`/projects/${projectId}`, server.url).href);
    await page.getByRole('status').filter({ hasText: `${ITEMS.toLocaleString('en')} items` }).waitFor();
    const loadMs = performance.now() - loadStart;
    await page.locator('tr[data-index]').first().waitFor();

    const cpuBefore = chromiumCpuMs();
    const result = (await page.evaluate(scrollThrough(STEP_PX))) as ScrollResult;
    const cpuAfter = chromiumCpuMs();
    const idle = (await page.evaluate(idleFrames(result.frames.length))) as number[];
    const idleSorted = [...idle].sort((a, b) => a - b);
    const sorted = [...result.frames].sort((a, b) => a - b);
    const over = result.frames.filter((d) => d > FRAME_MS + 0.5);
    const dropped = result.frames.reduce((s, d) => s + Math.max(0, Math.round(d / FRAME_MS) - 1), 0);
    console.log(
      JSON.stringify({
        bench: 'web-items-scroll',
        items: ITEMS,
        step_px: STEP_PX,
        frames: result.frames.length,
        frames_over_16_7ms: over.length,
        dropped_frames: dropped,
        p50_frame_ms: +quantile(sorted, 0.5).toFixed(1),
        p95_frame_ms: +quantile(sorted, 0.95).toFixed(1),
        max_frame_ms: +sorted.at(-1)!.toFixed(1),
        chromium_cpu_ms_per_frame: cpuBefore === null || cpuAfter === null ? null : +((cpuAfter - cpuBefore) / result.frames.length).toFixed(2),
        idle_frames_over_16_7ms: idle.filter((d) => d > FRAME_MS + 0.5).length,
        idle_p95_frame_ms: +quantile(idleSorted, 0.95).toFixed(1),
        max_rows_in_dom: result.maxRowsInDom,
        reached_end: result.reachedEnd,
        item_rows_ms: Math.round(rowsMs),
        item_rows_kb: Math.round(rowsBody.byteLength / 1024),
        page_to_rows_shown_ms: Math.round(loadMs),
        page_errors: errors.length,
      }),
    );
  } finally {
    await browser.close();
    await server.dispose();
  }
}

await main();
