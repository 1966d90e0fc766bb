/**
 * The report page in Chromium on the demo study: a methodologist opens it from the
 * project page, reads the civic impact methods paragraph with the reliability API's
 * value, downloads the Markdown report, an R export and a chart as PNG, sees the
 * parent-frames chart with the seed's two parent frames and the share still open, and
 * limits Chart 3 to one incident and downloads it as CSV.
 */
import { mkdir } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@concord/server/client';
import { companionCoefficients, type ChartData, type ReliabilityReport } from '@concord/shared';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { loginCookie } from '../helpers/sessions.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const METHODOLOGIST = 'maya.methods@demo.concord';
const NEW_PASSWORD = 'methodologist password 1';
const chromiumPath = findChromium();

/** APA: two decimals, no leading zero. */
const apa = (v: number) => `${v < 0 ? '-' : ''}${Math.abs(v).toFixed(2).replace(/^0\./, '.')}`;

describe.skipIf(!chromiumPath)('the report page in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let projectId: string;
  let cookie: string;
  let page: Page;
  const pageErrors: string[] = [];

  const apiGet = async (path: string) => {
    const res = await fetch(new URL(`/api/projects/${projectId}${path}`, server.url), { headers: { cookie } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  // Read through the connection: the browser is the run's shared one, where download.path() throws.
  const contentOf = async (download: Download) => buffer(await download.createReadStream());

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    browser = await connectChromium(chromiumPath!);
    // The demo has no methodologist: the owner invites one, who sets a password with the link.
    const owner = createApiClient(server.url, { headers: { cookie: await loginCookie(server.url, 'owner@demo.concord', TEST_DEMO_PASSWORD) } });
    projectId = (await (await owner.api.projects.$get()).json())[0]!.id;
    const added = await owner.api.projects[':projectId'].members.$post({ param: { projectId }, json: { email: METHODOLOGIST, role: 'methodologist', name: 'Maya Methods' } });
    if (added.status !== 201) throw new Error(`invite: ${added.status}`);
    const { invitation } = await added.json();
    const accepted = await createApiClient(server.url).api.invites[':token'].accept.$post({ param: { token: invitation.token }, json: { password: NEW_PASSWORD } });
    if (!accepted.ok) throw new Error(`accept: ${accepted.status}`);
    cookie = await loginCookie(server.url, METHODOLOGIST, NEW_PASSWORD);

    const context = await browser.newContext({ viewport: { width: 1300, height: 1000 }, acceptDownloads: true });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('opens from the project page and shows the civic impact paragraph with the API value', async () => {
    await page.goto(new URL(`/projects/${projectId}`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByRole('navigation', { name: /^Sections of/ }).getByRole('link', { name: 'Report' }).click();
    await page.getByRole('heading', { name: 'Reliability report', level: 1 }).waitFor();

    const reliability = (await (await apiGet('/reliability')).json()) as ReliabilityReport;
    const impact = reliability.fields.find((f) => f.key === 'civic_impact')!;
    const paragraph = await page.locator('p[data-field="civic_impact"]').innerText();
    // Beside the ordinal alpha: the weighted kappa and AC2, never the unweighted kappa.
    const shown = companionCoefficients(impact);
    expect(shown.weights).toBe('quadratic');
    expect(paragraph).toBe(
      `Krippendorff's alpha (ordinal) for civic impact score was ${apa(impact.value!)}, 95% CI [${apa(impact.ci!.low!)}, ${apa(impact.ci!.high!)}], 24 items, 3 coders, 0% missing.` +
        ` With quadratic weights, which credit near misses on the scale, Fleiss' kappa was ${apa(shown.kappa!.value!)} and Gwet's AC2 ${apa(shown.ac!.value!)}.`,
    );
    await expect(page.locator('tr[data-field="civic_impact"] td').nth(1).innerText()).resolves.toBe(apa(impact.value!));
    await page.screenshot({ path: `${ARTIFACTS}report-page.png`, fullPage: true });
  });

  it('states the codebook version the codings were made under and explains each coefficient in a tooltip reached by keyboard', async () => {
    const reliability = (await (await apiGet('/reliability')).json()) as ReliabilityReport;
    // The demo's codings were all made under the current version: the methods say so, and no field mixes versions.
    expect(reliability.codedUnderVersions).toEqual([reliability.codebookVersion]);
    await expect(page.locator('.methods').innerText()).resolves.toContain(`version ${reliability.codebookVersion}, the current one.`);
    await expect(page.locator('[data-coded-under]').count()).resolves.toBe(0);
    await expect(page.locator('tr[data-field="civic_impact"] td[data-versions]').innerText().then((t) => t.trim())).resolves.toBe(`version ${reliability.codebookVersion}`);
    await expect(page.locator('td[data-versions].mixed').count()).resolves.toBe(0);

    const about = page.locator('tr[data-field="civic_impact"]').getByRole('button', { name: "About Krippendorff's alpha (ordinal)" });
    await about.focus();
    const tooltip = page.locator(`[role="tooltip"]#${await about.getAttribute('aria-describedby')}`);
    await tooltip.waitFor({ state: 'visible' });
    await expect(tooltip.innerText()).resolves.toMatch(/^Krippendorff's alpha, ordinal: .*without assuming equal steps/);
    await page.keyboard.press('Escape');
    await tooltip.waitFor({ state: 'hidden' });
    expect(pageErrors).toEqual([]);
  });

  it('downloads the Markdown report and the R irr export', async () => {
    const [md] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download="markdown"]').click()]);
    expect(md.suggestedFilename()).toBe('reliability-report.md');
    const markdown = (await contentOf(md)).toString('utf8');
    expect(markdown).toContain(await page.locator('p[data-field="civic_impact"]').innerText());
    expect(markdown).toContain(`SHA-256: \`${await page.locator('[data-hash]').innerText()}\``);

    // The irr export's field list starts with the first single-valued field: civic impact.
    await expect(page.locator('#field-irr').inputValue()).resolves.toBe('civic_impact');
    const [irr] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="irr"]').click()]);
    expect(irr.suggestedFilename()).toBe('irr-civic_impact.csv');
    const csv = (await contentOf(irr)).toString('utf8');
    expect(csv).toBe(await (await apiGet('/export/irr.csv?field=civic_impact')).text());
    expect(csv.split('\r\n')[0]).toBe('unit,C1,C2,C3');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(25);
  });

  it('draws the parent-frames chart with one bar per parent frame, and saves it as PNG', async () => {
    const data = (await (await apiGet('/charts/parent-frames')).json()) as ChartData;
    const chart = page.locator('figure[data-chart="parent-frames"]');
    await expect(chart.locator('svg[role="img"] g.bar').count()).resolves.toBe(data.categories.length);
    expect(data.categories.map((c) => c.label)).toEqual(['Disinformation', 'Freedom of expression']);
    // Every item of the final dataset: the blind ones (and any without a majority) are the open share.
    expect(data.items.total).toBe(30);
    await expect(chart.locator('[data-share]').innerText()).resolves.toBe(data.share);
    expect(data.share).toMatch(/^\d+ of 30 items counted; \d+ \(\d+%\) still open\.$/);
    // SVG text has no innerText: read its text content.
    const numbers = await chart.locator('svg g.bar text.value').allTextContents();
    expect(numbers.map(Number)).toEqual(data.series[0]!.values);

    const [png] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: 'PNG' }).click()]);
    expect(png.suggestedFilename()).toBe('parent-frames.png');
    const bytes = await contentOf(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(2000);
    expect(pageErrors).toEqual([]);
  });

  it('limits Chart 3 to one incident, and downloads that chart as CSV', async () => {
    const whole = (await (await apiGet('/charts/frames-by-incident')).json()) as ChartData;
    const incident = whole.series[0]!;
    const data = (await (await apiGet(`/charts/frames-by-incident?incident=${incident.key}`)).json()) as ChartData;
    await page.locator('#chart3-incident').selectOption({ label: incident.label });
    const chart = page.locator(`figure[data-chart="frames-by-incident"][data-incident="${incident.key}"]`);
    await chart.locator('svg[role="img"]').waitFor();
    // One series, the incident's own frames: one bar each, with the API's numbers.
    expect(data.series.map((s) => s.label)).toEqual([incident.label]);
    expect(data.items.total).toBe(15);
    await expect(chart.locator('svg g.bar text.value').allTextContents()).resolves.toEqual(data.series[0]!.values.map(String));
    await expect(chart.locator('[data-share]').innerText()).resolves.toBe(data.share);

    const [csv] = await Promise.all([page.waitForEvent('download'), chart.locator('[data-chart-file="csv"]').click()]);
    expect(csv.suggestedFilename()).toBe(`frames-by-incident-${incident.key}.csv`);
    const content = (await contentOf(csv)).toString('utf8');
    expect(content).toBe(await (await apiGet(`/charts/frames-by-incident.csv?incident=${incident.key}`)).text());
    expect(content.split('\r\n')[0]).toBe(`kind,key,label,parent,${JSON.stringify(incident.label).replace(/\\"/g, '""')}`);
    await expect(chart.locator('[data-chart-file="svg"]').getAttribute('href')).resolves.toBe(`/api/projects/${projectId}/charts/frames-by-incident.svg?incident=${incident.key}`);

    // Back to all incidents: the grouped chart again.
    await page.locator('#chart3-incident').selectOption('');
    await page.locator('figure[data-chart="frames-by-incident"][data-incident=""] svg g.legend').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
