/**
 * The seed report's exhibits rebuilt on the demo study, through the real routes: Chart 1
 * (parent frames), Chart 2 (platforms), Chart 3 (frames per incident, and for one incident),
 * Table 1 (parent frames with their narratives) and the impact distribution, each as JSON,
 * SVG and CSV, counted on the final dataset with the share still open.
 * The expected numbers are counted by hand from the demo's final values (FINAL below, as
 * export/final.csv gives them); a second set of checks recounts from the final.csv export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeXml } from '@concord/charts';
import { assertWellFormed, barValues, shareText } from '@concord/charts/testing';
import type { ChartData, Codebook, FieldDefinition, Incident, Report } from '@concord/shared';
import { csvRecords, csvRows } from './export-expectations.ts';
import { createDemoHarness, DEMO_HARNESS_TIMEOUT_MS, PASSWORD, signInDemoAccounts, json, type Harness, type Session } from './harness.ts';

let h: Harness;
let projectId: string;
const demo: Record<string, Session> = {};
let codebook: Codebook;
let incidents: Incident[];

beforeAll(async () => {
  ({ h, projectId } = await createDemoHarness());
  Object.assign(demo, await signInDemoAccounts(h, PASSWORD));
  codebook = await json<Codebook>(await get('/codebook'));
  incidents = (await json<{ incidents: Incident[] }>(await get('/incidents'))).incidents;
}, DEMO_HARNESS_TIMEOUT_MS);
afterAll(() => h.close());

const api = (path: string) => `/api/projects/${projectId}${path}`;
async function get(path: string, who = 'owner') {
  const res = await h.request(demo[who]!, 'GET', api(path));
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
}
const text = async (path: string) => (await get(path)).text();
const frames = () => codebook.fields.find((f) => f.key === 'narrative_frames') as Extract<FieldDefinition, { type: 'multiple_choice' }>;

/** A chart's JSON, SVG and CSV, each checked for what every exhibit must carry. */
async function exhibit(id: string, query = '') {
  const data = await json<ChartData>(await get(`/charts/${id}${query}`));
  const svgRes = await get(`/charts/${id}.svg${query}`);
  expect(svgRes.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  const svg = await svgRes.text();
  assertWellFormed(svg);
  expect(svg).toMatch(/^<svg [^>]*role="img"/);
  // The share still open is printed on the drawing, and said in its description.
  expect(shareText(svg)).toBe(data.share);
  expect(svg).toContain(`${escapeXml(data.share)}</desc>`);
  const csvRes = await get(`/charts/${id}.csv${query}`);
  expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
  const name = data.incident ? `${id}-${data.incident.id}` : id;
  expect(csvRes.headers.get('content-disposition')).toBe(`attachment; filename="${name}.csv"`);
  const csv = csvRows(await csvRes.text());
  // The CSV: a bar row per bar, then the share rows, a column per series; a label that starts
  // like a formula ("-2 Harmful") gets the exports' leading quote, a plain number does not.
  const safe = (cell: string) => (/^[=+\-@]/.test(cell) && !/^[-+]?\d+(\.\d+)?$/.test(cell) ? `'${cell}` : cell);
  expect(csv[0]).toEqual(['kind', 'key', 'label', 'parent', ...data.series.map((s) => safe(s.label))]);
  expect(csv.slice(1, 1 + data.categories.length)).toEqual(data.categories.map((c, i) => ['bar', c.key, safe(c.label), c.parent ?? '', ...data.series.map((s) => String(s.values[i]))]));
  const share = Object.fromEntries(csv.slice(1 + data.categories.length).map((r) => [r[1], r.slice(4).map(Number)]));
  expect(share).toEqual({
    counted: data.series.map((s) => s.items.counted),
    open: data.series.map((s) => s.items.open),
    no_value: data.series.map((s) => s.items.noValue),
    total: data.series.map((s) => s.items.total),
  });
  return { data, svg, csv };
}

describe('the demo codebook follows the seed hierarchy', () => {
  it("has Chart 1's parent frames on top and Table 1's narratives below them", () => {
    const parentOf = new Map(frames().options.map((o) => [o.value, o.parent]));
    const label = new Map(frames().options.map((o) => [o.value, o.label]));
    expect(frames().options.filter((o) => o.parent === null).map((o) => o.label)).toEqual(['Disinformation', 'Freedom of expression']);
    expect([label.get('tokayev_best_leader'), label.get(parentOf.get('tokayev_best_leader')!)]).toEqual(['Tokayev is the best leader for Kazakhstan right now', 'Disinformation']);
    expect([label.get('security_over_rights'), label.get(parentOf.get('security_over_rights')!)]).toEqual(['National security trumps human rights', 'Freedom of expression']);
  });
});

/**
 * The demo's final narrative frames and platform per item (KZ-001…KZ-030), as final.csv gives
 * them (sets sorted): null is open (KZ-010: three coders, three frames, no majority; the last
 * three items of each incident are blind). The expected exhibits below are counted by hand
 * from this table and the codebook's hierarchy (demo/codebook.ts).
 */
const FINAL: Record<string, [frames: string | null, platform: string | null]> = {
  'KZ-001': ['opposition_lies', 'news'],
  'KZ-002': ['speech_criminalised', 'report'],
  'KZ-003': ['digital_repression', 'facebook'],
  'KZ-004': ['foreign_plot|security_over_rights', 'news'],
  'KZ-005': ['digital_repression', 'twitter'],
  'KZ-006': ['shutdown_keeps_order', 'telegram'],
  'KZ-007': ['speech_criminalised', 'news'],
  'KZ-008': ['surveillance_targets', 'instagram'],
  'KZ-009': ['criticism_is_disinfo|security_over_rights', 'news'],
  'KZ-010': [null, 'facebook'],
  'KZ-011': ['surveillance_targets', 'report'],
  'KZ-012': ['opposition_lies|security_over_rights', 'telegram'],
  'KZ-013': [null, null],
  'KZ-014': [null, null],
  'KZ-015': [null, null],
  'KZ-016': ['new_kazakhstan', 'facebook'],
  'KZ-017': ['scripted_posts', 'telegram'],
  'KZ-018': ['only_stability', 'instagram'],
  'KZ-019': ['paid_trolls', 'news'],
  'KZ-020': ['elections_manipulated', 'report'],
  'KZ-021': ['scripted_posts', 'twitter'],
  'KZ-022': ['criticism_is_disinfo', 'news'],
  'KZ-023': ['paid_trolls|scripted_posts', 'facebook'],
  'KZ-024': ['new_kazakhstan|tokayev_best_leader', 'news'],
  'KZ-025': ['elections_manipulated', 'twitter'],
  'KZ-026': ['only_stability|scripted_posts', 'instagram'],
  'KZ-027': ['elections_manipulated', 'news'],
  'KZ-028': [null, null],
  'KZ-029': [null, null],
  'KZ-030': [null, null],
};

describe('the exhibits, counted by hand from the demo', () => {
  it('final.csv holds the final values the hand counts start from', async () => {
    const rows = csvRecords(await text('/export/final.csv'));
    expect(Object.fromEntries(rows.map((r) => [r.external_id, [r.narrative_frames_provenance === 'open' ? null : r.narrative_frames, r.field_platform_provenance === 'open' ? null : r.field_platform]]))).toEqual(FINAL);
  });

  it('Chart 1: Disinformation 15 items, Freedom of expression 10; 23 of 30 counted, 7 open', async () => {
    const { data, svg } = await exhibit('parent-frames');
    expect(barValues(svg).map((b) => [b.category, b.text])).toEqual([
      ['Disinformation', 15],
      ['Freedom of expression', 10],
    ]);
    expect(data.items).toEqual({ total: 30, counted: 23, open: 7, noValue: 0 });
    expect(data.share).toBe('23 of 30 items counted; 7 (23%) still open.');
  });

  it('Chart 2: news 8, Facebook 4, Twitter 3, Instagram 3, Telegram 3, report 3; 24 counted, the 6 blind open', async () => {
    const { data, csv } = await exhibit('platforms');
    expect(csv.slice(1).map((r) => [r[1], r[4]])).toEqual([
      ['news', '8'],
      ['facebook', '4'],
      ['twitter', '3'],
      ['instagram', '3'],
      ['telegram', '3'],
      ['report', '3'],
      ['counted', '24'],
      ['open', '6'],
      ['no_value', '0'],
      ['total', '30'],
    ]);
    expect(data.share).toBe('24 of 30 items counted; 6 (20%) still open.');
  });

  it('Table 1: the parent frames with their narratives, each row counting the frames below it', async () => {
    const { data } = await exhibit('frames-table');
    expect(data.categories.map((c, i) => [c.label, data.series[0]!.values[i]])).toEqual([
      ['Disinformation', 15],
      ['Tokayev is the best leader for Kazakhstan right now', 4],
      ['Reforms are building a "Fair Kazakhstan"', 2],
      ['Only Tokayev guarantees stability', 2],
      ['Criticism of the state is disinformation', 4],
      ['Opposition figures spread false information', 2],
      ['Elections are manipulated online', 8],
      ['Paid trolls ("Nurbots") flood social media', 2],
      ['Pre-approved content is spread en masse', 4],
      ['Freedom of expression', 10],
      ['National security trumps human rights', 4],
      ['Protesters are terrorists and bandits', 0],
      ['Unrest is a foreign-organised coup', 1],
      ['Internet shutdowns keep order', 1],
      ['Digital repression silences dissent', 6],
      ['Speech is criminalised', 2],
      ['Surveillance targets activists and journalists', 2],
    ]);
  });

  it('Chart 3 for the arrest: its eight frames in use; 11 of 15 counted, 4 open', async () => {
    const arrest = incidents[0]!;
    const { data, csv } = await exhibit('frames-by-incident', `?incident=${arrest.id}`);
    expect(csv.slice(1).map((r) => [r[1], r[4]])).toEqual([
      ['security_over_rights', '3'],
      ['foreign_plot', '1'],
      ['shutdown_keeps_order', '1'],
      ['criticism_is_disinfo', '1'],
      ['opposition_lies', '2'],
      ['digital_repression', '2'],
      ['speech_criminalised', '2'],
      ['surveillance_targets', '2'],
      ['counted', '11'],
      ['open', '4'],
      ['no_value', '0'],
      ['total', '15'],
    ]);
    expect(data.share).toBe(`11 of 15 items of ${arrest.name} counted; 4 (27%) still open.`);
  });

  it('Chart 3 for the election: its seven frames in use; 12 of 15 counted, 3 open', async () => {
    const { data } = await exhibit('frames-by-incident', `?incident=${incidents[1]!.id}`);
    expect(data.categories.map((c, i) => [c.key, data.series[0]!.values[i]])).toEqual([
      ['tokayev_best_leader', 1],
      ['new_kazakhstan', 2],
      ['only_stability', 2],
      ['criticism_is_disinfo', 1],
      ['elections_manipulated', 3],
      ['paid_trolls', 2],
      ['scripted_posts', 4],
    ]);
    expect(data.items).toEqual({ total: 15, counted: 12, open: 3, noValue: 0 });
  });
});

describe('the exhibits in the report', () => {
  it('carries every exhibit as the chart route gives it, and in Markdown with its share, its table and its files', async () => {
    const report = await json<Report>(await get('/report?bootstrap=0'));
    expect(report.exhibits.map((e) => e.chart)).toEqual(['parent-frames', 'platforms', 'frames-by-incident', 'frames-table', 'impact-by-incident']);
    for (const e of report.exhibits) expect(e).toEqual(await json<ChartData>(await get(`/charts/${e.chart}`)));
    const md = await text('/report?format=md&bootstrap=0');
    expect(md).toContain('\n## Exhibits\n');
    const files = (id: string) => `Files: \`/api/projects/${projectId}/charts/${id}.svg\`, \`/api/projects/${projectId}/charts/${id}.csv\`.`;
    expect(md).toContain(`**Chart 1: Parent narrative frames**\n\n23 of 30 items counted; 7 (23%) still open. ${files('parent-frames')}`);
    expect(md).toContain('| Narrative frames | Items |\n|---|---:|\n| Disinformation | 15 |\n| Freedom of expression | 10 |\n');
    // Table 1: narratives indented under their parent frame.
    expect(md).toContain('| Freedom of expression | 10 |\n| \u2003National security trumps human rights | 4 |\n| \u2003\u2003Protesters are terrorists and bandits | 0 |\n');
    expect(md).toContain(files('frames-table'));
  });
});

/** One field of final.csv, per item: incidents, provenance and the values it counts under (none for N/A or open). */
async function finalColumn(column: string) {
  return csvRecords(await text('/export/final.csv')).map((r) => ({
    externalId: r.external_id!,
    phase: r.phase!,
    incidents: r.incidents ? r.incidents.split('|') : [],
    provenance: r[`${column}_provenance`]!,
    values: r[`${column}_provenance`] === 'open' || ['', 'NA', '|'].includes(r[column]!) ? [] : r[column]!.split('|'),
  }));
}
type FinalRow = Awaited<ReturnType<typeof finalColumn>>[number];
const shareOf = (rows: FinalRow[]) => ({
  total: rows.length,
  counted: rows.filter((r) => r.values.length > 0).length,
  open: rows.filter((r) => r.provenance === 'open').length,
  noValue: rows.filter((r) => r.provenance !== 'open' && r.values.length === 0).length,
});
const isUnder = (o: string, ancestor: string): boolean => {
  const parent = frames().options.find((x) => x.value === o)?.parent ?? null;
  return o === ancestor || (parent !== null && isUnder(parent, ancestor));
};

describe('every exhibit recounted from final.csv', () => {
  it('Chart 1 counts every item of the final dataset per parent frame, with the open share', async () => {
    const rows = await finalColumn('narrative_frames');
    const parents = frames().options.filter((o) => o.parent === null);
    const { data, svg } = await exhibit('parent-frames');
    expect(data.items).toEqual(shareOf(rows));
    expect(data.items.total).toBe(30);
    // The six blind items are open whatever their coders submitted.
    expect(rows.filter((r) => r.phase === 'independent').map((r) => r.provenance)).toEqual(Array(6).fill('open'));
    const expected = parents.map((p) => rows.filter((r) => r.values.some((v) => isUnder(v, p.value))).length);
    expect(data.series.map((s) => s.values)).toEqual([expected]);
    expect(barValues(svg).map((b) => [b.category, b.text])).toEqual(parents.map((p, i) => [p.label, expected[i]]));
    const pct = Math.round((100 * data.items.open) / 30);
    expect(data.share).toBe(`${data.items.counted} of 30 items counted; ${data.items.open} (${pct}%) still open.`);
  });

  it('Chart 2 counts items per platform', async () => {
    const rows = await finalColumn('field_platform');
    const f = codebook.fields.find((x) => x.key === 'platform') as Extract<FieldDefinition, { type: 'single_choice' }>;
    const { data, svg } = await exhibit('platforms');
    const expected = f.options.map((o) => rows.filter((r) => r.values.includes(o.value)).length);
    expect(data.series[0]!.values).toEqual(expected);
    expect(data.items).toEqual(shareOf(rows));
    expect(barValues(svg).map((b) => b.text)).toEqual(expected);
  });

  it('Table 1 lists parent frames with their narratives below them, counting each row with the frames below it', async () => {
    const rows = await finalColumn('narrative_frames');
    const { data, svg } = await exhibit('frames-table');
    const below = (of: string | null): string[] => frames().options.filter((o) => o.parent === of).flatMap((o) => [o.value, ...below(o.value)]);
    const order = below(null);
    expect(data.categories.map((c) => c.key)).toEqual(order);
    const expected = order.map((o) => rows.filter((r) => r.values.some((v) => isUnder(v, o))).length);
    expect(data.series[0]!.values).toEqual(expected);
    const cells = [...svg.matchAll(/<g class="row"[^>]* data-cells="([^"]*)">/g)].map((m) => JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as string[]);
    expect(cells.map((c) => c[1])).toEqual(expected.map(String));
  });

  it('Chart 3 counts frames as coded per incident, and the impact chart scores per incident', async () => {
    const rows = await finalColumn('narrative_frames');
    const { data } = await exhibit('frames-by-incident');
    expect(data.series.map((s) => s.label)).toEqual(incidents.map((i) => i.name));
    const keys = data.categories.map((c) => c.key);
    expect(data.series.map((s) => s.values)).toEqual(incidents.map((inc) => keys.map((k) => rows.filter((r) => r.incidents.includes(inc.name) && r.values.includes(k)).length)));
    expect(data.series.map((s) => s.items)).toEqual(incidents.map((inc) => shareOf(rows.filter((r) => r.incidents.includes(inc.name)))));

    const impact = await finalColumn('civic_impact');
    const chart = (await exhibit('impact-by-incident')).data;
    expect(chart.series.map((s) => s.values)).toEqual(incidents.map((inc) => chart.categories.map((c) => impact.filter((r) => r.incidents.includes(inc.name) && r.values.includes(c.key)).length)));
  });
});

describe('Chart 3 for one incident', () => {
  it.each([0, 1])('draws incident %i alone: its frames, its items, its open share', async (index) => {
    const incident = incidents[index]!;
    const rows = (await finalColumn('narrative_frames')).filter((r) => r.incidents.includes(incident.name));
    const { data, svg } = await exhibit('frames-by-incident', `?incident=${incident.id}`);
    expect(data.incident).toEqual({ id: incident.id, name: incident.name });
    expect(data.title).toBe(`Chart 3: Narrative frames: ${incident.name}`);
    expect(data.items).toEqual(shareOf(rows));
    expect(data.items.total).toBe(15);
    expect(data.series.map((s) => s.label)).toEqual([incident.name]);
    // Only the frames this incident's items have, in codebook order.
    const used = frames().options.filter((o) => rows.some((r) => r.values.includes(o.value)));
    expect(data.categories.map((c) => c.key)).toEqual(used.map((o) => o.value));
    expect(data.series[0]!.values).toEqual(used.map((o) => rows.filter((r) => r.values.includes(o.value)).length));
    expect(barValues(svg).map((b) => [b.category, b.text])).toEqual(used.map((o, i) => [o.label, data.series[0]!.values[i]]));
    expect(data.share).toContain(`of 15 items of ${incident.name} counted`);
  });

  it('limits any chart to one incident, and refuses an unknown incident', async () => {
    const election = incidents[1]!;
    const rows = (await finalColumn('narrative_frames')).filter((r) => r.incidents.includes(election.name));
    const { data } = await exhibit('parent-frames', `?incident=${election.id}`);
    expect(data.items).toEqual(shareOf(rows));
    expect(data.series[0]!.values).toEqual(frames().options.filter((o) => o.parent === null).map((p) => rows.filter((r) => r.values.some((v) => isUnder(v, p.value))).length));
    for (const path of ['/charts/frames-by-incident?incident=inc_unknown', '/charts/frames-by-incident.csv?incident=inc_unknown', '/charts/pie.csv']) {
      const res = await h.request(demo.owner!, 'GET', api(path));
      expect(res.status, path).toBe(400);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('a decision closes an open item', () => {
  it('moves a revealed item without a majority from the open share into its bar', async () => {
    const rows = await finalColumn('civic_impact');
    const before = (await exhibit('impact-by-incident')).data;
    const items = (await json<{ items: { id: string; externalId: string; phase: string }[] }>(await get('/items?limit=100'))).items;
    const open = rows.find((r) => r.phase === 'revealed' && r.provenance === 'open');
    expect(open, 'the demo has a revealed item without a majority on civic impact').toBeDefined();
    const item = items.find((i) => i.externalId === open!.externalId)!;
    const res = await h.request(demo.editor!, 'PUT', api(`/items/${item.id}/adjudications/civic_impact`), { value: -1, rationale: 'somewhat harmful, after discussion' });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    const after = (await exhibit('impact-by-incident')).data;
    expect(after.items).toEqual({ ...before.items, open: before.items.open - 1, counted: before.items.counted + 1 });
    const s = incidents.findIndex((i) => open!.incidents.includes(i.name));
    const c = after.categories.findIndex((x) => x.key === '-1');
    expect(after.series[s]!.values[c]).toBe(before.series[s]!.values[c]! + 1);
    expect((await finalColumn('civic_impact')).find((r) => r.externalId === open!.externalId)).toMatchObject({ provenance: 'decided', values: ['-1'] });
  });
});
