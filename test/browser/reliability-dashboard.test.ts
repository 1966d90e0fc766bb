/**
 * The reliability dashboard in Chromium against the real server with the demo study: a
 * methodologist sees civic impact's alpha exactly as the API gives it, opens its drill-down,
 * and sees the dashboard update without a reload (socket.io project events) when a coder's
 * submission reveals another item.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@concord/server/client';
import type { Codebook, CodingValue, FieldDefinition, FieldReliability } from '@concord/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChromium, findChromium } from '../helpers/chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { browserSessions } from '../helpers/sessions.ts';
import { ok } from '../helpers/api.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const METHODOLOGIST = 'methodologist@dashboard.test';
const METHODOLOGIST_PASSWORD = 'a methodologist password 42';
/** How long the live update may take: the refetch debounce plus a recomputation on a loaded machine. */
const LIVE_MS = 15_000;
/** Seeding the demo study at start takes over 90 s when the shared 2-core machine is busy. */
const SERVER_START_MS = 240_000;

const chromiumPath = findChromium();
const INTERVAL_REASON = 'the civic impact points were piloted as equal steps';

/** The first choice of every field: a complete, valid coding for a submit. */
function someValues(codebook: Codebook): Record<string, CodingValue> {
  const value = (f: FieldDefinition): CodingValue => {
    switch (f.type) {
      case 'single_choice':
        return f.options[0]!.value;
      case 'multiple_choice':
        return [f.options[0]!.value];
      case 'ordinal':
        return f.scale[0]!.value;
      case 'number':
        return f.min ?? 0;
      case 'text':
        return 'coded in the dashboard test';
      case 'link':
        return [];
    }
  };
  return Object.fromEntries(codebook.fields.map((f) => [f.key, value(f)]));
}

/** The dashboard's number format (three decimals, no leading zero). */
const coef = (v: number) => (v < 0 ? '−' : '') + Math.abs(v).toFixed(3).replace(/^0\./, '.');

describe.skipIf(!chromiumPath)('the reliability dashboard in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let projectId: string;
  const users = browserSessions(() => ({ url: server.url, browser }));
  const { pageErrors, client, project, signIn } = users;

  const civicImpactApi = async () =>
    (await ok(project('methodologist').reliability.$get({ param: { projectId }, query: {} }))).fields.find((f) => f.key === 'civic_impact')!;
  const row = (key: string) => page.locator(`table.reliability tr[data-field="${key}"]`);

  beforeAll(async () => {
    assertWebBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' }, startTimeoutMs: SERVER_START_MS });
    browser = await connectChromium(chromiumPath!);
    for (const who of ['owner', 'coder2', 'coder3']) await signIn(who);
    projectId = (await ok(client('owner').api.projects.$get()))[0]!.id;
    // The demo has no methodologist: the owner invites one, who sets a password with the link.
    const { invitation } = await ok(project('owner').members.$post({ param: { projectId }, json: { email: METHODOLOGIST, role: 'methodologist' } }));
    await ok(createApiClient(server.url).api.invites[':token'].accept.$post({ param: { token: invitation.token }, json: { password: METHODOLOGIST_PASSWORD } }));
    await signIn('methodologist', METHODOLOGIST, METHODOLOGIST_PASSWORD);
    page = await users.openAs('methodologist', { viewport: { width: 1500, height: 1000 } });
  }, SERVER_START_MS + 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("shows civic impact's alpha as the API gives it, with its verdict and interval, and opens the drill-down", async () => {
    await page.goto(new URL(`/projects/${projectId}`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    await page.getByRole('navigation', { name: /^Sections of/ }).getByRole('link', { name: 'Reliability' }).click();
    await page.getByRole('heading', { name: 'Reliability', level: 1 }).waitFor();

    const impact = await civicImpactApi();
    expect(impact.value).not.toBeNull();
    const value = row('civic_impact').locator('td.value');
    await expect(value.getAttribute('data-value')).resolves.toBe(String(impact.value));
    await expect(value.innerText()).resolves.toBe(coef(impact.value!));
    const verdict = impact.value! >= 0.8 ? 'reliable' : impact.value! >= 0.667 ? 'tentative' : 'unreliable';
    await expect(row('civic_impact').locator('[data-verdict]').innerText()).resolves.toBe(verdict);
    await expect(row('civic_impact').locator('td').nth(4).innerText()).resolves.toBe('24');
    // The interval bar draws both thresholds and names the interval for screen readers.
    const bar = row('civic_impact').locator('svg.ci-bar');
    await expect(bar.locator('line[data-threshold]').count()).resolves.toBe(2);
    await expect(bar.getAttribute('aria-label')).resolves.toContain(`95% CI ${coef(impact.ci!.low!)} to ${coef(impact.ci!.high!)}`);
    // Text fields are listed without a coefficient; the demo's balanced fields carry no prevalence warning.
    await expect(page.locator('table.reliability tbody tr').count()).resolves.toBe(10);
    await expect(page.locator('table.reliability details.prevalence-warning').count()).resolves.toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}reliability-dashboard.png`, fullPage: true });

    await row('civic_impact').getByRole('link').click();
    await page.getByRole('heading', { name: impact.label, level: 1 }).waitFor();
    const drill = await ok(project('methodologist').reliability.fields[':fieldKey'].$get({ param: { projectId, fieldKey: 'civic_impact' }, query: {} }));
    await expect(page.locator('.summary .value').innerText()).resolves.toBe(coef(impact.value!));
    await expect(page.locator('table.values tbody tr').count()).resolves.toBe(drill.values.length);
    await expect(page.locator('table.pair-matrix tbody tr').count()).resolves.toBe(3);
    const pair = drill.pairs[0]!;
    await expect(page.locator('table.pairs tbody tr').first().locator('td.alpha').innerText()).resolves.toBe(coef(pair.alpha!));
    await expect(page.locator('table.incidents tbody tr').count()).resolves.toBe(drill.incidents.length);
    await expect(page.locator('svg.drift circle.point').count()).resolves.toBe(drill.drift.points.length);
    await page.screenshot({ path: `${ARTIFACTS}reliability-drilldown.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('updates without a reload when a submission reveals another item (socket.io project events)', async () => {
    await page.goto(new URL(`/projects/${projectId}/reliability`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    // The page receives the project's events from here on.
    await page.locator(`body[data-live-projects~="${projectId}"]`).waitFor();
    await page.evaluate(() => {
      (window as unknown as { dashboardMarker: boolean }).dashboardMarker = true;
    });
    await expect(row('civic_impact').locator('td').nth(4).innerText()).resolves.toBe('24');

    // A blind item that only coder3 has still to submit: coder3's submission reveals it.
    const codebook = await ok(project('coder3').codebook.$get({ param: { projectId }, query: {} }));
    const { items } = await ok(project('owner').items.$get({ param: { projectId }, query: { phase: 'independent' } }));
    const coder3 = (await ok(client('coder3').api.auth.me.$get())).id;
    let itemId = '';
    for (const item of items) {
      const open = (await ok(project('owner').assignments.$get({ param: { projectId }, query: { item: item.id } }))).filter((a) => a.submittedAt === null);
      if (open.length === 1 && open[0]!.coderId === coder3) {
        itemId = item.id;
        break;
      }
    }
    expect(itemId).not.toBe('');
    await ok(project('coder3').items[':itemId'].codings.me.$put({ param: { projectId, itemId }, json: { values: someValues(codebook) } }));
    await ok(project('coder3').items[':itemId'].codings.me.submit.$post({ param: { projectId, itemId }, query: {} }));

    await row('civic_impact').locator('td').nth(4).getByText('25', { exact: true }).waitFor({ timeout: LIVE_MS });
    const impact = await civicImpactApi();
    await expect(row('civic_impact').locator('td.value').innerText()).resolves.toBe(coef(impact.value!));
    await expect(page.evaluate(() => (window as unknown as { dashboardMarker?: boolean }).dashboardMarker)).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  /** The row's tooltip button and the tooltip it describes itself with. */
  const tipOf = async (name: string, key: string) => {
    const button = row(key).getByRole('button', { name });
    return { button, tooltip: page.locator(`[role="tooltip"]#${await button.getAttribute('aria-describedby')}`) };
  };
  const quadratic = (f: FieldReliability, metric: string) => f.others.find((o) => o.metric === metric && o.weights === 'quadratic' && o.depth === null)!;

  it('shows weighted kappa and AC2 beside an ordinal alpha, unweighted beside a nominal one, each explained in a tooltip reached by keyboard', async () => {
    await page.goto(new URL(`/projects/${projectId}/reliability`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    const report = await ok(project('methodologist').reliability.$get({ param: { projectId }, query: {} }));
    const impact = report.fields.find((f) => f.key === 'civic_impact')!;
    const kappa = row('civic_impact').locator('td[data-kappa]');
    await expect(kappa.getAttribute('data-weights')).resolves.toBe('quadratic');
    await expect(kappa.innerText()).resolves.toMatch(new RegExp(`^κw ${coef(quadratic(impact, 'fleiss-kappa').value!)}`));
    await expect(row('civic_impact').locator('td[data-ac]').innerText()).resolves.toMatch(new RegExp(`^AC2 ${coef(quadratic(impact, 'gwet-ac').value!)}`));
    const nominal = report.fields.find((f) => f.level === 'nominal')!;
    await expect(row(nominal.key).locator('td[data-kappa]').getAttribute('data-weights')).resolves.toBe('unweighted');
    await expect(row(nominal.key).locator('td[data-ac]').innerText()).resolves.toMatch(/^AC1 /);

    // Keyboard: focus shows the explanation (it is the button's description), Escape hides it.
    const alpha = await tipOf('About α (ordinal)', 'civic_impact');
    await alpha.button.focus();
    await alpha.tooltip.waitFor({ state: 'visible' });
    await expect(alpha.tooltip.innerText()).resolves.toMatch(/^Krippendorff's alpha, ordinal: /);
    await page.keyboard.press('Escape');
    await alpha.tooltip.waitFor({ state: 'hidden' });
    const weighted = await tipOf('About κw', 'civic_impact');
    await weighted.button.focus();
    await weighted.tooltip.waitFor({ state: 'visible' });
    await expect(weighted.tooltip.innerText()).resolves.toContain('quadratic weights');
    await page.screenshot({ path: `${ARTIFACTS}reliability-tooltip.png` });
    expect(pageErrors).toEqual([]);
  });

  it('follows a measurement level set in the codebook editor: interval alpha, with the reason, and the version the codings were made under', async () => {
    await page.goto(new URL(`/projects/${projectId}/codebook`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    const editor = page.locator('[data-field-editor="civic_impact"]');
    await editor.locator('summary').click();
    await editor.getByLabel('Measurement level').selectOption('interval');
    await editor.getByLabel(/^Why it is treated as interval/).fill(INTERVAL_REASON);
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: /Saved as version \d+\./ }).waitFor();
    const codebook = await ok(project('methodologist').codebook.$get({ param: { projectId }, query: {} }));
    expect(codebook.fields.find((f) => f.key === 'civic_impact')).toMatchObject({ level: 'interval', levelReason: INTERVAL_REASON });
    await expect(page.locator(`[data-version="${codebook.version}"] [data-level-change]`).innerText()).resolves.toBe(
      `measurement level ordinal → interval, because: ${INTERVAL_REASON}`,
    );

    await page.goto(new URL(`/projects/${projectId}/reliability`, server.url).href);
    await page.locator('body[data-hydrated="true"]').waitFor();
    const report = await ok(project('methodologist').reliability.$get({ param: { projectId }, query: {} }));
    const impact = report.fields.find((f) => f.key === 'civic_impact')!;
    expect(impact).toMatchObject({ level: 'interval', level_source: 'codebook', level_reason: INTERVAL_REASON });
    const cell = row('civic_impact').locator('td[data-coefficient]');
    await expect(cell.getAttribute('data-level')).resolves.toBe('interval');
    await expect(cell.innerText()).resolves.toContain('α (interval), set in codebook');
    await expect(row('civic_impact').locator('td.value').innerText()).resolves.toBe(coef(impact.value!));
    const alpha = await tipOf('About α (interval)', 'civic_impact');
    await alpha.button.focus();
    await alpha.tooltip.waitFor({ state: 'visible' });
    await expect(alpha.tooltip.innerText()).resolves.toContain(`The codebook sets this ordinal scale to interval: ${INTERVAL_REASON}.`);
    // Every coding was made under an earlier version than the one now current: the page says which.
    expect(report.codebookVersion).toBe(codebook.version);
    await expect(page.locator('p.live').innerText()).resolves.toContain(`Codebook version ${codebook.version}, codings made under version ${report.codedUnderVersions.join(', ')} ·`);
    expect(report.codedUnderVersions).not.toContain(codebook.version);
    expect(pageErrors).toEqual([]);
  });
});
