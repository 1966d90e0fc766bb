/**
 * Round types and independence per coding (issue 13, item 3; Contract: reliability's `verdict`
 * and `excluded_not_blind`). A coding is blind when its item stayed independent for its coder
 * from assignment to submit; reliability reads blind codings only and counts the rest; a
 * reliability round's item leaves independence early only when the editor confirms (409 else).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, codings, rounds } from '@concord/db';
import { fromRows, krippendorffAlpha } from '@concord/reliability';
import { verdictOf, type Assignment, type Codebook, type Coding, type Item, type ReliabilityReport, type Role, type FieldDrilldown, type ErrorBody } from '@concord/shared';
import { addItem, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let coderC: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB, coderC } } = await createTeamHarness(['coderB', 'coderC']));
});
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;

const newItem = (f: ProjectFixture, title: string) => addItem(h, members.owner, f.projectId, { title });

/** A round through the API, as a manager makes one. */
async function round(f: ProjectFixture, type: string | undefined, itemIds: string[], coders: Session[]) {
  const res = await h.request(members.editor, 'POST', `${base(f)}/assignments`, {
    roundName: `${type ?? 'untyped'} round`,
    ...(type ? { type } : {}),
    coderIds: coders.map((c) => c.userId),
    itemIds,
    mode: { type: 'k', k: coders.length },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ roundId: string }>(res)).roundId;
}

const code = async (f: ProjectFixture, itemId: string, s: Session, values: Record<string, unknown>) => {
  expect((await h.request(s, 'PUT', `${base(f)}/items/${itemId}/codings/me`, { values })).status).toBe(200);
  const res = await h.request(s, 'POST', `${base(f)}/items/${itemId}/codings/me/submit`);
  expect(res.status, await res.clone().text()).toBe(200);
};
const setPhase = (f: ProjectFixture, itemId: string, body: Record<string, unknown>, s = members.editor) => h.request(s, 'POST', `${base(f)}/items/${itemId}/phase`, body);
const phaseOf = async (f: ProjectFixture, itemId: string) => (await json<Item>(await h.request(members.editor, 'GET', `${base(f)}/items/${itemId}`))).phase;
const blindOf = async (itemId: string, coderId: string) =>
  (await h.deps.database.db.select({ blind: codings.blind }).from(codings).where(and(eq(codings.itemId, itemId), eq(codings.coderId, coderId)))).map((r) => r.blind);

describe('round types', () => {
  it('records the type and the codebook version a round uses; production by default; an unknown type is a 400', async () => {
    const f = await createProjectFixture(h, members);
    const item = await newItem(f, 'typed');
    const reliability = await round(f, 'reliability', [item], [members.coder]);
    const untyped = await round(f, undefined, [item], [members.editor]);
    const codebook = await json<Codebook>(await h.request(members.editor, 'GET', `${base(f)}/codebook`));
    const rows = await h.deps.database.db.select().from(rounds).where(eq(rounds.projectId, f.projectId));
    expect(rows.find((r) => r.id === reliability)).toMatchObject({ type: 'reliability', codebookVersionId: codebook.versionId });
    expect(rows.find((r) => r.id === untyped)).toMatchObject({ type: 'production', codebookVersionId: codebook.versionId });
    for (const type of ['calibration', 'review', 'imported']) await round(f, type, [item], [members.methodologist]);

    const bad = await h.request(members.editor, 'POST', `${base(f)}/assignments`, { roundName: 'x', type: 'rehearsal', coderIds: [members.coder.userId], itemIds: [item], mode: { type: 'k', k: 1 } });
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error.code).toBe('VALIDATION_FAILED');
    const audited = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.projectId, f.projectId), eq(auditLog.entity, 'round')));
    expect(audited.map((a) => a.entityId)).toContain(reliability);
  });
});

describe("a reliability round's item leaving independence", () => {
  it('is refused with 409 while a coder has not submitted, changes nothing, and goes through with confirmExcludeLate', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const item = await newItem(f, 'reliability item');
    await round(f, 'reliability', [item], [members.coder, coderB]);
    await code(f, item, members.coder, { frame: 'security', impact: 1 });

    for (const phase of ['joint', 'revealed']) {
      const refused = await setPhase(f, item, { phase });
      expect(refused.status).toBe(409);
      const body = await json<ErrorBody>(refused);
      expect(body.error.code).toBe('CONFLICT');
      expect(body.error.message).toContain('confirmExcludeLate');
      expect(body.error.message).toContain('1 assigned coder');
      // The detail the web app's confirmation keys on names the input and who is pending.
      expect(body.error.details).toEqual([{ path: ['confirmExcludeLate'], message: 'not submitted yet: coderB' }]);
    }
    expect(await phaseOf(f, item)).toBe('independent');
    const before = await json<Assignment[]>(await h.request(members.editor, 'GET', `${base(f)}/assignments?item=${item}`));
    expect(before.map((a) => a.blind)).toEqual([true, true]);
    // Blind coding still holds: the coder who submitted cannot read coderB's draft, nor can the editor.
    await h.request(coderB, 'PUT', `${base(f)}/items/${item}/codings/me`, { values: { impact: -2 } });
    for (const viewer of [members.coder, members.editor]) {
      const seen = await json<Coding[]>(await h.request(viewer, 'GET', `${base(f)}/items/${item}/codings`));
      expect(seen.filter((c) => c.coderId === coderB.userId)).toEqual([]);
    }
    // Coders cannot change phases at all, with or without the flag.
    expect((await setPhase(f, item, { phase: 'joint', confirmExcludeLate: true }, members.coder)).status).toBe(403);

    const confirmed = await setPhase(f, item, { phase: 'joint', confirmExcludeLate: true });
    expect(confirmed.status).toBe(200);
    expect(await phaseOf(f, item)).toBe('joint');
    const after = await json<Assignment[]>(await h.request(members.editor, 'GET', `${base(f)}/assignments?item=${item}`));
    expect(Object.fromEntries(after.map((a) => [a.coderId, a.blind]))).toEqual({ [members.coder.userId]: true, [coderB.userId]: false });
    const [entry] = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, item), eq(auditLog.action, 'independence-ended')));
    expect(entry).toMatchObject({ actorId: members.editor.userId, after: { phase: 'joint', confirmExcludeLate: true, notBlind: [coderB.userId] } });

    // The late coder's codings are recorded as not blind; the first coder's stay blind.
    await code(f, item, coderB, { frame: 'leader', impact: -2 });
    expect(await blindOf(item, coderB.userId)).toEqual([false, false]);
    expect(await blindOf(item, members.coder.userId)).toEqual([true, true]);
    // Everyone has submitted: revealing needs no confirmation.
    expect((await setPhase(f, item, { phase: 'revealed' })).status).toBe(200);
  });

  it('needs no confirmation once every coder submitted, nor in other round types, where late codings are still not blind', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const production = await newItem(f, 'production item');
    await round(f, 'production', [production], [members.coder, coderB]);
    await code(f, production, members.coder, { frame: 'security', impact: 1 });
    expect((await setPhase(f, production, { phase: 'joint' })).status).toBe(200);
    await code(f, production, coderB, { frame: 'security', impact: 1 });
    expect(await blindOf(production, coderB.userId)).toEqual([false, false]);

    // Back to independent does not make coderB's assignment blind again; a new assignment on a joint item starts not blind.
    const joint = await newItem(f, 'already joint');
    expect((await setPhase(f, joint, { phase: 'joint' })).status).toBe(200);
    await round(f, 'reliability', [joint], [members.coder]);
    const assigned = await json<Assignment[]>(await h.request(members.editor, 'GET', `${base(f)}/assignments?item=${joint}`));
    expect(assigned.map((a) => a.blind)).toEqual([false]);

    const done = await newItem(f, 'all submitted');
    await round(f, 'reliability', [done], [members.coder]);
    await code(f, done, members.coder, { frame: 'leader', impact: 0 });
    expect(await phaseOf(f, done)).toBe('revealed');
    expect((await setPhase(f, done, { phase: 'joint' })).status).toBe(200);
    expect(await blindOf(done, members.coder.userId)).toEqual([true, true]);
  });
});

describe('reliability on blind codings', () => {
  const SCALE = ['-3', '-2', '-1', '0', '1', '2', '3'];
  it('leaves out the codings not made blind, counts them per field, and gives each field a verdict from its CI', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB, coderC] });
    const coders = [members.coder, coderB, coderC];
    // Impact per item and coder; the last item's third value comes late (not blind).
    const impacts = [
      [1, 1, 2],
      [-2, -2, -2],
      [3, 2, 3],
      [0, 0, -1],
      [-3, -3, -3],
      [2, 2, 2],
    ];
    const ids: string[] = [];
    for (const [i] of impacts.entries()) ids.push(await newItem(f, `unit ${i}`));
    await round(f, 'reliability', ids, coders);
    for (const [i, row] of impacts.entries()) {
      const last = i === impacts.length - 1;
      for (const [c, coder] of coders.entries()) {
        if (last && c === 2) continue;
        await code(f, ids[i]!, coder, { frame: 'security', impact: row[c]! });
      }
    }
    const late = ids.at(-1)!;
    expect((await setPhase(f, late, { phase: 'joint', confirmExcludeLate: true })).status).toBe(200);
    await code(f, late, coderC, { frame: 'leader', impact: -3 });
    expect((await setPhase(f, late, { phase: 'revealed' })).status).toBe(200);
    // The fixture's own item (the coder alone, unsubmitted) stays independent and out of the data.

    const res = await h.request(members.methodologist, 'GET', `${base(f)}/reliability?bootstrap=200`);
    expect(res.status).toBe(200);
    const report = await json<ReliabilityReport>(res);
    const field = (key: string) => report.fields.find((x) => x.key === key)!;
    expect(field('impact').excluded_not_blind).toBe(1);
    expect(field('frame').excluded_not_blind).toBe(1);
    expect(field('notes').excluded_not_blind).toBe(0);
    // Equal to the library on the blind values only: coderC's late -3 is missing, not counted.
    const rows = impacts.map((row, i) => row.map((v, c) => (i === impacts.length - 1 && c === 2 ? null : String(v))));
    const expected = krippendorffAlpha({ data: fromRows({ rows, categories: SCALE }), level: 'ordinal' }).value;
    expect(field('impact').value).toBeCloseTo(expected!, 12);
    expect(field('impact').n_units).toBe(6);
    for (const x of report.fields) expect(x.verdict).toBe(verdictOf(x.ci?.low));
    expect(field('impact').verdict).not.toBe('insufficient');
    expect(field('notes').verdict).toBe('insufficient');

    // Without a bootstrap there is no interval, so no verdict but "insufficient".
    const noBoot = await json<ReliabilityReport>(await h.request(members.methodologist, 'GET', `${base(f)}/reliability?bootstrap=0`));
    expect(noBoot.fields.map((x) => x.verdict)).toEqual(noBoot.fields.map(() => 'insufficient'));
    // The drill-down's field row says the same.
    const d = await json<FieldDrilldown>(await h.request(members.methodologist, 'GET', `${base(f)}/reliability/fields/impact?bootstrap=200`));
    expect(d.field).toMatchObject({ value: field('impact').value, excluded_not_blind: 1, verdict: field('impact').verdict });
    // Reliability stays a managers' read.
    expect((await h.request(members.coder, 'GET', `${base(f)}/reliability`)).status).toBe(403);
  });
});
