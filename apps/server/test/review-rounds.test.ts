/**
 * Review rounds (issue 13, item 2): the review queue of single-coded items, the field-by-field
 * review (accept or revise with a rationale) recorded like an adjudication (audit trail, final
 * dataset provenance `reviewed`), and sampling a share of a review round for double coding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { assignments, auditLog, codings, rounds } from '@concord/db';
import type { Adjudication, ErrorBody, FinalDataset, ReviewDetail, ReviewQueue, ReviewRounds, Role, SampleResult } from '@concord/shared';
import { actorOf, addItem, codeItem, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { createRound } from '../src/services/assignments/assignments.ts';
import { planSample } from '../src/services/review/sample-round.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB } } = await createTeamHarness(['coderB']));
});
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;

const newItem = (f: ProjectFixture, title: string, incidentId: string | null = null) => addItem(h, members.owner, f.projectId, { title, incidentId });

async function reviewRound(f: ProjectFixture, itemIds: string[], coders: Session[]) {
  const r = await createRound({ ctx: h.ctx(actorOf(members.editor)), projectId: f.projectId, input: { roundName: 'review round', type: 'review', coderIds: coders.map((c) => c.userId), itemIds, mode: { type: 'k', k: 1 }, seed: 1 } });
  return r.roundId;
}

const code = (f: ProjectFixture, itemId: string, s: Session, values: Record<string, unknown>) => codeItem(h, f.projectId, itemId, s, values);

const queue = async (f: ProjectFixture, query = '', who = members.editor) => {
  const res = await h.request(who, 'GET', `${base(f)}/review${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<ReviewQueue>(res);
};
const review = (f: ProjectFixture, itemId: string, fieldKey: string, body: unknown, who = members.editor) =>
  h.request(who, 'PUT', `${base(f)}/items/${itemId}/review/${fieldKey}`, body);

describe('the review queue', () => {
  it("lists submitted items of review rounds with one coder, filterable by coder and incident; pending until every field is decided", async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const a = await newItem(f, 'in the incident', f.incidentId);
    const b = await newItem(f, 'elsewhere');
    const c = await newItem(f, 'not yet submitted');
    await reviewRound(f, [a, b], [members.coder]);
    await reviewRound(f, [c], [coderB]);
    await code(f, a, members.coder, { frame: 'security', impact: 1 });
    await code(f, b, members.coder, { frame: 'leader', impact: -2, notes: 'satire?' });
    // The fixture's own item is in a production round: not a review item, even once submitted.
    await code(f, f.itemId, members.coder, { frame: 'leader', impact: 0 });

    const all = await queue(f);
    expect(all.entries.map((e) => [e.itemId, e.coderId, e.fields, e.reviewed])).toEqual([
      [a, members.coder.userId, 3, 0],
      [b, members.coder.userId, 3, 0],
    ]);
    expect(all.entries[0]).toMatchObject({ title: 'in the incident', coderName: 'coder', roundName: 'review round', incidentIds: [f.incidentId] });
    expect((await queue(f, `?incident=${f.incidentId}`)).entries.map((e) => e.itemId)).toEqual([a]);
    expect((await queue(f, `?coder=${coderB.userId}`)).entries).toEqual([]);
    expect((await queue(f, `?coder=${members.coder.userId}`)).total).toBe(2);
    expect((await queue(f, '', members.methodologist)).total).toBe(2);

    const refused = await h.request(members.coder, 'GET', `${base(f)}/review`);
    expect(refused.status).toBe(403);
    expect((await json<ErrorBody>(refused)).error.code).toBe('FORBIDDEN');
    expect((await h.request(members.editor, 'GET', `${base(f)}/review?status=done`)).status).toBe(400);

    for (const key of ['frame', 'impact', 'notes']) expect((await review(f, b, key, { action: 'accept' })).status).toBe(200);
    expect((await queue(f)).entries.map((e) => e.itemId)).toEqual([a]);
    expect((await queue(f, '?status=reviewed')).entries.map((e) => [e.itemId, e.reviewed])).toEqual([[b, 3]]);
    expect((await queue(f, '?status=all')).total).toBe(2);
  });
});

describe('reviewing a single-coded item field by field', () => {
  it('accepts or revises with a rationale, recorded like an adjudication, without touching the coding; the final dataset says reviewed', async () => {
    const f = await createProjectFixture(h, members);
    const item = await newItem(f, 'one coder');
    await reviewRound(f, [item], [members.coder]);
    await code(f, item, members.coder, { frame: 'security', impact: 1 });

    const detail = await json<ReviewDetail>(await h.request(members.editor, 'GET', `${base(f)}/items/${item}/review`));
    expect(detail.coder.coderId).toBe(members.coder.userId);
    expect(detail.canReview).toBe(true);
    expect(detail.fields.map((x) => [x.field.key, x.value, x.decision])).toEqual([
      ['frame', 'security', null],
      ['impact', 1, null],
      ['notes', null, null],
    ]);
    expect((await json<ReviewDetail>(await h.request(members.methodologist, 'GET', `${base(f)}/items/${item}/review`))).canReview).toBe(false);

    const accepted = await review(f, item, 'frame', { action: 'accept' });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    expect(await json<Adjudication>(accepted)).toMatchObject({ fieldKey: 'frame', value: 'security', status: 'decided', rationale: 'accepted as coded', decidedBy: members.editor.userId });

    // Revising needs a rationale and a value that fits the codebook; nothing is recorded otherwise.
    for (const body of [{ action: 'revise', value: 2, rationale: '' }, { action: 'revise', value: 2 }, { action: 'revise', value: 9, rationale: 'stronger' }, { action: 'approve' }]) {
      const res = await review(f, item, 'impact', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json<ErrorBody>(res)).error.code).toBe('VALIDATION_FAILED');
    }
    expect((await review(f, item, 'missing_field', { action: 'accept' })).status).toBe(404);
    for (const role of ['coder', 'methodologist'] as const) expect((await review(f, item, 'impact', { action: 'accept' }, members[role])).status).toBe(403);

    const revised = await review(f, item, 'impact', { action: 'revise', value: 2, rationale: 'the post calls for a boycott' });
    expect(revised.status, await revised.clone().text()).toBe(200);
    expect(await json<Adjudication>(revised)).toMatchObject({ value: 2, rationale: 'the post calls for a boycott' });

    const after = await json<ReviewDetail>(await h.request(members.editor, 'GET', `${base(f)}/items/${item}/review`));
    expect(after.fields.map((x) => [x.field.key, x.value, x.decision?.value ?? null])).toEqual([
      ['frame', 'security', 'security'],
      ['impact', 1, 2],
      ['notes', null, null],
    ]);
    // The coder's submission is as she left it.
    const rows = await h.deps.database.db.select().from(codings).where(eq(codings.itemId, item));
    expect(rows.map((r) => [r.fieldKey, r.value, r.status])).toEqual(expect.arrayContaining([['frame', 'security', 'submitted'], ['impact', 1, 'submitted']]));

    const audit = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.projectId, f.projectId), eq(auditLog.entity, 'adjudication'))).orderBy(asc(auditLog.id));
    expect(audit.map((e) => [e.entityId, e.action, e.actorId, (e.after as { review?: string }).review])).toEqual([
      [`${item}:frame`, 'decide', members.editor.userId, 'accept'],
      [`${item}:impact`, 'decide', members.editor.userId, 'revise'],
    ]);
    const history = await json<{ history: { action: string; rationale: string }[] }>(await h.request(members.editor, 'GET', `${base(f)}/items/${item}/disagreements/impact`));
    expect(history.history.map((s) => [s.action, s.rationale])).toEqual([['decide', 'the post calls for a boycott']]);

    const final = await json<FinalDataset>(await h.request(members.editor, 'GET', `${base(f)}/export/final.json`));
    const row = final.items.find((i) => i.id === item)!;
    expect([row.values.frame, row.values.impact, row.values.notes]).toEqual([
      { value: 'security', provenance: 'reviewed' },
      { value: 2, provenance: 'reviewed' },
      { value: null, provenance: 'open' },
    ]);
  });

  it('refuses (409) items with two coders and items not yet submitted', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    // The fixture's item has two coders (coder and coderB).
    await code(f, f.itemId, members.coder, { frame: 'security', impact: 1 });
    for (const res of [await h.request(members.editor, 'GET', `${base(f)}/items/${f.itemId}/review`), await review(f, f.itemId, 'frame', { action: 'accept' })]) {
      expect(res.status).toBe(409);
      expect((await json<ErrorBody>(res)).error.code).toBe('CONFLICT');
    }
    const pending = await newItem(f, 'pending');
    await reviewRound(f, [pending], [members.coder]);
    expect((await review(f, pending, 'frame', { action: 'accept' })).status).toBe(409);
  });
});

describe('sampling a review round for double coding', () => {
  it('gives a seeded share of the still-open items a second blind coder, records it, and those items leave the review queue', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const ids = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((t) => newItem(f, t)));
    const roundId = await reviewRound(f, ids, [members.coder]);
    // One item is already submitted (and so revealed): it can no longer be double coded blind.
    await code(f, ids[0]!, members.coder, { frame: 'security', impact: 1 });

    const res = await h.request(members.methodologist, 'POST', `${base(f)}/rounds/${roundId}/sample`, { share: 0.5, coderIds: [coderB.userId], seed: 7 });
    expect(res.status, await res.clone().text()).toBe(200);
    const sample = await json<SampleResult>(res);
    expect(sample.eligible).toBe(4);
    expect(sample.itemIds).toHaveLength(2);
    expect(sample.itemIds).not.toContain(ids[0]);
    expect(sample.perCoder).toEqual({ [coderB.userId]: 2 });
    // Seeded: the plan is the one the same eligible items, coders and seed give.
    const eligible = ids.slice(1).map((itemId) => ({ itemId, coderId: members.coder.userId }));
    expect(planSample(eligible, [coderB.userId], { share: 0.5 }, 7).map((p) => p.itemId)).toEqual(sample.itemIds);
    expect(sample).toMatchObject({ seed: 7, applied: true });

    const second = await h.deps.database.db.select().from(assignments).where(and(eq(assignments.roundId, roundId), eq(assignments.coderId, coderB.userId)));
    expect(second.map((s) => [s.itemId, s.blind]).sort()).toEqual(sample.itemIds.map((i) => [i, true]).sort());
    const [round] = await h.deps.database.db.select().from(rounds).where(eq(rounds.id, roundId));
    expect(round!.params.samples).toEqual([expect.objectContaining({ share: 0.5, count: null, seed: 7, coderIds: [coderB.userId], itemIds: sample.itemIds, eligible: 4 })]);
    const [entry] = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, roundId), eq(auditLog.action, 'sample')));
    expect(entry).toMatchObject({ actorId: members.methodologist.userId, after: { itemIds: sample.itemIds, assignments: 2 } });

    // Both code every item: the sampled ones are double coded (blind, for reliability), the rest wait for review.
    for (const id of ids.slice(1)) await code(f, id, members.coder, { frame: 'leader', impact: 0 });
    for (const id of sample.itemIds) await code(f, id, coderB, { frame: 'leader', impact: 1 });
    const reviewable = (await queue(f)).entries.map((e) => e.itemId);
    expect(reviewable.sort()).toEqual(ids.filter((i) => !sample.itemIds.includes(i)).sort());
    const sampledRows = await h.deps.database.db.select().from(codings).where(eq(codings.itemId, sample.itemIds[0]!));
    expect(sampledRows.every((r) => r.blind && r.status === 'submitted')).toBe(true);
  });

  it('previews the plan without writing anything; a count instead of a share; the rounds list shows the open items and the samples', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const ids = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((t) => newItem(f, t)));
    const roundId = await reviewRound(f, ids, [members.coder]);
    await code(f, ids[0]!, members.coder, { frame: 'security', impact: 1 });
    const rounds = async () => {
      const res = await h.request(members.methodologist, 'GET', `${base(f)}/review/rounds`);
      expect(res.status, await res.clone().text()).toBe(200);
      return (await json<ReviewRounds>(res)).rounds;
    };
    expect(await rounds()).toEqual([expect.objectContaining({ id: roundId, name: 'review round', open: 5, samples: [] })]);

    const sample = async (body: Record<string, unknown>) => {
      const res = await h.request(members.methodologist, 'POST', `${base(f)}/rounds/${roundId}/sample`, { coderIds: [coderB.userId], seed: 11, ...body });
      expect(res.status, await res.clone().text()).toBe(200);
      return json<SampleResult>(res);
    };
    const preview = await sample({ count: 3, preview: true });
    expect(preview).toMatchObject({ eligible: 5, applied: false, seed: 11, perCoder: { [coderB.userId]: 3 } });
    expect(preview.itemIds).toHaveLength(3);
    const coderBs = () => h.deps.database.db.select().from(assignments).where(and(eq(assignments.roundId, roundId), eq(assignments.coderId, coderB.userId)));
    expect(await coderBs()).toEqual([]);
    expect(await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, roundId), eq(auditLog.action, 'sample')))).toEqual([]);
    expect((await rounds())[0]!.samples).toEqual([]);

    // Applying the same input assigns exactly the previewed items.
    const applied = await sample({ count: 3 });
    expect(applied).toMatchObject({ applied: true, itemIds: preview.itemIds });
    const second = await coderBs();
    expect(second.map((a) => a.itemId).sort()).toEqual([...preview.itemIds].sort());
    const [listed] = await rounds();
    expect(listed).toMatchObject({ open: 2, samples: [expect.objectContaining({ seed: 11, share: null, count: 3, items: 3 })] });
    // A count beyond the open items takes them all.
    expect((await sample({ count: 50, preview: true })).itemIds.sort()).toEqual(ids.slice(1).filter((i) => !preview.itemIds.includes(i)).sort());
  });

  it('refuses other round types (409), a share out of (0, 1] (400), non-members as coders (400), coders (403) and unknown rounds (404)', async () => {
    const f = await createProjectFixture(h, members);
    const item = await newItem(f, 'x');
    const roundId = await reviewRound(f, [item], [members.coder]);
    const production = (await h.deps.database.db.select().from(rounds).where(and(eq(rounds.projectId, f.projectId), eq(rounds.type, 'production'))))[0]!.id;
    const sample = (id: string, body: unknown, who = members.editor) => h.request(who, 'POST', `${base(f)}/rounds/${id}/sample`, body);
    expect((await sample(production, { share: 0.5, coderIds: [members.editor.userId] })).status).toBe(409);
    for (const share of [0, 1.5, -1]) expect((await sample(roundId, { share, coderIds: [members.editor.userId] })).status).toBe(400);
    // Exactly one of share and count.
    expect((await sample(roundId, { coderIds: [members.editor.userId] })).status).toBe(400);
    expect((await sample(roundId, { share: 0.5, count: 1, coderIds: [members.editor.userId] })).status).toBe(400);
    expect((await sample(roundId, { count: 0, coderIds: [members.editor.userId] })).status).toBe(400);
    expect((await sample(roundId, { share: 0.5, coderIds: [coderB.userId] })).status).toBe(400);
    expect((await sample(roundId, { share: 0.5, coderIds: [members.editor.userId] }, members.coder)).status).toBe(403);
    expect((await sample('round_unknown', { share: 0.5, coderIds: [members.editor.userId] })).status).toBe(404);
    expect(await h.deps.database.db.select().from(assignments).where(eq(assignments.itemId, item))).toHaveLength(1);
  });
});
