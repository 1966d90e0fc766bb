/**
 * The field drill-down on the seeded demo study, through the real route: every number
 * equals `@concord/reliability` computed here, independently, on the exported wide CSV
 * (the whole export, one incident's rows of it, one pair or subset of its coder columns).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alphaDiagnostics,
  bootstrapAlpha,
  cohenKappa,
  fromRows,
  krippendorffAlpha,
  parseReliabilityCsv,
  percentAgreement,
  selectCoders,
  setAlpha,
  type AlphaLevel,
  type ReliabilityData,
  type SetReliabilityData,
} from '@concord/reliability';
import { RELIABLE_ALPHA, TENTATIVE_ALPHA, type FieldDefinition, type FieldDrilldown, type Item, type ReliabilityReport } from '@concord/shared';
import { createDemoHarness, DEMO_HARNESS_TIMEOUT_MS, PASSWORD, signInDemoAccounts, json, type Harness, type Session } from './harness.ts';
import { DEMO_CODEBOOK } from '../src/demo/codebook.ts';

const REPLICATES = 200;
let h: Harness;
let projectId: string;
const demo: Record<string, Session> = {};
const pseudonyms = new Map<string, string>();
/** The export's column of the coder the API names by email. */
const column = (data: { coders: readonly string[] }, email: string) => data.coders.indexOf(pseudonyms.get(email)!);

beforeAll(async () => {
  ({ h, projectId } = await createDemoHarness());
  Object.assign(demo, await signInDemoAccounts(h, PASSWORD));
  // Exports name coders by pseudonym; the owner's key says who is who (pseudonym,…,email).
  const key = await (await h.request(demo.owner!, 'GET', api('/export/coder-key.csv'))).text();
  for (const line of key.trim().split('\r\n').slice(1)) pseudonyms.set(line.split(',')[3]!, line.split(',')[0]!);
}, DEMO_HARNESS_TIMEOUT_MS);
afterAll(() => h.close());

const api = (path: string) => `/api/projects/${projectId}${path}`;
const get = async <T>(path: string, who = 'editor'): Promise<T> => {
  const res = await h.request(demo[who]!, 'GET', api(path));
  expect(res.status, await res.clone().text()).toBe(200);
  return json<T>(res);
};
const drilldown = (key: string, query = '') => get<FieldDrilldown>(`/reliability/fields/${key}?bootstrap=${REPLICATES}${query}`);
const wideCsv = async (field: string) => (await h.request(demo.editor!, 'GET', api(`/export/codings.csv?layout=wide&field=${field}`))).text();

const fieldOf = (key: string) => DEMO_CODEBOOK.fields.find((f) => f.key === key) as FieldDefinition;
/** The categories the API declares: codebook order, N/A last for choice fields (not a scale point). */
const categoriesOf = (f: FieldDefinition) =>
  f.type === 'ordinal' ? f.scale.map((p) => String(p.value)) : f.type === 'single_choice' || f.type === 'multiple_choice' ? [...f.options.map((o) => o.value), ...(f.allowNa ? ['NA'] : [])] : [];
const levelOf = (f: FieldDefinition): AlphaLevel => (f.type === 'ordinal' ? 'ordinal' : f.type === 'number' ? 'interval' : 'nominal');

/** The export's lines whose unit is in `units` (all of them without a filter). */
const rowsOf = (csv: string, units?: Set<string>) => {
  const [header, ...lines] = csv.trim().split('\r\n');
  return [header!, ...lines.filter((l) => !units || units.has(l.split(',')[0]!))].join('\n');
};
const singleData = (csv: string, f: FieldDefinition) => parseReliabilityCsv(csv, { categories: categoriesOf(f) }).data as ReliabilityData;
const setData = (csv: string, f: FieldDefinition) => parseReliabilityCsv(csv, { sets: true, categories: categoriesOf(f) }).data as SetReliabilityData;

describe('drill-down of single-valued fields', () => {
  it.each(['civic_impact', 'dimension', 'popularity'])('%s: its row equals /reliability, and values, pairs and coders equal the library on the wide export', async (key) => {
    const f = fieldOf(key);
    const level = levelOf(f);
    const [d, report] = await Promise.all([drilldown(key), get<ReliabilityReport>(`/reliability?field=${key}&bootstrap=${REPLICATES}`)]);
    expect(d.field).toEqual(report.fields[0]);
    expect(d.coders.map((c) => c.email)).toEqual(report.coders.map((c) => c.email));

    const data = singleData(await wideCsv(key), f);
    const diagnostics = alphaDiagnostics({ data, level });
    expect(d.field.value).toBe(diagnostics.alpha.value);
    expect(d.values.map((v) => [v.value, v.alpha, v.count])).toEqual(
      diagnostics.perCategory.map((p, c) => [p.category, p.alpha, diagnostics.categoryCounts[c]]),
    );
    const total = d.values.reduce((s, v) => s + v.count, 0);
    expect(total).toBe(d.field.n_pairable);
    for (const v of d.values) expect(v.prevalence).toBeCloseTo(v.count / total, 12);

    expect(d.pairs).toHaveLength(3);
    for (const p of d.pairs) {
      const pair = selectCoders(data, [column(data, p.a), column(data, p.b)]);
      expect(p.alpha).toBe(krippendorffAlpha({ data: pair, level }).value);
      expect(p.kappa).toBe(cohenKappa({ data: pair }).value);
      expect(p.kappa_quadratic).toBe(level === 'nominal' ? null : cohenKappa({ data: pair, weights: 'quadratic' }).value);
      expect(p.percent_agreement).toBe(percentAgreement({ data: pair }).value);
      expect(p.n_units).toBe(24);
    }
    for (const r of d.vsRest) {
      const rest = data.coders.map((_, i) => i).filter((i) => i !== column(data, r.coder));
      const without = krippendorffAlpha({ data: selectCoders(data, rest), level }).value;
      expect(r.alpha_without).toBe(without);
      expect(r.effect).toBeCloseTo(d.field.value! - without!, 12);
      const mine = d.pairs.filter((p) => p.a === r.coder || p.b === r.coder);
      expect(r.mean_pair_alpha).toBeCloseTo((mine[0]!.alpha! + mine[1]!.alpha!) / 2, 12);
      expect(r.n_units).toBe(24);
    }
    // The demo's fields are not dominated by one value: no prevalence warning.
    expect(d.field.prevalence_warning).toBeNull();
  });

  it('per incident equals the library on that incident\'s rows of the export, bootstrap interval included', async () => {
    const f = fieldOf('civic_impact');
    const d = await drilldown('civic_impact');
    const items = await get<{ items: Item[] }>('/items?limit=100&phase=revealed');
    const { incidents } = await get<{ incidents: { id: string; name: string }[] }>('/incidents');
    expect(d.incidents.map((i) => i.label)).toEqual(incidents.map((i) => i.name));
    const csv = await wideCsv('civic_impact');
    for (const incident of d.incidents) {
      const units = new Set(items.items.filter((i) => i.incidentId === incident.key).map((i) => i.id));
      const data = singleData(rowsOf(csv, units), f);
      const boot = bootstrapAlpha({ data, level: 'ordinal', replicates: REPLICATES, seed: 1, confidence: 0.95, thresholds: [RELIABLE_ALPHA, TENTATIVE_ALPHA] });
      expect(incident).toMatchObject({
        value: krippendorffAlpha({ data, level: 'ordinal' }).value,
        ci: { low: boot.low, high: boot.high, level: 0.95 },
        n_units: 12,
        n_coders: 3,
        percent_agreement: percentAgreement({ data }).value,
      });
      expect(incident.value).not.toBe(d.field.value);
      // The same as the report filtered to the incident.
      const filtered = await get<ReliabilityReport>(`/reliability?field=civic_impact&incident=${incident.key}&bootstrap=${REPLICATES}`);
      expect(filtered.fields[0]!.value).toBe(incident.value);
      expect(filtered.fields[0]!.ci).toEqual(incident.ci);
    }
  });

  it('shows drift by week of reveal when the project has one round (the demo: one week, the whole study)', async () => {
    const d = await drilldown('civic_impact');
    expect(d.drift.by).toBe('week');
    expect(d.drift.points).toHaveLength(1);
    expect(d.drift.points[0]).toMatchObject({ value: d.field.value, ci: d.field.ci, n_units: 24 });
    expect(d.drift.points[0]!.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${d.drift.points[0]!.key!}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('applies the coders filter: one pair, no coder-against-rest coefficient', async () => {
    const d = await drilldown('dimension', '&coders=coder1@demo.concord,coder3@demo.concord');
    expect(d.coders.map((c) => c.email)).toEqual(['coder1@demo.concord', 'coder3@demo.concord']);
    expect(d.pairs.map((p) => [p.a, p.b])).toEqual([['coder1@demo.concord', 'coder3@demo.concord']]);
    expect(d.vsRest.every((r) => r.alpha_without === null)).toBe(true);
    expect(d.field.value).toBe(d.pairs[0]!.alpha);
  });
});

describe('drill-down of a multiple-choice field', () => {
  it('narrative frames: MASI alpha per pair and without each coder, and per frame the alpha of "has it" against "has it not"', async () => {
    const f = fieldOf('narrative_frames');
    const d = await drilldown('narrative_frames');
    const data = setData(await wideCsv('narrative_frames'), f);
    expect(d.field.value).toBe(setAlpha({ data, distance: 'masi' }).value);
    for (const p of d.pairs) {
      const pair = selectCoders(data, [column(data, p.a), column(data, p.b)]);
      expect(p).toMatchObject({ alpha: setAlpha({ data: pair, distance: 'masi' }).value, kappa: null, kappa_quadratic: null, percent_agreement: percentAgreement({ data: pair }).value });
    }
    for (const r of d.vsRest) {
      const rest = data.coders.map((_, i) => i).filter((i) => i !== column(data, r.coder));
      expect(r.alpha_without).toBe(setAlpha({ data: selectCoders(data, rest), distance: 'masi' }).value);
    }
    expect(d.values.map((v) => v.value)).toEqual(data.categories);
    for (const [c, v] of d.values.entries()) {
      const presence = Array.from({ length: data.nUnits }, (_, u) =>
        Array.from({ length: data.nCoders }, (_, k) => {
          const set = data.values[u * data.nCoders + k]!;
          return set < 0 ? null : data.sets[set]!.includes(c) ? 'yes' : 'no';
        }),
      );
      expect(v.alpha).toBe(krippendorffAlpha({ data: fromRows({ rows: presence, categories: ['no', 'yes'] }) }).value);
      expect(v.count).toBe(presence.flat().filter((x) => x === 'yes').length);
    }
    expect(d.values.find((v) => v.value === 'speech_criminalised')!.count).toBeGreaterThan(0);
  });
});

describe('cost', () => {
  it('answers a repeated dashboard call with the same figures (from the cache; bench/reliability-dashboard.ts measures the speed)', async () => {
    const timed = async (path: string) => {
      const t = performance.now();
      const body = await get<FieldDrilldown>(path);
      return { body, ms: performance.now() - t };
    };
    const cold = await timed('/reliability/fields/element');
    const warm = await timed('/reliability/fields/element');
    console.info(`drill-down on the demo study: cold ${cold.ms.toFixed(0)} ms, warm ${warm.ms.toFixed(0)} ms`);
    // No timing assertion: on a loaded machine a cached call can still be the slower one.
    expect(warm.body).toEqual(cold.body);
  });
});
