/**
 * Calibration against gold through the real routes: importing an answer key (CSV and JSON, all
 * or nothing, managers only), a coder's feedback after her own submission only and never with
 * another coder's values, and the methodologist's agreement table, whose coefficients are
 * checked against published worked examples.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@concord/db';
import type { CalibrationFeedback, CalibrationReport, CodebookInput, ErrorBody, GoldImportResult, Role } from '@concord/shared';
import { actorOf, addItem, addToProject, assignRound, codeItem, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { adjudicate } from '../src/services/adjudications/adjudicate.ts';
import { replaceCodebook } from '../src/services/codebook/codebook.ts';
import { addMember } from '../src/services/projects/members.ts';
import { createProject } from '../src/services/projects/projects.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let coderC: Session;
let coderD: Session;
let outsider: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB, coderC, coderD, outsider } } = await createTeamHarness(['coderB', 'coderC', 'coderD', 'outsider']));
});
afterAll(() => h.close());

const base = (projectId: string) => `/api/projects/${projectId}`;
const code = (projectId: string, itemId: string, s: Session, values: Record<string, unknown>, submit = true) => codeItem(h, projectId, itemId, s, values, submit);
const feedback = (projectId: string, itemId: string, s: Session) => h.request(s, 'GET', `${base(projectId)}/items/${itemId}/calibration`);
const importGold = (projectId: string, s: Session, body: unknown) => h.request(s, 'POST', `${base(projectId)}/gold`, body);

/** The fixture's item with an external id, coded by the fixture's coder and coderB. */
async function goldFixture(): Promise<ProjectFixture & { externalId: string }> {
  const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
  const externalId = `ext-${f.itemId}`;
  expect((await h.request(members.editor, 'PATCH', `${base(f.projectId)}/items/${f.itemId}`, { externalId })).status).toBe(200);
  return { ...f, externalId };
}

describe('importing an answer key', () => {
  it('takes CSV by external id and JSON rows by item id, replaces a row on re-import, and audits each import once', async () => {
    const f = await goldFixture();
    const csv = `external_id,field,value,rationale\n${f.externalId},frame,protesters_terrorists,"Calls protesters ""terrorists"""\n${f.externalId},impact,-2,\n`;
    const first = await importGold(f.projectId, members.methodologist, { csv });
    expect(first.status).toBe(200);
    expect(await json<GoldImportResult>(first)).toMatchObject({ rows: 2, inserted: 2, updated: 0, unchanged: 0 });

    const again = await json<GoldImportResult>(await importGold(f.projectId, members.editor, { csv }));
    expect(again).toMatchObject({ rows: 2, inserted: 0, updated: 0, unchanged: 2 });

    const rows = [{ item_id: f.itemId, field: 'impact', value: -3, rationale: 'Direct call for repression' }];
    expect(await json<GoldImportResult>(await importGold(f.projectId, members.owner, { rows }))).toMatchObject({ rows: 1, inserted: 0, updated: 1 });

    const entries = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.projectId, f.projectId), eq(auditLog.entity, 'gold')));
    expect(entries.map((e) => e.action)).toEqual(['import', 'import', 'import']);
    expect(entries[0]!.after).toMatchObject({ rows: 2, inserted: 2, format: 'csv', fields: ['frame', 'impact'] });
    expect((entries[0]!.after as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a key with any bad row, naming row and column, and saves nothing', async () => {
    const f = await goldFixture();
    const csv = `external_id,field,value\n${f.externalId},frame,security\nnope,frame,security\n${f.externalId},impact,9\n${f.externalId},stance,a\n`;
    const res = await importGold(f.projectId, members.editor, { csv });
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; message: string; details: { row: number; column: string; message: string }[] } }>(res);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => [d.row, d.column])).toEqual([
      [2, 'external_id'],
      [3, 'value'],
      [4, 'field'],
    ]);
    // The first, valid row was not saved either: the coder's feedback shows no gold.
    await code(f.projectId, f.itemId, members.coder, { frame: 'security', impact: -2 });
    const fb = await json<CalibrationFeedback>(await feedback(f.projectId, f.itemId, members.coder));
    expect(fb.compared).toBe(0);
  });

  it('answers 400 for a CSV without the columns, a row naming neither or both ids, and a repeated (item, field)', async () => {
    const f = await goldFixture();
    expect((await importGold(f.projectId, members.editor, { csv: 'item,field\nx,frame\n' })).status).toBe(400);
    expect((await importGold(f.projectId, members.editor, { rows: [{ field: 'frame', value: 'security' }] })).status).toBe(400);
    expect((await importGold(f.projectId, members.editor, { rows: [{ item_id: f.itemId, external_id: f.externalId, field: 'frame', value: 'security' }] })).status).toBe(400);
    const twice = [1, 2].map(() => ({ item_id: f.itemId, field: 'frame', value: 'security' }));
    const res = await importGold(f.projectId, members.editor, { rows: twice });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe('VALIDATION_FAILED');
  });

  it('is for managers: a coder gets 403, a non-member 404', async () => {
    const f = await goldFixture();
    const rows = [{ item_id: f.itemId, field: 'frame', value: 'security' }];
    const coder = await importGold(f.projectId, members.coder, { rows });
    expect(coder.status).toBe(403);
    expect((await json<ErrorBody>(coder)).error.code).toBe('FORBIDDEN');
    expect((await importGold(f.projectId, outsider, { rows })).status).toBe(404);
  });
});

describe("a coder's feedback against gold", () => {
  it('comes only after her own submission, and never carries another coder’s value', async () => {
    const f = await goldFixture();
    await importGold(f.projectId, members.editor, { rows: [{ item_id: f.itemId, field: 'impact', value: -2, rationale: 'Frames protest as a threat' }] });
    await code(f.projectId, f.itemId, members.coder, { frame: 'security', impact: -2 }, false);
    await code(f.projectId, f.itemId, coderB, { frame: 'leader', impact: 3 }, false);

    // Before submitting: 409, with the error body; never the key.
    const early = await feedback(f.projectId, f.itemId, members.coder);
    expect(early.status).toBe(409);
    const earlyBody = await json<ErrorBody>(early);
    expect(earlyBody.error.code).toBe('CONFLICT');
    expect(JSON.stringify(earlyBody)).not.toContain('threat');

    await h.request(members.coder, 'POST', `${base(f.projectId)}/items/${f.itemId}/codings/me/submit`);
    const res = await feedback(f.projectId, f.itemId, members.coder);
    expect(res.status).toBe(200);
    const fb = await json<CalibrationFeedback>(res);
    const byField = new Map(fb.fields.map((x) => [x.fieldKey, x]));
    expect(byField.get('impact')).toMatchObject({ value: -2, gold: -2, hasGold: true, source: 'imported', rationale: 'Frames protest as a threat', match: true });
    expect(byField.get('frame')).toMatchObject({ value: 'security', gold: null, hasGold: false, source: null, match: null });
    expect(fb).toMatchObject({ compared: 1, matched: 1 });
    // coderB's draft (leader, 3) appears nowhere.
    expect(JSON.stringify(fb)).not.toContain('leader');

    // coderB has not submitted: 409 for her.
    expect((await feedback(f.projectId, f.itemId, coderB)).status).toBe(409);
  });

  it('answers 403 to members not coding the item and 404 to non-members', async () => {
    const f = await goldFixture();
    for (const role of ['owner', 'methodologist', 'editor'] as const) {
      const res = await feedback(f.projectId, f.itemId, members[role]);
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('FORBIDDEN');
    }
    expect((await feedback(f.projectId, f.itemId, outsider)).status).toBe(404);
  });

  it('uses a decided adjudication as gold, and an imported key over it', async () => {
    const f = await goldFixture();
    await code(f.projectId, f.itemId, members.coder, { frame: 'security', impact: -2 });
    await code(f.projectId, f.itemId, coderB, { frame: 'leader', impact: 1 });
    await adjudicate({ ctx: h.ctx(actorOf(members.editor)), projectId: f.projectId, itemId: f.itemId, fieldKey: 'frame', input: { value: 'security', rationale: 'Security framing throughout' } });
    let fb = await json<CalibrationFeedback>(await feedback(f.projectId, f.itemId, coderB));
    expect(fb.fields.find((x) => x.fieldKey === 'frame')).toMatchObject({ value: 'leader', gold: 'security', source: 'decided', rationale: 'Security framing throughout', match: false });
    // Her own feedback carries her own value only, even now that the item is revealed.
    expect(JSON.stringify(fb.fields.map((x) => x.value))).not.toContain('-2');

    await importGold(f.projectId, members.editor, { rows: [{ external_id: f.externalId, field: 'frame', value: 'leader', rationale: 'Answer key' }] });
    fb = await json<CalibrationFeedback>(await feedback(f.projectId, f.itemId, coderB));
    expect(fb.fields.find((x) => x.fieldKey === 'frame')).toMatchObject({ gold: 'leader', source: 'imported', match: true });
  });
});

describe('decisions while their item is coded blind again', () => {
  it('are neither gold in feedback nor listed: a decision carries the first coders\' values, hidden until the reveal (rule 4)', async () => {
    const f = await goldFixture();
    await code(f.projectId, f.itemId, members.coder, { frame: 'security', impact: -2 });
    await code(f.projectId, f.itemId, coderB, { frame: 'leader', impact: 1 });
    await adjudicate({ ctx: h.ctx(actorOf(members.editor)), projectId: f.projectId, itemId: f.itemId, fieldKey: 'frame', input: { value: 'security', rationale: 'Coder B read leader; the text frames security' } });
    // The item goes back to blind coding, for two more coders.
    expect((await h.request(members.editor, 'POST', `${base(f.projectId)}/items/${f.itemId}/phase`, { phase: 'independent' })).status).toBe(200);
    for (const c of [coderC, coderD]) await addToProject(h, members.owner, f.projectId, c, 'coder');
    await assignRound(h, members.editor, f.projectId, [f.itemId], [coderC, coderD], { roundName: 'Second pair' });
    await code(f.projectId, f.itemId, coderC, { frame: 'protesters_terrorists', impact: 0 });
    // coderD has not submitted: the item stays independent, and its decisions are nobody's to read.
    expect((await json<{ phase: string }>(await h.request(members.editor, 'GET', `${base(f.projectId)}/items/${f.itemId}`))).phase).toBe('independent');
    expect((await h.request(coderC, 'GET', `${base(f.projectId)}/items/${f.itemId}/adjudications`)).status).toBe(403);
    // Nor do managers list them (one of them may code the item now): the project's list leaves the item out.
    for (const role of ['owner', 'methodologist', 'editor'] as const) {
      expect((await h.request(members[role], 'GET', `${base(f.projectId)}/items/${f.itemId}/adjudications`)).status).toBe(403);
      for (const status of ['decided', 'all'] as const) {
        const listed = await h.request(members[role], 'GET', `${base(f.projectId)}/adjudications?status=${status}`);
        expect(listed.status).toBe(200);
        expect((await json<{ itemId: string }[]>(listed)).map((a) => a.itemId)).not.toContain(f.itemId);
      }
    }

    const res = await feedback(f.projectId, f.itemId, coderC);
    expect(res.status).toBe(200);
    const fb = await json<CalibrationFeedback>(res);
    expect(fb.fields.find((x) => x.fieldKey === 'frame')).toMatchObject({ value: 'protesters_terrorists', gold: null, hasGold: false, source: null, rationale: '', match: null });
    expect(fb).toMatchObject({ compared: 0, matched: 0 });
    expect(JSON.stringify(fb)).not.toContain('leader');

    // An imported answer key is set for calibration, not made from codings: shown after her submission as before.
    await importGold(f.projectId, members.editor, { rows: [{ item_id: f.itemId, field: 'impact', value: 0, rationale: 'Answer key' }] });
    const keyed = await json<CalibrationFeedback>(await feedback(f.projectId, f.itemId, coderC));
    expect(keyed.fields.find((x) => x.fieldKey === 'impact')).toMatchObject({ gold: 0, source: 'imported', match: true });
    expect(keyed.fields.find((x) => x.fieldKey === 'frame')).toMatchObject({ hasGold: false });

    // Once revealed again, the decision is gold for its coders.
    await code(f.projectId, f.itemId, coderD, { frame: 'security', impact: 0 });
    const revealed = await json<CalibrationFeedback>(await feedback(f.projectId, f.itemId, coderC));
    expect(revealed.fields.find((x) => x.fieldKey === 'frame')).toMatchObject({ gold: 'security', source: 'decided', match: false });
    expect((await json<{ itemId: string }[]>(await h.request(members.editor, 'GET', `${base(f.projectId)}/adjudications`))).map((a) => a.itemId)).toContain(f.itemId);
  });
});

/**
 * Two published two-coder examples, the coder as one coder and the key as the other:
 * - binary: Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, section A
 *   (binary data, two observers): A = 0 1 0 0 0 0 0 0 1 0, B = 1 1 1 0 0 1 0 0 0 0, alpha = .095;
 * - grade: the SAS/STAT PROC FREQ kappa example (packages/reliability/src/__fixtures__/cohen-kappa.json),
 *   the 3x3 table [[0,4,1],[0,8,0],[0,1,5]] (rows coder, columns key), kappa = .4842.
 */
const BINARY_CODER = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
const BINARY_GOLD = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
const SAS_PAIRS: [string, string][] = [
  ...Array.from({ length: 4 }, () => ['a', 'b'] as [string, string]),
  ['a', 'c'],
  ...Array.from({ length: 8 }, () => ['b', 'b'] as [string, string]),
  ['c', 'b'],
  ...Array.from({ length: 5 }, () => ['c', 'c'] as [string, string]),
];
const yesNo = (x: number | undefined) => (x === undefined ? undefined : x === 1 ? 'yes' : 'no');

const CALIBRATION_CODEBOOK: CodebookInput = {
  name: 'Calibration codebook',
  fields: [
    {
      key: 'binary',
      label: 'Binary',
      help: '',
      type: 'single_choice',
      required: false,
      allowNa: false,
      options: ['no', 'yes'].map((value) => ({ value, label: value, parent: null, help: '' })),
    },
    {
      key: 'grade',
      label: 'Grade',
      help: '',
      type: 'single_choice',
      required: false,
      allowNa: false,
      options: ['a', 'b', 'c'].map((value) => ({ value, label: value, parent: null, help: '' })),
    },
  ],
};

describe("the methodologist's agreement with gold", () => {
  let projectId: string;
  let itemIds: string[];

  beforeAll(async () => {
    const owner = h.ctx(actorOf(members.owner));
    projectId = (await createProject({ ctx: owner, input: { name: 'Calibration study', description: '' } })).id;
    for (const role of ['methodologist', 'editor', 'coder'] as const) await addMember({ ctx: owner, projectId, input: { email: members[role].email, role } });
    await addMember({ ctx: owner, projectId, input: { email: coderB.email, role: 'coder' } });
    await replaceCodebook({ ctx: owner, projectId, input: { ...CALIBRATION_CODEBOOK, baseVersion: 1 } });
    itemIds = [];
    for (let i = 1; i <= 20; i++) itemIds.push(await addItem(h, members.owner, projectId, { externalId: `cal-${i}`, title: `Calibration item ${i}`, body: 'text' }));
    const round = (roundName: string, coder: Session, ids: string[], type: 'calibration' | 'production' = 'calibration') =>
      assignRound(h, members.owner, projectId, ids, [coder], { roundName, type });
    await round('Calibration 1', members.coder, itemIds.slice(0, 10));
    await round('Calibration 2', members.coder, itemIds.slice(10, 19));
    await round('Production', members.coder, itemIds.slice(19), 'production');
    // coderB codes items 1, 5, 6 and 15 exactly as the key says.
    await round('Calibration B', coderB, [0, 4, 5, 14].map((i) => itemIds[i]!));

    const csv = ['external_id,field,value'];
    itemIds.forEach((_, i) => {
      if (i < 10) csv.push(`cal-${i + 1},binary,${yesNo(BINARY_GOLD[i])}`);
      if (i < 19) csv.push(`cal-${i + 1},grade,${SAS_PAIRS[i]![1]}`);
    });
    csv.push('cal-20,grade,a');
    expect((await importGold(projectId, members.methodologist, { csv: csv.join('\n') })).status).toBe(200);

    for (let i = 0; i < 20; i++) {
      await code(projectId, itemIds[i]!, members.coder, { ...(i < 10 ? { binary: yesNo(BINARY_CODER[i]) } : {}), grade: i < 19 ? SAS_PAIRS[i]![0] : 'a' });
    }
    for (const i of [0, 4, 5, 14]) await code(projectId, itemIds[i]!, coderB, { ...(i < 10 ? { binary: yesNo(BINARY_GOLD[i]) } : {}), grade: SAS_PAIRS[i]![1] });
  });

  const report = async (query = '', s: Session = members.methodologist) => {
    const res = await h.request(s, 'GET', `${base(projectId)}/calibration${query}`);
    expect(res.status).toBe(200);
    return json<CalibrationReport>(res);
  };

  it("gives each coder's alpha and kappa against the key, equal to the published examples", async () => {
    const r = await report();
    expect(r).toMatchObject({ threshold: 0.8, rounds: 'calibration', by: 'round', gold: { imported: 30, decided: 0 } });
    expect(r.fields.map((f) => f.key)).toEqual(['binary', 'grade']);
    const coder = r.coders.find((c) => c.coderId === members.coder.userId)!;
    const binary = coder.fields.find((f) => f.fieldKey === 'binary')!;
    expect(binary).toMatchObject({ n: 10, alphaLevel: 'nominal', kappaWeights: 'unweighted' });
    expect(binary.alpha!).toBeCloseTo(0.095, 3);
    expect(binary.percentAgreement).toBeCloseTo(0.6, 12);
    const grade = coder.fields.find((f) => f.fieldKey === 'grade')!;
    // The production round's item 20 is left out by default.
    expect(grade.n).toBe(19);
    expect(grade.kappa!).toBeCloseTo(0.4842, 4);
    expect(coder.ready).toBe(false);

    const b = r.coders.find((c) => c.coderId === coderB.userId)!;
    expect(b.fields.map((f) => [f.fieldKey, f.n, f.alpha])).toEqual([
      ['binary', 3, 1],
      ['grade', 4, 1],
    ]);
    expect(b.ready).toBe(true);
  });

  it('splits over time by round (in creation order) or by week, and takes every round on request', async () => {
    const r = await report('?by=round');
    const coder = r.coders.find((c) => c.coderId === members.coder.userId)!;
    expect(coder.periods.map((p) => [p.label, p.fields.find((f) => f.fieldKey === 'grade')!.n])).toEqual([
      ['Calibration 1', 10],
      ['Calibration 2', 9],
    ]);
    expect(coder.periods[0]!.fields.find((f) => f.fieldKey === 'binary')!.alpha!).toBeCloseTo(0.095, 3);

    const weekly = await report('?by=week');
    const weeks = weekly.coders.find((c) => c.coderId === members.coder.userId)!.periods;
    expect(weeks.length).toBeGreaterThan(0);
    expect(weeks.every((p) => p.label.startsWith('Week of '))).toBe(true);
    expect(weeks.reduce((n, p) => n + p.fields.find((f) => f.fieldKey === 'grade')!.n, 0)).toBe(19);

    const all = await report('?rounds=all');
    expect(all.coders.find((c) => c.coderId === members.coder.userId)!.fields.find((f) => f.fieldKey === 'grade')!.n).toBe(20);
  });

  it('judges readiness against the threshold given', async () => {
    // Binary alpha is .095: ready at a threshold of .05, not at .5.
    expect((await report('?threshold=0.05')).coders.find((c) => c.coderId === members.coder.userId)!.ready).toBe(true);
    expect((await report('?threshold=0.5')).coders.find((c) => c.coderId === members.coder.userId)!.ready).toBe(false);
    const bad = await h.request(members.methodologist, 'GET', `${base(projectId)}/calibration?threshold=2`);
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error.code).toBe('VALIDATION_FAILED');
  });

  it('is for managers: a coder gets 403, a non-member 404', async () => {
    expect((await h.request(members.coder, 'GET', `${base(projectId)}/calibration`)).status).toBe(403);
    expect((await h.request(outsider, 'GET', `${base(projectId)}/calibration`)).status).toBe(404);
    expect((await report('', members.editor)).coders.length).toBe(2);
  });

  it('leaves out items not yet revealed: a coder’s submission blind to others is measured once the item is revealed', async () => {
    const f = await goldFixture();
    // The fixture's round (production) assigns the item to both coders: every round counts here.
    await importGold(f.projectId, members.editor, { rows: [{ item_id: f.itemId, field: 'impact', value: -2 }] });
    await code(f.projectId, f.itemId, members.coder, { frame: 'security', impact: -2 });
    const rep = async () => json<CalibrationReport>(await h.request(members.methodologist, 'GET', `${base(f.projectId)}/calibration?rounds=all`));
    expect((await rep()).coders).toEqual([]);
    await code(f.projectId, f.itemId, coderB, { frame: 'security', impact: 1 });
    const after = await rep();
    expect(after.coders.map((c) => [c.email, c.fields.find((x) => x.fieldKey === 'impact')!.n]).sort()).toEqual(
      [
        [members.coder.email, 1],
        [coderB.email, 1],
      ].sort(),
    );
  });
});
