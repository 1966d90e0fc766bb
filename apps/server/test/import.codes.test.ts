/**
 * Importing codes already made (issue 12, item 7): an Airtable base's Frames and Impact columns
 * come in as one coder's submitted codings in a round of type `imported`, through the value map
 * (`High` -> a scale point). The dry run lists each column's labels with their suggested codes
 * and the allowed ones; a label that maps to nothing is a problem on its row and column, with
 * the allowed values, and saves nothing; the same file again changes nothing; the codings show
 * as the coder's values, count for charts and the final dataset (`imported`), and stay out of
 * reliability unless `includeImported` (counted in `excluded_imported`). Blind coding holds.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, codings, items, projectMembers, rounds, users } from '@concord/db';
import {
  newId,
  type ChartData,
  type Coding,
  type CodebookInput,
  type ErrorBody,
  type FinalDataset,
  type ImportCheck,
  type ImportCodesInput,
  type ImportResult,
  type Item,
  type ReliabilityReport,
  type Role,
} from '@concord/shared';
import { replaceCodebook } from '../src/services/codebook/codebook.ts';
import { importedCoderEmail } from '../src/services/import/import-codes.ts';
import { createProject } from '../src/services/projects/projects.ts';
import { actorOf, addToProject, createTeamHarness, json, type Harness, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

const CODEBOOK: CodebookInput = {
  name: 'Imported codes',
  fields: [
    {
      key: 'frames',
      label: 'Frames',
      help: '',
      type: 'multiple_choice',
      required: false,
      allowNa: false,
      options: [
        { value: 'security', label: 'Security', parent: null, help: '' },
        { value: 'protesters_terrorists', label: 'Protesters are terrorists', parent: 'security', help: '' },
        { value: 'leader', label: 'Best leader', parent: null, help: '' },
      ],
    },
    {
      key: 'impact',
      label: 'Civic impact',
      help: '',
      type: 'ordinal',
      required: false,
      allowNa: true,
      scale: [
        { value: -1, label: 'Harmful' },
        { value: 0, label: 'Neutral' },
        { value: 1, label: 'Helpful' },
        { value: 2, label: 'Very helpful' },
      ],
    },
  ],
};

/** An empty project with the codebook above and one member per role. */
async function newProject(): Promise<string> {
  const owner = h.ctx(actorOf(members.owner));
  const project = await createProject({ ctx: owner, input: { name: `Codes ${newId('project')}`, description: '' } });
  for (const role of ['methodologist', 'editor', 'coder'] as const) await addToProject(h, members.owner, project.id, members[role], role);
  await replaceCodebook({ ctx: owner, projectId: project.id, input: { ...CODEBOOK, baseVersion: 1 } });
  return project.id;
}

const AIRTABLE = [
  'Record ID,Name,Frames,Impact',
  'rec1,First post,"Security, Protesters are terrorists",High',
  'rec2,Second post,Best leader,neutral',
  'rec3,Third post,,1',
  'rec4,Fourth post,security,',
].join('\n');

const IMPORTED: ImportCodesInput = {
  coder: { imported: true },
  columns: [
    { column: 'Frames', fieldKey: 'frames' },
    { column: 'Impact', fieldKey: 'impact', valueMap: { High: 2 } },
  ],
};

function post(projectId: string, path: 'import' | 'import/dry-run', csv: string, codes?: ImportCodesInput, who: Session = members.editor) {
  const query = new URLSearchParams({ filename: 'base.csv', ...(codes ? { codes: JSON.stringify(codes) } : {}) });
  return h.request(who, 'POST', `/api/projects/${projectId}/${path}?${query}`, csv, { 'content-type': 'text/csv' });
}

async function importOk(projectId: string, csv: string, codes?: ImportCodesInput): Promise<ImportResult> {
  const res = await post(projectId, 'import', csv, codes);
  expect(res.status, await res.clone().text()).toBe(201);
  return json<ImportResult>(res);
}

const db = () => h.deps.database.db;
const get = async <T>(who: Session, path: string): Promise<T> => {
  const res = await h.request(who, 'GET', path);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<T>(res);
};
const itemsOf = async (projectId: string) => (await get<{ items: Item[] }>(members.editor, `/api/projects/${projectId}/items?limit=1000`)).items;
const codingsOf = (projectId: string, itemId: string, who: Session = members.editor) => get<Coding[]>(who, `/api/projects/${projectId}/items/${itemId}/codings`);
const counts = async (projectId: string) => ({
  items: (await db().select({ n: count() }).from(items).where(eq(items.projectId, projectId)))[0]!.n,
  codings: (await db().select({ n: count() }).from(codings).where(eq(codings.projectId, projectId)))[0]!.n,
  assignments: (await db().select({ n: count() }).from(assignments).where(eq(assignments.projectId, projectId)))[0]!.n,
  rounds: (await db().select({ n: count() }).from(rounds).where(eq(rounds.projectId, projectId)))[0]!.n,
});

describe('importing codes already made', () => {
  it('the dry run lists each column\'s labels with the suggested code and the allowed codes (frames with their parents)', async () => {
    const projectId = await newProject();
    const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', AIRTABLE, IMPORTED));
    expect(check).toMatchObject({ valid: 4, create: 4, problemCount: 0 });
    expect(check.codes).toMatchObject({ coderId: null, coderName: 'Imported', codings: 6, items: 4, unchangedItems: 0 });
    const [frames, impact] = check.codes!.columns;
    expect(frames!.labels).toEqual([
      { label: 'Security', rows: 1, suggested: 'security', code: 'security', mapped: false },
      { label: 'Protesters are terrorists', rows: 1, suggested: 'protesters_terrorists', code: 'protesters_terrorists', mapped: false },
      { label: 'Best leader', rows: 1, suggested: 'leader', code: 'leader', mapped: false },
      { label: 'security', rows: 1, suggested: 'security', code: 'security', mapped: false },
    ]);
    expect(frames!.allowed).toEqual([
      { code: 'security', label: 'Security', parent: null },
      { code: 'protesters_terrorists', label: 'Protesters are terrorists', parent: 'security' },
      { code: 'leader', label: 'Best leader', parent: null },
    ]);
    expect(impact!.labels).toEqual([
      { label: 'High', rows: 1, suggested: null, code: 2, mapped: true },
      { label: 'neutral', rows: 1, suggested: 0, code: 0, mapped: false },
      { label: '1', rows: 1, suggested: 1, code: 1, mapped: false },
    ]);
    expect(impact!.allowed.map((a) => a.code)).toEqual([-1, 0, 1, 2, { na: true }]);
    expect(await counts(projectId)).toMatchObject({ items: 0, codings: 0, rounds: 0 });
  });

  it('writes the codes as the imported coder\'s submitted codings in an imported round; the same file again changes nothing', async () => {
    const projectId = await newProject();
    const result = await importOk(projectId, AIRTABLE, IMPORTED);
    expect(result).toMatchObject({ inserted: 4, updated: 0, unchanged: 0, codes: { codings: 6, items: 4, unchangedItems: 0, revealed: 4 } });
    const { coderId, roundId } = result.codes!;

    const [coder] = await db().select().from(users).where(eq(users.id, coderId));
    expect(coder).toMatchObject({ email: importedCoderEmail(projectId), name: 'Imported', pending: false });
    const [membership] = await db().select().from(projectMembers).where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, coderId)));
    expect(membership!.role).toBe('coder');
    // Nobody signs in as it.
    expect((await h.request(null, 'POST', '/api/auth/login', { email: coder!.email, password: 'none' })).status).toBe(401);
    const [round] = await db().select().from(rounds).where(eq(rounds.id, roundId!));
    expect(round).toMatchObject({ type: 'imported', name: 'Imported from base.csv' });

    const list = await itemsOf(projectId);
    expect(list.map((i) => [i.externalId, i.phase])).toEqual([
      ['rec1', 'revealed'],
      ['rec2', 'revealed'],
      ['rec3', 'revealed'],
      ['rec4', 'revealed'],
    ]);
    const first = await codingsOf(projectId, list[0]!.id);
    expect(first.map((c) => [c.coderId, c.fieldKey, c.value, c.status])).toEqual([
      [coderId, 'frames', ['security', 'protesters_terrorists'], 'submitted'],
      [coderId, 'impact', 2, 'submitted'],
    ]);
    expect((await codingsOf(projectId, list[2]!.id)).map((c) => [c.fieldKey, c.value])).toEqual([['impact', 1]]);
    const made = await db().select().from(assignments).where(eq(assignments.roundId, roundId!));
    expect(made).toHaveLength(4);
    expect(made.every((a) => a.coderId === coderId && a.submittedAt !== null && !a.blind)).toBe(true);

    const before = await counts(projectId);
    const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', AIRTABLE, IMPORTED));
    expect(check).toMatchObject({ unchanged: 4, problemCount: 0, codes: { coderId, codings: 0, items: 0, unchangedItems: 4 } });
    const again = await importOk(projectId, AIRTABLE, IMPORTED);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, codes: { coderId, roundId: null, codings: 0, items: 0, unchangedItems: 4 } });
    expect(await counts(projectId)).toEqual(before);
  });

  it('a label that maps to no code is a problem naming the row, the column and the allowed values, and nothing is saved', async () => {
    const projectId = await newProject();
    const codes = { ...IMPORTED, columns: [IMPORTED.columns[0]!, { column: 'Impact', fieldKey: 'impact' }] };
    const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', AIRTABLE, codes));
    expect(check).toMatchObject({ valid: 3, problemCount: 1 });
    expect(check.problems).toEqual([
      { row: 1, column: 'Impact', message: '"High" is not a value of Civic impact; map it to a code (allowed: -1 (Harmful), 0 (Neutral), 1 (Helpful), 2 (Very helpful), NA (not applicable))' },
    ]);
    expect(check.codes!.columns[1]!.labels[0]).toEqual({ label: 'High', rows: 1, suggested: null, code: null, mapped: false });

    const res = await post(projectId, 'import', AIRTABLE, codes);
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('IMPORT_FAILED');
    expect(body.error.details).toEqual(check.problems);
    expect(await counts(projectId)).toEqual({ items: 0, codings: 0, assignments: 0, rounds: 0 });
    expect(await db().select().from(users).where(eq(users.email, importedCoderEmail(projectId)))).toEqual([]);
  });

  it('a value map naming a code the field lacks, an unknown field or column, or a non-member coder are problems; a bad codes parameter is a 400', async () => {
    const projectId = await newProject();
    const bad: ImportCodesInput = {
      coder: { userId: 'usr_notamember00000000' },
      columns: [
        { column: 'Impact', fieldKey: 'impact', valueMap: { High: 7 } },
        { column: 'Frames', fieldKey: 'stance' },
        { column: 'Mood', fieldKey: 'frames' },
      ],
    };
    const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', AIRTABLE, bad));
    expect(check.problems.filter((p) => p.row === undefined).map((p) => [p.column, p.message])).toEqual([
      ['codes.coder', '"usr_notamember00000000" is not a member of this project: choose a member or the imported coder'],
      ['Impact', '"High" is mapped to 7, which is not a code of Civic impact (allowed: -1 (Harmful), 0 (Neutral), 1 (Helpful), 2 (Very helpful), NA (not applicable))'],
      ['Frames', '"stance" is not a field of the codebook'],
      ['Mood', 'column "Mood" (mapped to codes of frames) is not in the header'],
    ]);
    for (const codes of ['{', JSON.stringify({ coder: { imported: false }, columns: [] })]) {
      const res = await h.request(members.editor, 'POST', `/api/projects/${projectId}/import/dry-run?${new URLSearchParams({ codes })}`, AIRTABLE, { 'content-type': 'text/csv' });
      expect(res.status).toBe(400);
      expect((await json<ErrorBody>(res)).error.code).toBe('VALIDATION_FAILED');
    }
    // Importing codes is importing: a coder may not.
    expect((await post(projectId, 'import', AIRTABLE, IMPORTED, members.coder)).status).toBe(403);
    expect(await counts(projectId)).toEqual({ items: 0, codings: 0, assignments: 0, rounds: 0 });
  });

  it('codes imported before may not change: a file with another value is a problem on that row and column and changes nothing', async () => {
    const projectId = await newProject();
    await importOk(projectId, AIRTABLE, IMPORTED);
    const before = await counts(projectId);
    const changed = AIRTABLE.replace('rec2,Second post,Best leader,neutral', 'rec2,Second post,Best leader,Harmful');
    const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', changed, IMPORTED));
    expect(check.problems).toEqual([{ row: 2, column: 'Impact', message: "differs from Imported's Civic impact imported before; imported codings are final" }]);
    expect((await post(projectId, 'import', changed, IMPORTED)).status).toBe(400);
    expect(await counts(projectId)).toEqual(before);
  });

  it('imports a chosen member\'s codes, except on an item she codes in Concord (a problem), and keeps blind coding for the others', async () => {
    const projectId = await newProject();
    await importOk(projectId, AIRTABLE);
    const list = await itemsOf(projectId);
    // The methodologist codes rec1 in Concord (a production round); the coder is assigned rec2 and has not submitted.
    for (const [who, item] of [[members.methodologist, list[0]!], [members.coder, list[1]!]] as const) {
      const res = await h.request(members.editor, 'POST', `/api/projects/${projectId}/assignments`, { roundName: `r ${item.externalId}`, coderIds: [who.userId], itemIds: [item.id], mode: { type: 'k', k: 1 } });
      expect(res.status).toBe(201);
    }
    const asMember: ImportCodesInput = { ...IMPORTED, coder: { userId: members.methodologist.userId } };
    const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', AIRTABLE, asMember));
    expect(check.problems).toEqual([{ row: 1, column: 'Frames', message: `methodologist codes this item in Concord (round "r rec1"); an import does not replace codes made here` }]);

    const result = await importOk(projectId, AIRTABLE.split('\n').filter((l) => !l.startsWith('rec1')).join('\n'), asMember);
    expect(result.codes).toMatchObject({ coderId: members.methodologist.userId, codings: 4, items: 3, revealed: 2 });
    const phases = Object.fromEntries((await itemsOf(projectId)).map((i) => [i.externalId, i.phase]));
    // rec2 waits for the coder's submit: still independent, so she does not see the imported values.
    expect(phases).toEqual({ rec1: 'independent', rec2: 'independent', rec3: 'revealed', rec4: 'revealed' });
    expect(await codingsOf(projectId, list[1]!.id, members.coder)).toEqual([]);
    expect(await codingsOf(projectId, list[1]!.id, members.editor)).toEqual([]);
    expect((await codingsOf(projectId, list[1]!.id, members.methodologist)).map((c) => c.value)).toEqual([['leader'], 0]);
    const final = await get<FinalDataset>(members.methodologist, `/api/projects/${projectId}/export/final.json`);
    expect(final.items.find((i) => i.externalId === 'rec2')!.values.impact).toEqual({ value: null, provenance: 'open' });
  });

  it('count for charts and the final dataset (provenance imported), and stay out of reliability unless includeImported', async () => {
    const projectId = await newProject();
    await importOk(projectId, AIRTABLE);
    const list = await itemsOf(projectId);
    // The coder codes every item blind first, agreeing with the file on impact; then the file's codes come in.
    const res = await h.request(members.editor, 'POST', `/api/projects/${projectId}/assignments`, { roundName: 'blind', type: 'reliability', coderIds: [members.coder.userId], itemIds: list.map((i) => i.id), mode: { type: 'k', k: 1 } });
    expect(res.status).toBe(201);
    const coderValues = [{ impact: 2 }, { impact: 0 }, { impact: 1 }, { impact: -1 }];
    for (const [i, values] of coderValues.entries()) {
      const base = `/api/projects/${projectId}/items/${list[i]!.id}/codings/me`;
      expect((await h.request(members.coder, 'PUT', base, { values })).status).toBe(200);
      expect((await h.request(members.coder, 'POST', `${base}/submit`)).status).toBe(200);
    }
    const rel = (query = '') => get<ReliabilityReport>(members.methodologist, `/api/projects/${projectId}/reliability?bootstrap=0${query}`);
    const impactBefore = (await rel()).fields.find((f) => f.key === 'impact')!;
    expect(impactBefore).toMatchObject({ n_coders: 1, excluded_imported: 0 });

    await importOk(projectId, AIRTABLE, IMPORTED);
    const without = (await rel()).fields.find((f) => f.key === 'impact')!;
    expect(without).toMatchObject({ n_units: impactBefore.n_units, n_coders: 1, value: impactBefore.value, excluded_imported: 3, excluded_not_blind: 0 });
    const included = (await rel('&includeImported=true')).fields.find((f) => f.key === 'impact')!;
    // Three items coded by both, the same scale points: perfect agreement, alpha 1 by definition.
    expect(included).toMatchObject({ n_units: 4, n_coders: 2, value: 1, excluded_imported: 0 });
    expect((await get<{ field: { excluded_imported: number } }>(members.methodologist, `/api/projects/${projectId}/reliability/fields/impact?bootstrap=0`)).field.excluded_imported).toBe(3);

    const final = await get<FinalDataset>(members.methodologist, `/api/projects/${projectId}/export/final.json`);
    expect(final.items.map((i) => [i.externalId, i.values.frames])).toEqual([
      ['rec1', { value: ['security', 'protesters_terrorists'], provenance: 'imported' }],
      ['rec2', { value: ['leader'], provenance: 'imported' }],
      ['rec3', { value: null, provenance: 'open' }],
      ['rec4', { value: ['security'], provenance: 'imported' }],
    ]);
    expect(final.items[0]!.values.impact).toEqual({ value: 2, provenance: 'unanimous' });
    const chart = await get<ChartData>(members.methodologist, `/api/projects/${projectId}/charts/parent-frames?field=frames`);
    expect(chart.items).toEqual({ total: 4, counted: 3, open: 1, noValue: 0 });
    expect(chart.series[0]!.values).toEqual([2, 1]);
  });
});
