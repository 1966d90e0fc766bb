/**
 * The exports a study publishes (issue 14, items 1-3), through the real routes on a small
 * project whose every value is known: the final dataset and each provenance, blind items
 * left open, the item columns in every per-item file, coder pseudonyms (stable, in order of
 * first coding, never an email; names only when the owner turns them on, with an audit
 * entry), the owner-only key, `?bom=1`, and the XLSX files read back with exceljs.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, items } from '@concord/db';
import { EXPORT_FILES, ITEM_EXPORT_COLUMNS, type FinalDataset, type Role, type ErrorBody } from '@concord/shared';
import { addToProject, createHarness, json, signUp, signUpTeam, SMALL_CODEBOOK, type Harness, type Session } from './harness.ts';

let h: Harness;
let team: Record<Role, Session>;
let coders: Session[];
let projectId: string;
let incident: { id: string; name: string };
const item: Record<'agreed' | 'split' | 'single' | 'blind', { id: string; title: string; externalId: string }> = {} as never;

async function call(who: Session, method: string, path: string, body?: unknown) {
  const res = await h.request(who, method, `/api/projects/${projectId}${path}`, body);
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return res;
}
const text = async (path: string, who: Session = team.owner) => (await call(who, 'GET', path)).text();
const records = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

async function code(coder: Session, itemId: string, values: Record<string, unknown>, submit = true) {
  await call(coder, 'PUT', `/items/${itemId}/codings/me`, { values });
  if (submit) await call(coder, 'POST', `/items/${itemId}/codings/me/submit`);
}

beforeAll(async () => {
  h = await createHarness();
  team = await signUpTeam(h);
  coders = [team.coder, await signUp(h, 'second_coder'), await signUp(h, 'third_coder')];
  const project = await json<{ id: string }>(await h.request(team.owner, 'POST', '/api/projects', { name: 'Final dataset', description: '' }));
  projectId = project.id;
  for (const [who, role] of [[team.editor, 'editor'], [team.methodologist, 'methodologist'], ...coders.map((c) => [c, 'coder'] as const)] as const) {
    await addToProject(h, team.owner, projectId, who, role);
  }
  await call(team.owner, 'PUT', '/codebook', { ...SMALL_CODEBOOK, baseVersion: 1 });
  incident = await json(await call(team.editor, 'POST', '/incidents', { name: 'Арест после январских протестов', description: '' }));
  const titles = { agreed: 'Пост об аресте', split: 'A post, "quoted"', single: 'One coder only', blind: 'Still blind' } as const;
  for (const [key, title] of Object.entries(titles) as [keyof typeof titles, string][]) {
    const created = await json<{ id: string }>(
      await call(team.editor, 'POST', '/items', {
        title,
        externalId: `ext-${key}`,
        platform: 'telegram',
        url: `https://example.org/${key}`,
        publishedAt: '2026-01-05T10:00:00.000Z',
        incidentId: incident.id,
      }),
    );
    item[key] = { id: created.id, title, externalId: `ext-${key}` };
  }
  const assign = (name: string, itemIds: string[], who: Session[]) =>
    call(team.owner, 'POST', '/assignments', { roundName: name, coderIds: who.map((c) => c.userId), itemIds, mode: { type: 'k', k: who.length }, seed: 1 });
  await assign('three coders', [item.agreed.id, item.split.id], coders);
  await assign('one coder', [item.single.id], [coders[1]!]);
  await assign('blind', [item.blind.id], [coders[0]!, coders[2]!]);
  // The third coder codes first (C1), then the second (C2), then the first (C3).
  await code(coders[2]!, item.agreed.id, { frame: 'security', impact: -3 });
  await code(coders[1]!, item.agreed.id, { frame: 'security', impact: -3, notes: 'State media line' });
  await code(coders[0]!, item.agreed.id, { frame: 'security', impact: -2 });
  await code(coders[2]!, item.split.id, { frame: 'security', impact: 1 });
  await code(coders[1]!, item.split.id, { frame: 'leader', impact: 2 });
  await code(coders[0]!, item.split.id, { frame: { na: true }, impact: 3 });
  await code(coders[1]!, item.single.id, { frame: 'leader', impact: 0 });
  // The blind item: one coder submitted, the other has a draft. Nothing of it may leave.
  await code(coders[0]!, item.blind.id, { frame: 'protesters_terrorists', impact: -1, notes: 'BLIND NOTE' });
  await code(coders[2]!, item.blind.id, { frame: 'leader', impact: 3 }, false);
  await call(team.editor, 'PUT', `/items/${item.split.id}/adjudications/frame`, { value: 'leader', rationale: 'The post praises the leader.' });
  await call(team.editor, 'PUT', `/items/${item.single.id}/adjudications/impact`, { value: 1, rationale: 'Reviewed: mildly beneficial.' });
}, 180_000);
afterAll(() => h.close());

const FINAL_HEADER = ['unit', ...ITEM_EXPORT_COLUMNS, 'phase', 'frame', 'frame_provenance', 'impact', 'impact_provenance', 'notes', 'notes_provenance'];

describe('the final dataset', () => {
  it('has one row per item with its columns, and per field the final value and its provenance', async () => {
    const csv = await text('/export/final.csv');
    const [header] = parse(csv) as string[][];
    expect(header).toEqual(FINAL_HEADER);
    const rows = records(csv);
    expect(rows.map((r) => r.unit)).toEqual([item.agreed.id, item.split.id, item.single.id, item.blind.id]);
    const pick = (r: Record<string, string>) => [r.frame, r.frame_provenance, r.impact, r.impact_provenance, r.notes, r.notes_provenance];
    expect(rows.map(pick)).toEqual([
      ['security', 'unanimous', '-3', 'majority', 'State media line', 'single'],
      ['leader', 'decided', '', 'open', '', 'open'],
      ['leader', 'single', '1', 'reviewed', '', 'open'],
      ['', 'open', '', 'open', '', 'open'],
    ]);
    expect(rows[0]).toMatchObject({
      external_id: 'ext-agreed',
      title: item.agreed.title,
      incidents: incident.name,
      platform: 'telegram',
      published_at: '2026-01-05T10:00:00.000Z',
      url: 'https://example.org/agreed',
      phase: 'revealed',
    });
    expect(rows[3]!.phase).toBe('independent');
  });

  it('as JSON holds the same values, typed, with the same provenance', async () => {
    const data = await json<FinalDataset>(await call(team.methodologist, 'GET', '/export/final.json'));
    expect(data.fields.map((f) => f.column)).toEqual(['frame', 'impact', 'notes']);
    expect(data.items.map((i) => [i.id, i.values.frame, i.values.impact])).toEqual([
      [item.agreed.id, { value: 'security', provenance: 'unanimous' }, { value: -3, provenance: 'majority' }],
      [item.split.id, { value: 'leader', provenance: 'decided' }, { value: null, provenance: 'open' }],
      [item.single.id, { value: 'leader', provenance: 'single' }, { value: 1, provenance: 'reviewed' }],
      [item.blind.id, { value: null, provenance: 'open' }, { value: null, provenance: 'open' }],
    ]);
    expect(data.items[0]!.incidents).toEqual([{ id: incident.id, name: incident.name }]);
  });

  it('never carries a value of an item still coded blind, in any file', async () => {
    for (const file of EXPORT_FILES.filter((f) => !f.perField)) {
      const body = await text(`/${file.path}`);
      expect(body, file.path).not.toContain('BLIND NOTE');
    }
    for (const path of ['/export/gold.csv', '/export/codings.csv?layout=long', '/export/tidycomm.csv', '/export/discussion.csv']) {
      expect(records(await text(path)).some((r) => r.unit === item.blind.id), path).toBe(false);
    }
  });

  it('is for managers: a coder gets 403 on every final file, the gold wide file redirects to it', async () => {
    for (const path of ['/export/final.csv', '/export/final.json', '/export/final.xlsx', '/export/codings.xlsx', '/export/items.csv']) {
      const res = await h.request(team.coder, 'GET', `/api/projects/${projectId}${path}`);
      expect(res.status, path).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('FORBIDDEN');
    }
    for (const who of [team.editor, team.methodologist]) expect((await h.request(who, 'GET', `/api/projects/${projectId}/export/final.csv`)).status).toBe(200);
    const wide = await h.request(team.editor, 'GET', `/api/projects/${projectId}/export/gold.csv?layout=wide&bom=1`);
    expect(wide.status).toBe(308);
    expect(wide.headers.get('location')).toBe(`/api/projects/${projectId}/export/final.csv?bom=1`);
    expect((await h.request(team.coder, 'GET', `/api/projects/${projectId}/export/gold.csv?layout=wide`)).status).toBe(403);
  });

  it('gold, long, lists every final value of revealed items with its provenance and the decisions with rationale', async () => {
    const gold = records(await text('/export/gold.csv?layout=long'));
    expect(gold.map((r) => [r.unit, r.field, r.value, r.provenance])).toEqual([
      [item.agreed.id, 'frame', 'security', 'unanimous'],
      [item.agreed.id, 'impact', '-3', 'majority'],
      [item.agreed.id, 'notes', 'State media line', 'single'],
      [item.split.id, 'frame', 'leader', 'decided'],
      [item.single.id, 'frame', 'leader', 'single'],
      [item.single.id, 'impact', '1', 'reviewed'],
    ]);
    const decision = gold.find((r) => r.provenance === 'decided')!;
    expect(decision).toMatchObject({ rationale: 'The post praises the leader.', external_id: 'ext-split', title: item.split.title });
    expect(decision.decided_by).toMatch(/^C\d+$/);
  });
});

describe('coder pseudonyms', () => {
  const emails = () => [team.owner, team.editor, team.methodologist, ...coders].map((s) => s.email);

  it('name coders C1, C2, C3 in order of first coding, in every export, without an email', async () => {
    const long = records(await text('/export/codings.csv?layout=long'));
    expect(long.filter((r) => r.unit === item.agreed.id).map((r) => [r.coder, r.field, r.value])).toEqual([
      ['C1', 'frame', 'security'],
      ['C1', 'impact', '-3'],
      ['C2', 'frame', 'security'],
      ['C2', 'impact', '-3'],
      ['C2', 'notes', 'State media line'],
      ['C3', 'frame', 'security'],
      ['C3', 'impact', '-2'],
    ]);
    expect(long[0]).toMatchObject({ external_id: 'ext-agreed', title: item.agreed.title });
    const wide = parse(await text('/export/codings.csv?layout=wide&field=impact')) as string[][];
    expect(wide[0]).toEqual(['unit', ...ITEM_EXPORT_COLUMNS, 'C1', 'C2', 'C3']);
    expect(wide[1]).toEqual([item.agreed.id, 'ext-agreed', item.agreed.title, incident.name, 'telegram', '2026-01-05T10:00:00.000Z', 'https://example.org/agreed', '-3', '-3', '-2']);
    // Asked for, each coding's item version (as the long file gives it) in a column per coder before the coders; the rest unchanged.
    const versioned = parse(await text('/export/codings.csv?layout=wide&field=impact&itemVersions=1')) as string[][];
    const versions = long.filter((r) => r.unit === item.agreed.id && r.field === 'impact').map((r) => r.item_version);
    expect(versions).toEqual(['1', '1', '1']);
    expect(versioned[0]).toEqual(['unit', ...ITEM_EXPORT_COLUMNS, 'item_version_C1', 'item_version_C2', 'item_version_C3', 'C1', 'C2', 'C3']);
    expect(versioned[1]).toEqual([...wide[1]!.slice(0, 7), ...versions, ...wide[1]!.slice(7)]);
    expect((parse(await text('/export/irr.csv?field=impact')) as string[][])[0]).toEqual(['unit', 'C1', 'C2', 'C3']);
    expect(await text('/export/spss-kalpha.sps?field=impact')).toContain("VARIABLE LABELS c1 'C1'\n  c2 'C2'\n  c3 'C3'.");
    expect(records(await text('/export/tidycomm.csv')).map((r) => r.coder)).toEqual(['C1', 'C2', 'C3', 'C1', 'C2', 'C3', 'C2']);
    const report = await json<{ coders: { label: string }[] }>(await call(team.owner, 'GET', '/report?bootstrap=0'));
    expect(report.coders).toEqual([{ label: 'C1' }, { label: 'C2' }, { label: 'C3' }]);

    const files = [
      ...EXPORT_FILES.filter((f) => !f.perField && !f.action && !f.path.endsWith('.xlsx')).map((f) => `/${f.path}`),
      '/export/codings.csv?layout=wide&field=frame',
      '/export/irr.csv?field=impact',
      '/export/spss-kalpha.csv?field=impact',
      '/export/spss-kalpha.sps?field=impact',
      '/report?format=md&bootstrap=0',
      '/report?bootstrap=0',
    ];
    for (const path of files) {
      const body = await text(path);
      for (const email of emails()) expect(body, `${path} names ${email}`).not.toContain(email);
    }
  });

  it('stay the same across calls and when a new coder codes; the key is the owner’s', async () => {
    const before = await text('/export/codings.csv?layout=long');
    expect(await text('/export/codings.csv?layout=long')).toBe(before);
    const late = await signUp(h, 'late_coder');
    await addToProject(h, team.owner, projectId, late, 'coder');
    const extra = await json<{ id: string }>(await call(team.editor, 'POST', '/items', { title: 'Late item' }));
    await call(team.owner, 'POST', '/assignments', { roundName: 'late', coderIds: [late.userId], itemIds: [extra.id], mode: { type: 'k', k: 1 }, seed: 1 });
    await code(late, extra.id, { frame: 'security', impact: 0 });
    const after = records(await text('/export/codings.csv?layout=long'));
    expect(after.filter((r) => r.unit !== extra.id)).toEqual(records(before));
    expect(after.filter((r) => r.unit === extra.id).map((r) => r.coder)).toEqual(['C7', 'C7']);

    const keyRes = await call(team.owner, 'GET', '/export/coder-key.csv');
    const key = records(await keyRes.text());
    expect(key.slice(0, 3).map((r) => [r.pseudonym, r.email, r.role])).toEqual([
      ['C1', coders[2]!.email, 'coder'],
      ['C2', coders[1]!.email, 'coder'],
      ['C3', coders[0]!.email, 'coder'],
    ]);
    // Members who never coded follow in the order they joined; the late coder comes after them.
    expect(key.map((r) => r.pseudonym)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
    expect(key.slice(3, 6).map((r) => r.email).sort()).toEqual([team.owner.email, team.editor.email, team.methodologist.email].sort());
    expect(key[6]).toMatchObject({ pseudonym: 'C7', email: late.email });
    for (const who of [team.editor, team.methodologist, team.coder]) {
      const res = await h.request(who, 'GET', `/api/projects/${projectId}/export/coder-key.csv`);
      expect(res.status).toBe(403);
    }
    const outsider = await signUp(h, 'outsider');
    expect((await h.request(outsider, 'GET', `/api/projects/${projectId}/export/coder-key.csv`)).status).toBe(404);
    // A pseudonym outlives the membership: removed, the late coder is still C7.
    await call(team.owner, 'DELETE', `/members/${late.userId}`);
    expect(records(await text('/export/coder-key.csv'))[6]).toMatchObject({ pseudonym: 'C7', email: late.email, role: 'removed' });
    expect(records(await text('/export/codings.csv')).filter((r) => r.unit === extra.id).map((r) => r.coder)).toEqual(['C7', 'C7']);
  });

  it('give way to names only when the owner turns the setting on (audited), and come back unchanged', async () => {
    const before = await text('/export/codings.csv?layout=long');
    const refused = await h.request(team.editor, 'PATCH', `/api/projects/${projectId}`, { showCoderNames: true });
    expect(refused.status).toBe(403);
    const on = await json<{ showCoderNames: boolean }>(await call(team.owner, 'PATCH', '', { showCoderNames: true }));
    expect(on.showCoderNames).toBe(true);
    const named = records(await text('/export/codings.csv?layout=long'));
    expect(named.filter((r) => r.unit === item.agreed.id).map((r) => r.coder)).toEqual(['third_coder', 'third_coder', 'second_coder', 'second_coder', 'second_coder', 'coder', 'coder']);
    expect(named.some((r) => /^C\d+$/.test(r.coder!))).toBe(false);
    await call(team.owner, 'PATCH', '', { showCoderNames: false });
    expect(await text('/export/codings.csv?layout=long')).toBe(before);
    const entries = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, projectId), eq(auditLog.entity, 'project'), eq(auditLog.action, 'show-coder-names')))
      .orderBy(asc(auditLog.id));
    expect(entries.map((e) => [e.action, e.before, e.after, e.actorId])).toEqual([
      ['show-coder-names', { showCoderNames: false }, { showCoderNames: true }, team.owner.userId],
      ['show-coder-names', { showCoderNames: true }, { showCoderNames: false }, team.owner.userId],
    ]);
  });
});

describe('file options', () => {
  const bytes = async (path: string) => new Uint8Array(await (await call(team.owner, 'GET', path)).arrayBuffer());
  const BOM = [0xef, 0xbb, 0xbf];

  it('?bom=1 starts every CSV with the UTF-8 byte-order mark, and only then', async () => {
    const paths = [...EXPORT_FILES.filter((f) => f.path.includes('.csv')).map((f) => `/${f.path}${f.perField ? `${f.path.includes('?') ? '&' : '?'}field=impact` : ''}`), '/export/gold.csv'];
    for (const path of paths) {
      const plain = await bytes(path);
      const marked = await bytes(`${path}${path.includes('?') ? '&' : '?'}bom=1`);
      expect([...plain.slice(0, 3)], path).not.toEqual(BOM);
      expect([...marked.slice(0, 3)], path).toEqual(BOM);
      expect(Buffer.from(marked.slice(3)).equals(Buffer.from(plain)), path).toBe(true);
    }
    const decoded = new TextDecoder('utf-8', { ignoreBOM: false }).decode(await bytes('/export/final.csv?bom=1'));
    expect(decoded).toContain(incident.name);
  });

  it('items.csv gives every item its columns by unit, for the R and SPSS layouts', async () => {
    const rows = records(await text('/export/items.csv'));
    expect(Object.keys(rows[0]!)).toEqual(['unit', ...ITEM_EXPORT_COLUMNS, 'phase', 'archived']);
    expect(rows.slice(0, 4).map((r) => [r.unit, r.external_id, r.title, r.incidents])).toEqual(
      [item.agreed, item.split, item.single, item.blind].map((i) => [i.id, i.externalId, i.title, incident.name]),
    );
    const sps = await text('/export/spss-kalpha.sps?field=impact');
    expect(sps).toContain("/FILE='items.csv'");
    expect(sps).toContain('MATCH FILES /FILE=* /TABLE=items /BY unit.');
    expect(sps).toContain(`VARIABLE LABELS unit 'Concord item id' external_id 'External id' title 'Title'`);
  });

  async function workbook(path: string) {
    const res = await call(team.owner, 'GET', path);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb.worksheets[0]!;
  }
  const sheetRows = (ws: ExcelJS.Worksheet) => {
    const out: unknown[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => out.push((row.values as unknown[]).slice(1)));
    return out;
  };

  it('final.xlsx holds the CSV table, scale points as numbers', async () => {
    const ws = await workbook('/export/final.xlsx');
    const rows = sheetRows(ws);
    const csv = parse(await text('/export/final.csv')) as string[][];
    expect(rows[0]).toEqual(csv[0]);
    expect(rows).toHaveLength(csv.length);
    const impact = csv[0]!.indexOf('impact');
    expect(rows[1]![impact]).toBe(-3);
    // Empty cells are absent in a sheet row: compare cell by cell as text.
    for (const [i, row] of csv.entries()) for (const [j, cell] of row.entries()) expect(String(rows[i]![j] ?? ''), `${i},${j}`).toBe(cell);
  });

  it('codings.xlsx holds the long codings export', async () => {
    const rows = sheetRows(await workbook('/export/codings.xlsx'));
    const csv = parse(await text('/export/codings.csv?layout=long')) as string[][];
    expect(rows.map((r) => csv[0]!.map((_, j) => String(r[j] ?? '')))).toEqual(csv);
  });
});

describe('imported values', () => {
  it('say `imported` when every vote came from a round of type imported; a decision on one is a review', async () => {
    const created = await json<{ id: string }>(await call(team.editor, 'POST', '/items', { title: 'Coded in Airtable', externalId: 'ext-imported' }));
    await call(team.owner, 'POST', '/assignments', { roundName: 'from Airtable', type: 'imported', coderIds: [coders[1]!.userId], itemIds: [created.id], mode: { type: 'k', k: 1 }, seed: 1 });
    await code(coders[1]!, created.id, { frame: 'leader', impact: 2 });
    const row = records(await text('/export/final.csv')).find((r) => r.unit === created.id)!;
    expect([row.frame, row.frame_provenance, row.impact, row.impact_provenance, row.notes_provenance]).toEqual(['leader', 'imported', '2', 'imported', 'open']);
    // An editor's decision on it is a review of that value.
    await call(team.editor, 'PUT', `/items/${created.id}/adjudications/impact`, { value: 3, rationale: 'Checked against the post.' });
    const after = records(await text('/export/final.csv')).find((r) => r.unit === created.id)!;
    expect([after.impact, after.impact_provenance, after.frame_provenance]).toEqual(['3', 'reviewed', 'imported']);
  });
});

describe('pseudonyms under concurrent first exports', () => {
  it('are handed out once: every answer names the same coders, numbers 1..n without gaps', async () => {
    const other = await json<{ id: string }>(await h.request(team.owner, 'POST', '/api/projects', { name: 'Concurrent', description: '' }));
    const at = (path: string) => `/api/projects/${other.id}${path}`;
    for (const c of coders) await addToProject(h, team.owner, other.id, c, 'coder');
    expect((await h.request(team.owner, 'PUT', at('/codebook'), { ...SMALL_CODEBOOK, baseVersion: 1 })).status).toBe(200);
    const created = await json<{ id: string }>(await h.request(team.owner, 'POST', at('/items'), { title: 'One item' }));
    expect((await h.request(team.owner, 'POST', at('/assignments'), { roundName: 'r', coderIds: coders.map((c) => c.userId), itemIds: [created.id], mode: { type: 'k', k: 3 }, seed: 1 })).status).toBe(201);
    for (const c of coders) {
      expect((await h.request(c, 'PUT', at(`/items/${created.id}/codings/me`), { values: { frame: 'security', impact: 1 } })).status).toBe(200);
      expect((await h.request(c, 'POST', at(`/items/${created.id}/codings/me/submit`))).status).toBe(200);
    }
    const answers = await Promise.all(
      ['/export/codings.csv', '/export/tidycomm.csv', '/export/codings.csv', '/export/final.csv', '/export/codings.csv', '/export/tidycomm.csv'].map(async (p) => (await h.request(team.owner, 'GET', at(p))).text()),
    );
    expect(answers[2]).toBe(answers[0]);
    expect(answers[4]).toBe(answers[0]);
    expect(answers[5]).toBe(answers[1]);
    const key = records(await (await h.request(team.owner, 'GET', at('/export/coder-key.csv'))).text());
    expect(key.map((r) => r.pseudonym)).toEqual(['C1', 'C2', 'C3', 'C4']);
    expect(new Set(key.map((r) => r.user_id)).size).toBe(4);
  });
});

describe('items in several incidents, archived items', () => {
  it('list every incident of an item, primary first; an archived item leaves the final dataset, its codings stay, flagged in items.csv', async () => {
    const second = await json<{ id: string; name: string }>(await call(team.editor, 'POST', '/incidents', { name: 'Blocked news sites', description: '' }));
    await call(team.editor, 'PATCH', `/items/${item.single.id}`, { incidentIds: [second.id, incident.id] });
    const final = records(await text('/export/final.csv'));
    expect(final.find((r) => r.unit === item.single.id)!.incidents).toBe(`Blocked news sites|${incident.name}`);
    const data = await json<FinalDataset>(await call(team.owner, 'GET', '/export/final.json'));
    expect(data.items.find((i) => i.id === item.single.id)!.incidents.map((i) => i.name)).toEqual(['Blocked news sites', incident.name]);

    // An archived item (issue 12; archived_at set here as the archive verb will) leaves the final dataset.
    await h.deps.database.db.update(items).set({ archivedAt: new Date() }).where(eq(items.id, item.split.id));
    expect(records(await text('/export/final.csv')).some((r) => r.unit === item.split.id)).toBe(false);
    expect((await json<FinalDataset>(await call(team.owner, 'GET', '/export/final.json'))).items.some((i) => i.id === item.split.id)).toBe(false);
    expect(records(await text('/export/codings.csv')).some((r) => r.unit === item.split.id)).toBe(true);
    const listed = records(await text('/export/items.csv'));
    expect(listed.find((r) => r.unit === item.split.id)!.archived).toBe('true');
    expect(listed.find((r) => r.unit === item.agreed.id)!.archived).toBe('false');
  });
});
