/**
 * Reports and exports on the seeded demo study, through the real routes. The report's
 * numbers must be the reliability API's; every export layout must hold the cells of the
 * long/wide exports. The charts have their own file (charts.test.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codebookInput,
  fieldDefinitionSchema,
  type Codebook,
  type DiscussionEntry,
  type ErrorBody,
  type FieldDefinition,
  type Item,
  type ReliabilityReport,
  type Report,
  ITEM_EXPORT_COLUMNS,
} from '@concord/shared';
import { csvRecords, csvRows, expectedCode } from './export-expectations.ts';
import { createDemoHarness, DEMO_HARNESS_TIMEOUT_MS, PASSWORD, signInDemoAccounts, json, type Harness, type Session } from './harness.ts';

let h: Harness;
let projectId: string;
const demo: Record<string, Session> = {};

beforeAll(async () => {
  ({ h, projectId } = await createDemoHarness());
  Object.assign(demo, await signInDemoAccounts(h, PASSWORD));
}, DEMO_HARNESS_TIMEOUT_MS);
afterAll(() => h.close());

const api = (path: string) => `/api/projects/${projectId}${path}`;
async function get(path: string, who = 'owner') {
  const res = await h.request(demo[who]!, 'GET', api(path));
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
}
const text = async (path: string) => (await get(path)).text();
const rows = csvRows;
const records = csvRecords;

let codebook: Codebook;
const field = (key: string) => codebook.fields.find((f) => f.key === key)!;
beforeAll(async () => {
  codebook = await json<Codebook>(await get('/codebook'));
});

describe('reliability report', () => {
  let report: Report;
  let reliability: ReliabilityReport;
  beforeAll(async () => {
    report = await json<Report>(await get('/report'));
    reliability = await json<ReliabilityReport>(await get('/reliability'));
  });

  it("carries the reliability API's numbers, field by field", () => {
    expect(report.fields.map((f) => f.reliability)).toEqual(reliability.fields);
    expect(report.codebook).toEqual({ name: codebook.name, version: codebook.version, codedUnder: reliability.codedUnderVersions });
    expect(report.bootstrap).toEqual({ replicates: 1000, seed: 1 });
  });

  it('writes a methods paragraph whose numbers are the API values, rounded APA style', () => {
    const apa = (v: number) => {
      const s = Math.abs(v).toFixed(2).replace(/^0\./, '.');
      return v < 0 ? `-${s}` : s;
    };
    for (const f of report.fields) {
      const r = f.reliability;
      if (r.type === 'text') {
        expect(f.paragraph).toBeNull();
        continue;
      }
      const m = /^Krippendorff's alpha \(([^)]+)\) for (.+) was (-?\d*\.\d\d), 95% CI \[(-?\d*\.\d\d), (-?\d*\.\d\d)\], (\d+) items, (\d+) coders, (<1|\d+)% missing\./.exec(f.paragraph!);
      expect(m, f.paragraph!).not.toBeNull();
      const [, level, label, value, low, high, n, coders, missing] = m!;
      expect(level).toBe({ ordinal: 'ordinal', nominal: 'nominal', masi: 'MASI distance' }[r.level!]);
      expect(label!.toLowerCase()).toBe(r.label.toLowerCase());
      expect(value).toBe(apa(r.value!));
      expect([low, high]).toEqual([apa(r.ci!.low!), apa(r.ci!.high!)]);
      expect(Number(n)).toBe(r.n_units);
      expect(Number(coders)).toBe(r.n_coders);
      const pct = (100 * r.missing) / (r.n_units * r.n_coders);
      expect(missing).toBe(pct === 0 ? '0' : pct < 1 ? '<1' : String(Math.round(pct)));
      expect(f.row.value).toBe(apa(r.value!));
      expect(f.row.pBelow800).toBe(apa(r.p_below_800!));
    }
    const impact = report.fields.find((f) => f.key === 'civic_impact')!;
    expect(impact.paragraph).toMatch(/^Krippendorff's alpha \(ordinal\) for civic impact score was /);
    expect(report.methods).toContain('1,000 replicates, seed 1');
  });

  it('downloads as Markdown with the paragraphs, the table and the hash', async () => {
    const res = await get('/report?format=md');
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="reliability-report.md"');
    const md = await res.text();
    for (const f of report.fields) if (f.paragraph) expect(md).toContain(f.paragraph);
    const impact = report.fields.find((f) => f.key === 'civic_impact')!;
    expect(md).toContain(`| Civic impact score | Krippendorff's alpha (ordinal) | ${impact.row.value} | ${impact.row.ci} | 24 | 3 |`);
    expect(md).toContain(`SHA-256: \`${report.hash.value}\``);
    expect(md).toContain(`version ${codebook.version}`);
  });

  it('hashes the long export followed by the codebook export, as it says', async () => {
    const long = await text('/export/codings.csv?layout=long');
    const cb = await text('/export/codebook.json');
    expect(report.hash.value).toBe(createHash('sha256').update(long).update(cb).digest('hex'));
    expect(report.hash.covers).toContain('cat codings-long.csv codebook.json | sha256sum');
    expect((await json<Report>(await get('/report?bootstrap=0'))).hash.value).toBe(report.hash.value);
  });
});

describe('R and SPSS exports', () => {
  const SINGLE = ['civic_impact', 'dimension', 'element', 'platform', 'popularity'];
  /** The wide export's coder columns: after `unit` and the item's columns. */
  const coderCells = (row: string[]) => row.slice(1 + ITEM_EXPORT_COLUMNS.length);

  it.each(SINGLE)('irr and krippendorffsalpha hold the wide export of %s as numeric codes', async (key) => {
    const wide = rows(await text(`/export/codings.csv?layout=wide&field=${key}`));
    const res = await get(`/export/irr.csv?field=${key}`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="irr-${key}.csv"`);
    const irrText = await res.text();
    const irr = rows(irrText);
    expect(irr[0]).toEqual(['unit', ...coderCells(wide[0]!)]);
    expect(irr.length).toBe(wide.length);
    for (const [i, row] of wide.slice(1).entries()) {
      expect(irr[i + 1]![0]).toBe(row[0]);
      expect(irr[i + 1]!.slice(1)).toEqual(coderCells(row).map((cell) => expectedCode(field(key), cell) ?? 'NA'));
    }
    expect(await text(`/export/krippendorffsalpha.csv?field=${key}`)).toBe(irrText);
  });

  it.each(SINGLE)('SPSS KALPHA data and syntax hold the wide export of %s', async (key) => {
    const f = field(key);
    const wide = rows(await text(`/export/codings.csv?layout=wide&field=${key}`));
    const spss = rows(await text(`/export/spss-kalpha.csv?field=${key}`));
    const sps = await text(`/export/spss-kalpha.sps?field=${key}`);
    const coders = coderCells(wide[0]!);
    expect(coders).toEqual(['C1', 'C2', 'C3']);
    expect(spss[0]).toEqual(['unit', ...coders.map((_, i) => `c${i + 1}`)]);
    // The syntax names each column's coder (by pseudonym), in the wide export's order.
    const labels = [...sps.matchAll(/(c\d+) '([^']+)'/g)].filter((m) => /^C\d+$/.test(m[2]!)).map((m) => [m[1], m[2]]);
    expect(labels).toEqual(coders.map((pseudonym, i) => [`c${i + 1}`, pseudonym]));
    for (const [i, row] of wide.slice(1).entries()) {
      expect(spss[i + 1]).toEqual([row[0], ...coderCells(row).map((cell) => expectedCode(f, cell) ?? '')]);
    }
    expect(sps).toContain(`KALPHA judges = c1 c2 c3/level = ${f.type === 'ordinal' ? 2 : 1}/detail = 0/boot = 1000.`);
    expect(sps).toContain(`/FILE='spss-kalpha-${key}.csv'`);
    if (f.type === 'ordinal') for (const p of f.scale) expect(sps).toContain(`${p.value} '${p.label.replace(/'/g, "''")}'`);
    if (f.type === 'single_choice') f.options.forEach((o, i) => expect(sps).toContain(`${i + 1} '${o.label.replace(/'/g, "''")}'`));
  });

  it('refuses a multiple-choice or text field for the numeric layouts', async () => {
    for (const path of ['/export/irr.csv?field=narrative_frames', '/export/spss-kalpha.sps?field=subtext']) {
      const res = await h.request(demo.owner!, 'GET', api(path));
      expect(res.status).toBe(400);
      expect((await json<ErrorBody>(res)).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('tidycomm has one row per unit and coder with the long export values', async () => {
    const long = records(await text('/export/codings.csv?layout=long'));
    const tidy = records(await text('/export/tidycomm.csv'));
    const coded = codebook.fields.filter((f) => f.type !== 'text');
    expect(Object.keys(tidy[0]!)).toEqual(['unit', 'coder', ...coded.map((f) => f.key)]);
    const byKey = new Map(tidy.map((r) => [`${r.unit} ${r.coder}`, r]));
    expect(byKey.size).toBe(new Set(long.map((r) => `${r.unit} ${r.coder}`)).size);
    let checked = 0;
    for (const r of long) {
      const f = field(r.field!);
      if (f.type === 'text') continue;
      const expected = r.value === 'NA' ? (f.type === 'ordinal' || f.type === 'number' ? 'NA' : 'N/A') : r.value;
      expect(byKey.get(`${r.unit} ${r.coder}`)![r.field!]).toBe(expected);
      checked++;
    }
    expect(checked).toBe(24 * 3 * coded.length);
  });
});

describe('codebook exports', () => {
  it('JSON round-trips the codebook', async () => {
    const parsed = JSON.parse(await text('/export/codebook.json')) as { name: string; version: number; fields: unknown[] };
    expect(parsed.version).toBe(codebook.version);
    expect(codebookInput.parse({ name: parsed.name, fields: parsed.fields })).toEqual({ name: codebook.name, fields: codebook.fields });
  });

  it('CSV round-trips the codebook: one row per option or scale point, with parent and code', async () => {
    const csvRows = records(await text('/export/codebook.csv'));
    const fields: FieldDefinition[] = [];
    for (const key of [...new Set(csvRows.map((r) => r.field_key!))]) {
      const mine = csvRows.filter((r) => r.field_key === key);
      const head = mine[0]!;
      const base = { key, label: head.field_label, type: head.field_type, help: head.field_help, required: head.required === 'true', allowNa: head.allow_na === 'true' };
      const options = mine.filter((r) => r.kind === 'option').map((r) => ({ value: r.value, label: r.label, parent: r.parent || null, help: r.help }));
      const scale = mine.filter((r) => r.kind === 'scale_point').map((r) => ({ value: Number(r.value), label: r.label }));
      const extra =
        head.field_type === 'ordinal'
          ? { scale }
          : head.field_type === 'text'
            ? { maxLength: Number(head.max_length) }
            : head.field_type === 'number'
              ? { min: head.min ? Number(head.min) : null, max: head.max ? Number(head.max) : null, integer: head.integer === 'true' }
              : { options };
      fields.push(fieldDefinitionSchema.parse({ ...base, ...extra }));
      for (const r of mine.filter((x) => x.kind === 'option')) expect(Number(r.code)).toBe(options.findIndex((o) => o.value === r.value) + 1);
    }
    expect(fields).toEqual(codebook.fields);
    const frames = csvRows.filter((r) => r.field_key === 'narrative_frames');
    expect(frames.find((r) => r.value === 'protesters_terrorists')).toMatchObject({ parent: 'security_over_rights', kind: 'option' });
    expect(csvRows.filter((r) => r.field_key === 'dimension' && r.kind === 'na')).toEqual([expect.objectContaining({ value: 'NA', code: '5' })]);
  });
});

let items: Item[];
beforeAll(async () => {
  items = (await json<{ items: Item[] }>(await get('/items?limit=100'))).items;
});

describe('discussion and decisions export', () => {
  const COMMENT = 'Is this "satire", or not?\nSecond line, with a comma';
  beforeAll(async () => {
    const revealed = items.filter((i) => i.phase === 'revealed');
    const blind = items.find((i) => i.phase === 'independent')!;
    const send = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await h.request(demo[who]!, method, api(path), body);
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    };
    await send('editor', 'POST', `/items/${revealed[0]!.id}/comments`, { body: COMMENT, fieldKey: 'civic_impact' });
    await send('coder1', 'POST', `/items/${blind.id}/comments`, { body: 'blind remark, not for export' });
    await send('editor', 'PUT', `/items/${revealed[0]!.id}/adjudications/civic_impact`, { value: -1, rationale: 'first reading' });
    await send('editor', 'PUT', `/items/${revealed[0]!.id}/adjudications/civic_impact`, { value: -2, rationale: 'after the thread: harmful, not somewhat' });
    await send('editor', 'PUT', `/items/${revealed[1]!.id}/adjudications/dimension`, { value: 'speech', rationale: 'about speech' });
    await send('editor', 'POST', `/items/${revealed[1]!.id}/adjudications/dimension/reopen`);
  });

  it('gives every comment and decision step of revealed items, with who, when, value and rationale', async () => {
    const res = await get('/export/discussion.json');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="discussion.json"');
    const { entries } = await json<{ entries: DiscussionEntry[] }>(res);
    // People by pseudonym, no email: the project does not show names.
    const editor = entries[0]!.byName;
    expect(editor).toMatch(/^C\d+$/);
    expect(entries.every((e) => e.byEmail === null)).toBe(true);
    expect(entries.map((e) => [e.kind, e.fieldKey, e.text, e.value, e.status, e.byName])).toEqual([
      ['comment', 'civic_impact', COMMENT, null, null, editor],
      ['decide', 'civic_impact', 'first reading', '-1', 'decided', editor],
      ['revise', 'civic_impact', 'after the thread: harmful, not somewhat', '-2', 'decided', editor],
      ['decide', 'dimension', 'about speech', 'speech', 'decided', editor],
      ['reopen', 'dimension', 'about speech', 'speech', 'reopened', editor],
    ]);
    expect(entries.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    const csv = records(await text('/export/discussion.csv'));
    expect(csv.map((r) => [r.kind, r.unit, r.field, r.text, r.value, r.status, r.by_email, r.by_name, r.at])).toEqual(
      entries.map((e) => [e.kind, e.itemId, e.fieldKey ?? '', e.text, e.value ?? '', e.status ?? '', '', e.byName, e.at]),
    );
  });
});

describe('data hash', () => {
  const hash = async () => (await json<Report>(await get('/report?bootstrap=0'))).hash.value;

  it('changes when a submitted coding reveals an item, not before, and when the codebook changes', async () => {
    const before = await hash();
    expect(await hash()).toBe(before);
    const values = { narrative_frames: ['paid_trolls'], civic_impact: 1, dimension: 'information', element: 'methods' };
    // A blind item that coder2 has not submitted yet (so coder3 has not either).
    let target: Item | undefined;
    for (const item of items.filter((i) => i.phase === 'independent')) {
      const mine = await json<{ status: string }[]>(await get(`/items/${item.id}/codings/me`, 'coder2'));
      if (!mine.some((c) => c.status === 'submitted')) {
        target = item;
        break;
      }
    }
    expect(target).toBeDefined();
    for (const coder of ['coder2', 'coder3']) {
      expect((await h.request(demo[coder]!, 'PUT', api(`/items/${target!.id}/codings/me`), { values })).status).toBe(200);
      const res = await h.request(demo[coder]!, 'POST', api(`/items/${target!.id}/codings/me/submit`));
      expect(res.status).toBe(200);
      const { revealed } = await json<{ revealed: boolean }>(res);
      // Before the reveal the codings are not in the data: the hash stays.
      if (!revealed) expect(await hash()).toBe(before);
      else expect(coder).toBe('coder3');
    }
    const afterReveal = await hash();
    expect(afterReveal).not.toBe(before);

    const reactions = codebook.fields.find((f) => f.key === 'reactions')!;
    const edit = await h.request(demo.owner!, 'PUT', api('/codebook/fields/reactions'), {
      baseVersion: codebook.version,
      field: { ...reactions, help: 'How audiences responded, in comments and shares.' },
    });
    expect(edit.status, await edit.clone().text()).toBe(200);
    expect(await hash()).not.toBe(afterReveal);
  });
});
