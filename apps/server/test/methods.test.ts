/**
 * Honest methods (issue 14 item 4), through the real routes: the measurement level is set in
 * the codebook (a new version, with its reason) and decides the coefficient; the report names
 * the codebook version(s) the codings were made under, not the current one, and flags fields
 * whose codings mix versions. The data are Krippendorff's (2011) worked example: 4 coders,
 * 12 units, values 1-5 with missing; published ordinal alpha .815, interval .849.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  companionCoefficients,
  type CodebookInput,
  type CodebookVersion,
  type FieldDrilldown,
  type FieldReliability,
  type ReliabilityReport,
  type Report,
  type Role,
} from '@concord/shared';
import { actorOf, createHarness, createProjectFixture, json, signUp, signUpTeam, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { csvRecords } from './export-expectations.ts';
import { replaceCodebook } from '../src/services/codebook/codebook.ts';
import { createItem } from '../src/services/items/items.ts';
import { createRound } from '../src/services/assignments/assignments.ts';

/** Krippendorff (2011), section C: coders A-D (rows are units; null = no value). packages/reliability/src/__fixtures__/krippendorff-2011.json */
const KRIPPENDORFF_2011: (number | null)[][] = [
  [1, 1, null, 1],
  [2, 2, 3, 2],
  [3, 3, 3, 3],
  [3, 3, 3, 3],
  [2, 2, 2, 2],
  [1, 2, 3, 4],
  [4, 4, 4, 4],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [null, 5, 5, 5],
  [null, null, 1, 1],
  [null, null, 3, null],
];
/** Full precision of the published .815 and .849 (fast-krippendorff, in the fixture). */
const ORDINAL_ALPHA = 0.8153875037548814;
const INTERVAL_ALPHA = 0.8491071428571428;
const VALUES = KRIPPENDORFF_2011.flat().filter((v) => v !== null).length;

const CODEBOOK: CodebookInput = {
  name: 'Methods codebook',
  fields: [
    {
      key: 'frame',
      label: 'Frame',
      help: '',
      type: 'single_choice',
      required: false,
      allowNa: false,
      options: [
        { value: 'security', label: 'Security', parent: null, help: '' },
        { value: 'leader', label: 'Best leader', parent: null, help: '' },
      ],
    },
    { key: 'impact', label: 'Civic impact', help: '', type: 'ordinal', required: false, allowNa: false, scale: [1, 2, 3, 4, 5].map((value) => ({ value, label: String(value) })) },
  ],
};
const REASON = 'the five points were piloted as equally spaced in cognitive interviews';

let h: Harness;
let members: Record<Role, Session>;
let coders: Session[];
let f: ProjectFixture;

const base = () => `/api/projects/${f.projectId}`;
async function get<T>(path: string, who: Session = members.methodologist): Promise<T> {
  const res = await h.request(who, 'GET', `${base()}${path}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return path.includes('.csv') || path.includes('.sps') || path.includes('format=md') ? ((await res.text()) as T) : json<T>(res);
}
const reliability = () => get<ReliabilityReport>('/reliability?bootstrap=200');
const row = (r: { fields: FieldReliability[] }, key: string) => r.fields.find((x) => x.key === key)!;

/** `n` items assigned to all four coders in a new round. */
async function addItems(n: number, roundName: string): Promise<string[]> {
  const owner = h.ctx(actorOf(members.owner));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const item = await createItem({ ctx: owner, projectId: f.projectId, input: {
      externalId: null,
      title: `${roundName} ${i + 1}`,
      url: null,
      platform: 'news',
      author: null,
      publishedAt: null,
      language: 'en',
      body: '',
      reach: null,
      likes: null,
      shares: null,
      comments: null,
      incidentId: f.incidentId,
    } });
    ids.push(item.id);
  }
  await createRound({ ctx: owner, projectId: f.projectId, input: { roundName, coderIds: coders.map((c) => c.userId), itemIds: ids, mode: { type: 'k', k: coders.length }, seed: 1 } });
  return ids;
}

/** Each coder saves the item's values (null: leaves impact uncoded) and submits; the last submit reveals it. */
async function code(itemId: string, values: { frame: string; impact: number | null }[]) {
  for (const [i, coder] of coders.entries()) {
    const v = values[i]!;
    const body = { values: v.impact === null ? { frame: v.frame } : { frame: v.frame, impact: v.impact } };
    const saved = await h.request(coder, 'PUT', `${base()}/items/${itemId}/codings/me`, body);
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await h.request(coder, 'POST', `${base()}/items/${itemId}/codings/me/submit`)).status).toBe(200);
  }
}
const frameOf = (unit: number, coder: number) => ((unit + coder) % 3 === 0 ? 'leader' : 'security');

beforeAll(async () => {
  h = await createHarness();
  members = await signUpTeam(h);
  const extra = await Promise.all(['coder2', 'coder3', 'coder4'].map((label) => signUp(h, label)));
  coders = [members.coder, ...extra];
  f = await createProjectFixture(h, members, { extraCoders: extra });
  // Nothing is coded yet: the codebook is edited in place, still version 1.
  await replaceCodebook({ ctx: h.ctx(actorOf(members.owner)), projectId: f.projectId, input: { ...CODEBOOK, baseVersion: 1 } });
  const units = [f.itemId, ...(await addItems(KRIPPENDORFF_2011.length - 1, 'worked example'))];
  for (const [u, values] of KRIPPENDORFF_2011.entries()) await code(units[u]!, values.map((impact, c) => ({ frame: frameOf(u, c), impact })));
}, 240_000);
afterAll(() => h.close());

describe('measurement level from the type', () => {
  it('an ordinal scale gets ordinal alpha (Krippendorff 2011: .815) with weighted kappa and AC2 beside it', async () => {
    const r = await reliability();
    const impact = row(r, 'impact');
    expect(impact).toMatchObject({ level: 'ordinal', level_source: 'type', level_reason: null, n_units: 12, n_coders: 4, n_pairable: 40 });
    expect(impact.value!.toFixed(3)).toBe('0.815');
    expect(impact.value).toBeCloseTo(ORDINAL_ALPHA, 12);
    const shown = companionCoefficients(impact);
    expect(shown.weights).toBe('quadratic');
    expect(shown.kappa).toMatchObject({ metric: 'fleiss-kappa', weights: 'quadratic' });
    expect(shown.ac).toMatchObject({ metric: 'gwet-ac', weights: 'quadratic' });
    // The unweighted ones stay in `others`, each with a note that it ignores the order.
    const unweighted = impact.others.filter((o) => o.weights === 'unweighted');
    expect(unweighted.map((o) => o.metric).sort()).toEqual(['fleiss-kappa', 'gwet-ac']);
    for (const o of unweighted) expect(o.note).toMatch(/ignores the order of the scale/);
    // A nominal field keeps unweighted kappa and AC1, without a note.
    expect(companionCoefficients(row(r, 'frame'))).toMatchObject({ weights: 'unweighted', kappa: { weights: 'unweighted', note: null } });
  });

  it('names the version every coding was made under', async () => {
    const r = await reliability();
    expect(r.codebookVersion).toBe(1);
    expect(r.codedUnderVersions).toEqual([1]);
    expect(row(r, 'impact')).toMatchObject({ codebook_versions: [{ version: 1, codings: VALUES }], mixed_versions: false });
    expect(row(r, 'frame')).toMatchObject({ codebook_versions: [{ version: 1, codings: 48 }], mixed_versions: false });
  });
});

describe('an ordinal scale treated as interval, set in the codebook', () => {
  let before: ReliabilityReport;
  beforeAll(async () => {
    before = await reliability();
  });

  it('needs a reason', async () => {
    const field = { ...CODEBOOK.fields[1]!, level: 'interval' };
    const res = await h.request(members.methodologist, 'PUT', `${base()}/codebook/fields/impact`, { baseVersion: 1, field });
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; details: { path: (string | number)[] }[] } }>(res);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(body.error.details)).toContain('levelReason');
  });

  it('makes a new version (the field has codings), whose note records the level and the reason', async () => {
    const field = { ...CODEBOOK.fields[1]!, level: 'interval', levelReason: REASON };
    const res = await h.request(members.methodologist, 'PUT', `${base()}/codebook/fields/impact`, { baseVersion: 1, field });
    expect(res.status, await res.clone().text()).toBe(200);
    const versions = await get<CodebookVersion[]>('/codebook/versions');
    expect(versions[0]).toMatchObject({ version: 2, current: true, note: `changed field "impact": measurement level ordinal → interval (reason: "${REASON}")` });
    // Version 1 is unchanged: the codings made under it keep their definition.
    const v1 = await get<{ fields: { key: string; level?: string }[] }>('/codebook?version=1');
    expect(v1.fields.find((x) => x.key === 'impact')!.level).toBeUndefined();
  });

  it('gives interval alpha (Krippendorff 2011: .849) with the reason, on the same codings', async () => {
    const r = await reliability();
    const impact = row(r, 'impact');
    expect(impact).toMatchObject({ level: 'interval', level_source: 'codebook', level_reason: REASON, n_pairable: 40 });
    expect(impact.value!.toFixed(3)).toBe('0.849');
    expect(impact.value).toBeCloseTo(INTERVAL_ALPHA, 12);
    // Every key the row had is still there; the frame field did not change.
    expect(Object.keys(impact)).toEqual(expect.arrayContaining(Object.keys(row(before, 'impact'))));
    expect(row(r, 'frame').value).toBe(row(before, 'frame').value);
    // The drill-down's row is the dashboard's.
    const drill = await get<FieldDrilldown>('/reliability/fields/impact?bootstrap=200');
    expect(drill.field).toEqual(impact);
  });

  it('the report says the codings were made under version 1, not the current version 2, and why impact is interval', async () => {
    const report = await get<Report>('/report?bootstrap=200');
    expect(report.codebook).toEqual({ name: CODEBOOK.name, version: 2, codedUnder: [1] });
    expect(report.methods).toContain(`Every coding used was made under the codebook "${CODEBOOK.name}", version 1;`);
    expect(report.methods).toContain('read with the field definitions of the current version, 2');
    expect(report.methods).not.toMatch(/under the codebook "[^"]+", version 2/);
    const impact = report.fields.find((x) => x.key === 'impact')!;
    expect(impact.paragraph).toMatch(/^Krippendorff's alpha \(interval\) for civic impact was \.85, /);
    expect(impact.paragraph).toContain(`The codebook treats civic impact (an ordinal scale) as interval: ${REASON}.`);
    const shown = companionCoefficients(impact.reliability);
    const apa = (v: number) => v.toFixed(2).replace(/^0\./, '.');
    expect(impact.paragraph).toContain(`With quadratic weights, which credit near misses on the scale, Fleiss' kappa was ${apa(shown.kappa!.value!)} and Gwet's AC2 ${apa(shown.ac!.value!)}.`);
    expect(impact.row.coefficient).toBe("Krippendorff's alpha (interval)");
    expect(report.fields.find((x) => x.key === 'frame')!.paragraph).not.toMatch(/Mixed|treats/);
  });

  it('the exports carry the level: KALPHA level 3 (interval) with the reason, and the codebook CSV', async () => {
    const sps = await get<string>('/export/spss-kalpha.sps?field=impact');
    expect(sps).toContain('/level = 3/');
    expect(sps).toContain(`* The codebook treats this ordinal field as interval: ${REASON}.`);
    expect(await get<string>('/export/spss-kalpha.sps?field=frame')).toContain('/level = 1/');
    const rows = csvRecords(await get<string>('/export/codebook.csv'));
    for (const r of rows.filter((x) => x.field_key === 'impact')) expect(r).toMatchObject({ level: 'interval', level_reason: REASON });
    for (const r of rows.filter((x) => x.field_key === 'frame')) expect(r).toMatchObject({ level: 'nominal', level_reason: '' });
  });
});

describe('codings made under mixed versions', () => {
  beforeAll(async () => {
    // Two more units, coded under version 2, with frames only: the frame field now mixes versions.
    for (const [u, id] of (await addItems(2, 'after the change')).entries()) await code(id, coders.map((_, c) => ({ frame: frameOf(u, c), impact: null })));
  }, 120_000);

  it('lists the versions per field and flags the field that mixes them', async () => {
    const r = await reliability();
    expect(r.codebookVersion).toBe(2);
    expect(r.codedUnderVersions).toEqual([1, 2]);
    expect(row(r, 'frame')).toMatchObject({ codebook_versions: [{ version: 1, codings: 48 }, { version: 2, codings: 8 }], mixed_versions: true, n_units: 14 });
    // Impact gained no codings: still the worked example, all under version 1.
    expect(row(r, 'impact')).toMatchObject({ codebook_versions: [{ version: 1, codings: VALUES }], mixed_versions: false });
    expect(row(r, 'impact').value).toBeCloseTo(INTERVAL_ALPHA, 12);
  });

  it('the report names both versions, the field that mixes them, and says so in its paragraph and the Markdown', async () => {
    const report = await get<Report>('/report?bootstrap=0');
    expect(report.codebook.codedUnder).toEqual([1, 2]);
    expect(report.methods).toContain(`The codings used were made under versions 1 and 2 of the codebook "${CODEBOOK.name}" (mixed versions within frame, see below)`);
    const frame = report.fields.find((x) => x.key === 'frame')!;
    expect(frame.paragraph).toContain('Mixed codebook versions: the codings of frame were made under versions 1 (48 codings) and 2 (8 codings).');
    expect(report.fields.find((x) => x.key === 'impact')!.paragraph).not.toContain('Mixed');
    const md = await get<string>('/report?format=md&bootstrap=0');
    expect(md).toContain(`Codebook "${CODEBOOK.name}", version 2; codings made under versions 1, 2 (mixed).`);
    expect(md).toContain(frame.paragraph!);
  });

  it('coders read no reliability, versions included', async () => {
    const res = await h.request(members.coder, 'GET', `${base()}/reliability?bootstrap=0`);
    expect(res.status).toBe(403);
  });
});
