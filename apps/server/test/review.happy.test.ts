/**
 * Reliability, the disagreement inbox and adjudication on the seeded demo study, through
 * the real routes. The reliability numbers must equal the library's and the CLI's on the
 * exported long CSV of the field; adjudication must leave the codings export byte-identical.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { asc, eq } from 'drizzle-orm';
import { auditLog } from '@concord/db';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alphaByHierarchyLevel, fleissKappa, gwetAC, multiValuedAlpha, parseReliabilityCsv } from '@concord/reliability';
import { runReliabilityCli } from '@concord/reliability/cli';
import { ROLES, type Adjudication, type Disagreement, type FieldDefinition, type ReliabilityReport, type Role } from '@concord/shared';
import { createDemoHarness, DEMO_HARNESS_TIMEOUT_MS, PASSWORD, signInDemoAccounts, createProjectFixture, json, signUp, type Harness, type Session } from './harness.ts';
import { DEMO_CODEBOOK } from '../src/demo/codebook.ts';

let h: Harness;
let projectId: string;
let tmp: string;
const demo: Record<string, Session> = {};

beforeAll(async () => {
  ({ h, projectId } = await createDemoHarness());
  Object.assign(demo, await signInDemoAccounts(h, PASSWORD));
  tmp = mkdtempSync(join(tmpdir(), 'concord-review-'));
}, DEMO_HARNESS_TIMEOUT_MS);
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await h.close();
});

const api = (path: string) => `/api/projects/${projectId}${path}`;
const wideCsv = async (field: string) => (await h.request(demo.editor!, 'GET', api(`/export/codings.csv?layout=wide&field=${field}`))).text();
/** One field's codings, long: `unit,coder,field,value` and the item's columns, which readers find by name. */
const longCsv = async (field: string) => (await h.request(demo.editor!, 'GET', api(`/export/codings.csv?layout=long&field=${field}`))).text();
const LONG = ['--layout', 'long'];

async function cli(csv: string, args: string[]) {
  const file = join(tmp, `${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  let out = '';
  let err = '';
  const code = await runReliabilityCli([file, ...args, '--json'], { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  expect(code, err).toBe(0);
  return JSON.parse(out) as { metric: string; level: string | null; value: number | null; n_units: number; n_coders: number; n_pairable: number; ci: unknown };
}

const fieldOf = (key: string) => DEMO_CODEBOOK.fields.find((f) => f.key === key) as FieldDefinition;
const categoriesOf = (f: FieldDefinition, withNa: boolean) =>
  f.type === 'ordinal' ? f.scale.map((p) => String(p.value)) : f.type === 'single_choice' || f.type === 'multiple_choice' ? [...f.options.map((o) => o.value), ...(withNa && f.allowNa ? ['NA'] : [])] : [];

describe('reliability API', () => {
  let report: ReliabilityReport;

  beforeAll(async () => {
    const res = await h.request(demo.owner!, 'GET', api('/reliability'));
    expect(res.status).toBe(200);
    report = await json<ReliabilityReport>(res);
  });

  it('reports every codebook field, text fields without a coefficient, on the 24 revealed items only', () => {
    expect(report.fields.map((f) => f.key)).toEqual(DEMO_CODEBOOK.fields.map((f) => f.key));
    for (const f of report.fields.filter((r) => r.type === 'text')) expect(f).toMatchObject({ metric: null, value: null });
    const coded = report.fields.filter((f) => f.type !== 'text');
    for (const f of coded) expect(f).toMatchObject({ n_units: 24, n_coders: 3, metric: 'krippendorff-alpha' });
    expect(report.bootstrap).toEqual({ replicates: 1000, seed: 1 });
  });

  it.each([
    ['civic_impact', ['--level', 'ordinal']],
    ['popularity', ['--level', 'ordinal']],
    ['dimension', ['--level', 'nominal']],
    ['element', ['--level', 'nominal']],
    ['platform', ['--level', 'nominal']],
    ['narrative_frames', ['--distance', 'masi']],
    ['sources', ['--distance', 'masi']],
  ] as const)('gives for %s exactly what `concord reliability` gives on the long export', async (key, levelArgs) => {
    const field = fieldOf(key);
    const row = report.fields.find((f) => f.key === key)!;
    const categories = categoriesOf(field, true).join(',');
    const out = await cli(await longCsv(key), [...LONG, ...levelArgs, '--categories', categories, '--bootstrap', '1000', '--seed', '1']);
    expect({ metric: row.metric, level: row.level, value: row.value, ci: row.ci, n_units: row.n_units, n_coders: row.n_coders, n_pairable: row.n_pairable }).toEqual({
      metric: out.metric,
      level: out.level,
      value: out.value,
      ci: out.ci,
      n_units: out.n_units,
      n_coders: out.n_coders,
      n_pairable: out.n_pairable,
    });
    expect(row.value).not.toBeNull();
    expect(row.ci!.low!).toBeLessThanOrEqual(row.value!);
    expect(row.ci!.high!).toBeGreaterThanOrEqual(row.value!);
    expect(row.p_below_800).toBeGreaterThanOrEqual(0);
  });

  it('gives the kappa family and the per-level alphas the library gives on the same export', async () => {
    const impact = report.fields.find((f) => f.key === 'civic_impact')!;
    const impactData = parseReliabilityCsv(await longCsv('civic_impact'), { layout: 'long', categories: categoriesOf(fieldOf('civic_impact'), false) }).data;
    const other = (metric: string, weights: string) => impact.others.find((o) => o.metric === metric && o.weights === weights)?.value;
    expect(other('fleiss-kappa', 'unweighted')).toBe(fleissKappa({ data: impactData }).value);
    expect(other('fleiss-kappa', 'quadratic')).toBe(fleissKappa({ data: impactData, weights: 'quadratic' }).value);
    expect(other('gwet-ac', 'quadratic')).toBe(gwetAC({ data: impactData, weights: 'quadratic' }).value);
    expect((await cli(await longCsv('civic_impact'), [...LONG, '--metric', 'gwet-ac', '--weights', 'linear', '--categories', categoriesOf(fieldOf('civic_impact'), false).join(',')])).value).toBe(
      gwetAC({ data: impactData, weights: 'linear' }).value,
    );

    const frames = report.fields.find((f) => f.key === 'narrative_frames')!;
    const frameField = fieldOf('narrative_frames');
    const framesData = parseReliabilityCsv(await longCsv('narrative_frames'), { layout: 'long', sets: true, categories: categoriesOf(frameField, true) }).data;
    expect(frames.others.find((o) => o.metric === 'multi-valued-alpha')?.value).toBe(multiValuedAlpha({ data: framesData }).value);
    const parents = new Map(frameField.type === 'multiple_choice' ? frameField.options.flatMap((o) => (o.parent ? [[o.value, o.parent] as const] : [])) : []);
    const levels = alphaByHierarchyLevel({ data: framesData, parentOf: parents });
    expect(frames.others.filter((o) => o.depth !== null).map((o) => [o.depth, o.value])).toEqual(levels.map((l) => [l.depth, l.alpha.value]));
    // One alpha per depth of the codebook's hierarchy (1: the parent frames), from the top down.
    const depthOf = (value: string): number => (parents.has(value) ? 1 + depthOf(parents.get(value)!) : 1);
    const depths = frameField.type === 'multiple_choice' ? new Set(frameField.options.map((o) => depthOf(o.value))) : new Set<number>();
    expect(levels.map((l) => l.depth)).toEqual([...depths].sort((x, y) => x - y));
  });

  it('is reproducible, and filters by field, incident and coders', async () => {
    const again = await json<ReliabilityReport>(await h.request(demo.owner!, 'GET', api('/reliability')));
    expect(again.fields).toEqual(report.fields);

    const one = await json<ReliabilityReport>(await h.request(demo.owner!, 'GET', api('/reliability?field=civic_impact&bootstrap=0')));
    expect(one.fields).toHaveLength(1);
    expect(one.fields[0]).toMatchObject({ value: report.fields.find((f) => f.key === 'civic_impact')!.value, ci: null, p_below_800: null });

    const { incidents } = await json<{ incidents: { id: string }[] }>(await h.request(demo.owner!, 'GET', api('/incidents')));
    const byIncident = await json<ReliabilityReport>(await h.request(demo.owner!, 'GET', api(`/reliability?field=civic_impact&incident=${incidents[0]!.id}&bootstrap=0`)));
    expect(byIncident.fields[0]!.n_units).toBe(12);

    const pair = `coder1@demo.concord,${report.coders.find((c) => c.email.startsWith('coder2'))!.id}`;
    const two = await json<ReliabilityReport>(await h.request(demo.owner!, 'GET', api(`/reliability?field=dimension&coders=${pair}&bootstrap=0`)));
    expect(two.coders.map((c) => c.email)).toEqual(['coder1@demo.concord', 'coder2@demo.concord']);
    // The files name coders by pseudonym; the owner's key says which are coder1 and coder2.
    const key = parse(await (await h.request(demo.owner!, 'GET', api('/export/coder-key.csv'))).text(), { columns: true }) as Record<string, string>[];
    const chosen = ['coder1@demo.concord', 'coder2@demo.concord'].map((email) => key.find((k) => k.email === email)!.pseudonym!);
    const long = parse(await longCsv('dimension')) as string[][];
    const csv = [long[0]!, ...long.slice(1).filter((r) => chosen.includes(r[1]!))].map((r) => r.slice(0, 4).join(',')).join('\n');
    const data = parseReliabilityCsv(csv, { layout: 'long', categories: categoriesOf(fieldOf('dimension'), true) }).data;
    const kappa = two.fields[0]!.others.find((o) => o.metric === 'cohen-kappa');
    const cliKappa = await cli(csv, [...LONG, '--metric', 'cohen-kappa', '--categories', categoriesOf(fieldOf('dimension'), true).join(',')]);
    expect(data.coders).toEqual(chosen);
    expect(kappa?.value).toBe(cliKappa.value);
  });
});

describe('disagreement inbox', () => {
  it('lists revealed disagreements of the demo, most severe first, never a blind item', async () => {
    const res = await h.request(demo.editor!, 'GET', api('/disagreements'));
    expect(res.status).toBe(200);
    const { disagreements, total } = await json<{ disagreements: Disagreement[]; total: number }>(res);
    expect(total).toBeGreaterThan(20);
    const blind = await json<{ items: { id: string }[] }>(await h.request(demo.editor!, 'GET', api('/items?phase=independent&limit=100')));
    const blindIds = new Set(blind.items.map((i) => i.id));
    expect(disagreements.some((d) => blindIds.has(d.itemId))).toBe(false);
    for (let i = 1; i < disagreements.length; i++) expect(disagreements[i - 1]!.severity).toBeGreaterThanOrEqual(disagreements[i]!.severity);
    for (const d of disagreements) {
      expect(d.values.length).toBeGreaterThanOrEqual(2);
      expect(new Set(d.values.map((v) => JSON.stringify(v.value))).size).toBeGreaterThan(1);
      expect(['subtext', 'context', 'reactions']).not.toContain(d.fieldKey);
    }
    const impact = await json<{ disagreements: Disagreement[] }>(await h.request(demo.editor!, 'GET', api('/disagreements?field=civic_impact&coder=coder3@demo.concord')));
    expect(impact.disagreements.length).toBeGreaterThan(0);
    for (const d of impact.disagreements) {
      expect(d.fieldKey).toBe('civic_impact');
      expect(d.values.some((v) => v.email === 'coder3@demo.concord')).toBe(true);
      const scores = d.values.map((v) => v.value as number);
      expect(d.severity).toBeCloseTo((Math.max(...scores) - Math.min(...scores)) / 6, 12);
    }
  });

  it('groups by item and pages over whole items (issue 13, item 6): each item once, its rows together, items by their most severe row', async () => {
    type Inbox = { disagreements: Disagreement[]; total: number; itemTotal: number };
    const get = async (query: string) => json<Inbox>(await h.request(demo.editor!, 'GET', api(`/disagreements?${query}`)));
    const flat = await get('limit=5000');
    const all = await get('group=item&limit=5000');
    expect(all.total).toBe(flat.total);
    expect(all.itemTotal).toBe(new Set(flat.disagreements.map((d) => d.itemId)).size);
    expect(all.itemTotal).toBeGreaterThan(5);
    expect(all.disagreements).toHaveLength(flat.total);
    // Each item's rows are consecutive, and items come in the order of their most severe row.
    const order: string[] = [];
    for (const d of all.disagreements) {
      if (order.at(-1) === d.itemId) continue;
      expect(order).not.toContain(d.itemId);
      order.push(d.itemId);
    }
    expect(order).toHaveLength(all.itemTotal);
    const worst = order.map((id) => Math.max(...all.disagreements.filter((d) => d.itemId === id).map((d) => d.severity)));
    for (let i = 1; i < worst.length; i++) expect(worst[i - 1]).toBeGreaterThanOrEqual(worst[i]!);
    // Pages of 5 items never split one, and together they are the whole grouped list.
    const paged: Disagreement[] = [];
    for (let offset = 0; offset < all.itemTotal; offset += 5) {
      const page = await get(`group=item&limit=5&offset=${offset}`);
      expect(page).toMatchObject({ total: all.total, itemTotal: all.itemTotal });
      expect(new Set(page.disagreements.map((d) => d.itemId)).size).toBe(Math.min(5, all.itemTotal - offset));
      paged.push(...page.disagreements);
    }
    expect(paged.map((d) => `${d.itemId}/${d.fieldKey}`)).toEqual(all.disagreements.map((d) => `${d.itemId}/${d.fieldKey}`));
  });

  it('ranks by the field distance: far scale points, then different parents, then parent against child', async () => {
    const roles = await Promise.all(ROLES.map((r) => signUp(h, r)));
    const members = Object.fromEntries(ROLES.map((r, i) => [r, roles[i]!])) as Record<Role, Session>;
    const coderB = await signUp(h, 'coderB');
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const item = async (title: string) => {
      const res = await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/items`, { title });
      const id = (await json<{ id: string }>(res)).id;
      await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/assignments`, {
        roundName: title,
        coderIds: [members.coder.userId, coderB.userId],
        itemIds: [id],
        mode: { type: 'k', k: 2 },
        seed: 1,
      });
      return id;
    };
    const code = async (itemId: string, a: Record<string, unknown>, b: Record<string, unknown>) => {
      for (const [s, values] of [[members.coder, a], [coderB, b]] as const) {
        expect((await h.request(s, 'PUT', `/api/projects/${f.projectId}/items/${itemId}/codings/me`, { values })).status).toBe(200);
        expect((await h.request(s, 'POST', `/api/projects/${f.projectId}/items/${itemId}/codings/me/submit`)).status).toBe(200);
      }
    };
    const far = await item('far');
    const near = await item('near');
    await code(f.itemId, { frame: 'security', impact: 0 }, { frame: 'protesters_terrorists', impact: 0 });
    await code(far, { frame: 'leader', impact: -3 }, { frame: 'leader', impact: 3 });
    await code(near, { frame: 'security', impact: -1 }, { frame: 'leader', impact: 0 });
    const { disagreements } = await json<{ disagreements: Disagreement[] }>(await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/disagreements`));
    expect(disagreements.map((d) => [d.itemId, d.fieldKey, d.severity])).toEqual([
      [far, 'impact', 1],
      [near, 'frame', 1],
      [f.itemId, 'frame', 0.5],
      [near, 'impact', 1 / 6],
    ]);
  });
});

describe('adjudication', () => {
  it('records a decision and a revision, reopens, keeps every step in the audit log, and never touches the codings', async () => {
    const longBefore = await (await h.request(demo.editor!, 'GET', api('/export/codings.csv?layout=long'))).text();
    const wideBefore = await wideCsv('civic_impact');
    const reliabilityBefore = await (await h.request(demo.owner!, 'GET', api('/reliability?bootstrap=200'))).text();
    const { disagreements } = await json<{ disagreements: Disagreement[] }>(await h.request(demo.editor!, 'GET', api('/disagreements?field=civic_impact&limit=2')));
    const [first, second] = disagreements;
    const url = (d: Disagreement) => api(`/items/${d.itemId}/adjudications/civic_impact`);

    const decided = await h.request(demo.editor!, 'PUT', url(first!), { value: 1, rationale: 'The post mocks the official line.' });
    expect(decided.status).toBe(200);
    expect(await json<Adjudication>(decided)).toMatchObject({ itemId: first!.itemId, fieldKey: 'civic_impact', value: 1, status: 'decided', codebookVersion: 1 });
    const revised = await json<Adjudication>(await h.request(demo.owner!, 'PUT', url(first!), { value: 2, rationale: 'Second reading: clearly beneficial.' }));
    expect(revised).toMatchObject({ value: 2, status: 'decided' });
    expect((await h.request(demo.editor!, 'PUT', url(second!), { value: -2, rationale: 'Consensus.' })).status).toBe(200);
    const reopened = await h.request(demo.editor!, 'POST', `${url(second!)}/reopen`);
    expect(await json<Adjudication>(reopened)).toMatchObject({ status: 'reopened', value: -2 });

    expect(await (await h.request(demo.editor!, 'GET', api('/export/codings.csv?layout=long'))).text()).toBe(longBefore);
    expect(await wideCsv('civic_impact')).toBe(wideBefore);
    expect(await (await h.request(demo.owner!, 'GET', api('/reliability?bootstrap=200'))).text()).toBe(reliabilityBefore);

    const gold = await json<Adjudication[]>(await h.request(demo.owner!, 'GET', api('/adjudications')));
    expect(gold.map((a) => [a.itemId, a.value])).toEqual([[first!.itemId, 2]]);
    const all = await json<Adjudication[]>(await h.request(demo.owner!, 'GET', api('/adjudications?status=all')));
    expect(all).toHaveLength(2);
    // The gold file: the decision with its rationale, among the values the coders agreed on; no email.
    const goldCsv = await (await h.request(demo.owner!, 'GET', api('/export/gold.csv'))).text();
    expect(goldCsv.split('\r\n')[0]).toBe('unit,field,value,provenance,rationale,decided_by,decided_at,codebook_version,external_id,title,incidents,platform,published_at,url');
    expect(goldCsv).not.toContain('@demo.concord');
    const goldRows = parse(goldCsv, { columns: true }) as Record<string, string>[];
    expect(goldRows.filter((r) => r.provenance === 'decided').map((r) => [r.unit, r.field, r.value, r.rationale])).toEqual([
      [first!.itemId, 'civic_impact', '2', 'Second reading: clearly beneficial.'],
    ]);
    expect(goldRows.find((r) => r.provenance === 'decided')!.decided_by).toMatch(/^C\d+$/);
    expect(goldRows.some((r) => r.unit === second!.itemId && r.field === 'civic_impact' && r.provenance === 'decided')).toBe(false);
    expect(goldRows.filter((r) => r.provenance !== 'decided').every((r) => ['unanimous', 'majority', 'single'].includes(r.provenance!))).toBe(true);
    const wideGold = await h.request(demo.owner!, 'GET', api('/export/gold.csv?layout=wide'));
    expect(wideGold.status).toBe(308);
    expect(wideGold.headers.get('location')).toBe(api('/export/final.csv'));

    const inbox = await json<{ disagreements: Disagreement[] }>(await h.request(demo.editor!, 'GET', api('/disagreements?field=civic_impact&status=open')));
    expect(inbox.disagreements.some((d) => d.itemId === first!.itemId)).toBe(false);
    expect(inbox.disagreements.some((d) => d.itemId === second!.itemId)).toBe(true);

    const steps = await h.deps.database.db.select().from(auditLog).where(eq(auditLog.entity, 'adjudication')).orderBy(asc(auditLog.id));
    expect(steps.map((s) => [s.entityId, s.action])).toEqual([
      [`${first!.itemId}:civic_impact`, 'decide'],
      [`${first!.itemId}:civic_impact`, 'revise'],
      [`${second!.itemId}:civic_impact`, 'decide'],
      [`${second!.itemId}:civic_impact`, 'reopen'],
    ]);
    expect(steps[0]!.before).toBeNull();
    expect(steps[1]).toMatchObject({ before: { value: 1, status: 'decided' }, after: { value: 2, status: 'decided' } });
    expect(steps[3]).toMatchObject({ before: { status: 'decided' }, after: { status: 'reopened', value: -2 } });
  });
});
