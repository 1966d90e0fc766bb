/**
 * One disagreement in full (the detail route), the inbox as a coder sees it, discussion
 * threads with mentions, and the decision's history from the audit log, through the real
 * routes on small fixtures whose expected values are worked out by hand below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment, Disagreement, DisagreementDetail, ErrorBody, Role } from '@concord/shared';
import { actorOf, addItem, assignRound, codeItem, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { createIncident } from '../src/services/items/incidents.ts';
import { addMember } from '../src/services/projects/members.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let outsider: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB, outsider } } = await createTeamHarness(['coderB', 'outsider']));
});
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;
const code = (f: ProjectFixture, itemId: string, s: Session, values: Record<string, unknown>, submit = true) => codeItem(h, f.projectId, itemId, s, values, submit);
const detail = (f: ProjectFixture, s: Session, fieldKey: string, itemId = f.itemId) => h.request(s, 'GET', `${base(f)}/items/${itemId}/disagreements/${fieldKey}`);
const inbox = async (f: ProjectFixture, s: Session, query = '') =>
  json<{ disagreements: Disagreement[]; total: number }>(await h.request(s, 'GET', `${base(f)}/disagreements${query}`));

/** A second item (in its own incident when given) assigned to `coders`. */
async function addAssignedItem(f: ProjectFixture, title: string, coders: Session[], incidentId = f.incidentId): Promise<string> {
  const itemId = await addItem(h, members.owner, f.projectId, { title, incidentId });
  await assignRound(h, members.owner, f.projectId, [itemId], coders, { roundName: title });
  return itemId;
}

describe('the detail of a disagreement', () => {
  it("shows the item, each coder's value and notes, the severity the inbox ranks by, and who may decide", async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    await code(f, f.itemId, members.coder, { frame: 'security', impact: -3, notes: 'Reads as state messaging.' });
    await code(f, f.itemId, coderB, { frame: 'protesters_terrorists', impact: 1 });

    const res = await detail(f, members.editor, 'impact');
    expect(res.status).toBe(200);
    const d = await json<DisagreementDetail>(res);
    expect(d.item).toMatchObject({ id: f.itemId, title: 'A post about the arrest', platform: 'facebook', phase: 'revealed' });
    expect(d.field).toMatchObject({ key: 'impact', type: 'ordinal' });
    // Ordinal distance on the -3..3 scale: |-3 - 1| / 6.
    expect(d.severity).toBeCloseTo(4 / 6, 12);
    const byCoder = new Map(d.coders.map((c) => [c.coderId, c]));
    expect(byCoder.get(members.coder.userId)).toMatchObject({ value: -3, status: 'submitted', notes: [{ fieldKey: 'notes', label: 'Notes', text: 'Reads as state messaging.' }] });
    expect(byCoder.get(coderB.userId)).toMatchObject({ value: 1, status: 'submitted', notes: [] });
    expect(d.coders.every((c) => c.submittedAt !== null)).toBe(true);
    expect(d).toMatchObject({ adjudication: null, history: [], canAdjudicate: true });

    // The same severity as the inbox row; a parent against its child is half as far as two parents.
    const rows = (await inbox(f, members.editor)).disagreements;
    expect(rows.map((r) => [r.fieldKey, r.severity])).toEqual([
      ['impact', 4 / 6],
      ['frame', 0.5],
    ]);
    expect((await json<DisagreementDetail>(await detail(f, members.editor, 'frame'))).severity).toBe(0.5);

    // The item's own coder sees it too, without the decision form.
    const mine = await json<DisagreementDetail>(await detail(f, members.coder, 'impact'));
    expect(mine.canAdjudicate).toBe(false);
    expect(mine.coders.map((c) => c.value).sort()).toEqual([-3, 1]);
  });

  it('answers 404 for an unknown field or item', async () => {
    const f = await createProjectFixture(h, members);
    await code(f, f.itemId, members.coder, { frame: 'security', impact: 0 });
    expect((await detail(f, members.editor, 'nope')).status).toBe(404);
    expect((await detail(f, members.editor, 'impact', 'itm_aaaaaaaaaaaaaaaa')).status).toBe(404);
  });
});

describe('blind rule', () => {
  it('shows nothing before reveal, and after it only the item\'s coders and managers', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const owner = h.ctx(actorOf(members.owner));
    await addMember({ ctx: owner, projectId: f.projectId, input: { email: outsider.email, role: 'coder' } });
    await code(f, f.itemId, members.coder, { frame: 'security', impact: -3 });
    await code(f, f.itemId, coderB, { frame: 'leader', impact: 3 }, false);

    for (const s of [members.editor, members.owner, members.coder, coderB]) {
      const res = await detail(f, s, 'impact');
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.message).toMatch(/blind until it is revealed/);
      expect((await inbox(f, s)).total).toBe(0);
    }
    // Joint session: participants see each other's values; the inbox still waits for reveal.
    expect((await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/phase`, { phase: 'joint' })).status).toBe(200);
    const joint = await json<DisagreementDetail>(await detail(f, coderB, 'impact'));
    expect(joint).toMatchObject({ severity: null });
    expect(joint.coders.map((c) => [c.value, c.status]).sort()).toEqual([[-3, 'submitted'], [3, 'draft']]);
    expect((await inbox(f, members.editor)).total).toBe(0);

    await h.request(coderB, 'POST', `${base(f)}/items/${f.itemId}/codings/me/submit`);
    expect((await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/phase`, { phase: 'revealed' })).status).toBe(200);
    expect((await inbox(f, members.editor)).total).toBe(2);
    expect((await inbox(f, members.coder)).total).toBe(2);
    // A coder of the project who does not code this item sees neither the row nor the detail.
    expect((await inbox(f, outsider)).total).toBe(0);
    expect((await detail(f, outsider, 'impact')).status).toBe(403);
  });

  it("gives a coder only the disagreements of their own items, and no way to decide", async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const other = await addAssignedItem(f, 'Only B and the editor', [coderB, members.editor]);
    await code(f, f.itemId, members.coder, { frame: 'security', impact: -3 });
    await code(f, f.itemId, coderB, { frame: 'security', impact: 3 });
    await code(f, other, coderB, { frame: 'security', impact: -1 });
    await code(f, other, members.editor, { frame: 'leader', impact: -1 });

    const all = await inbox(f, members.methodologist);
    expect(all.disagreements.map((d) => [d.itemId, d.fieldKey])).toEqual([
      [f.itemId, 'impact'],
      [other, 'frame'],
    ]);
    expect((await inbox(f, members.coder)).disagreements.map((d) => [d.itemId, d.fieldKey])).toEqual([[f.itemId, 'impact']]);
    expect((await inbox(f, coderB)).total).toBe(2);
    expect((await detail(f, members.coder, 'frame', other)).status).toBe(403);
    const put = await h.request(members.coder, 'PUT', `${base(f)}/items/${f.itemId}/adjudications/impact`, { value: 0, rationale: 'mine' });
    expect(put.status).toBe(403);
  });
});

describe('inbox filters', () => {
  it('by field, incident and coder, each keeping exactly the matching rows of the unfiltered inbox', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const owner = h.ctx(actorOf(members.owner));
    const elsewhere = await createIncident({ ctx: owner, projectId: f.projectId, input: { name: 'Another incident', description: '' } });
    const second = await addAssignedItem(f, 'In the other incident', [coderB, members.editor], elsewhere.id);
    await code(f, f.itemId, members.coder, { frame: 'security', impact: -2 });
    await code(f, f.itemId, coderB, { frame: 'leader', impact: 2 });
    await code(f, second, coderB, { frame: 'security', impact: 0 });
    await code(f, second, members.editor, { frame: 'leader', impact: 1 });

    const all = (await inbox(f, members.editor)).disagreements;
    expect(all).toHaveLength(4);
    const keys = (rows: Disagreement[]) => rows.map((d) => `${d.itemId}/${d.fieldKey}`);
    expect(keys((await inbox(f, members.editor, '?field=frame')).disagreements)).toEqual(keys(all.filter((d) => d.fieldKey === 'frame')));
    expect(keys((await inbox(f, members.editor, `?incident=${elsewhere.id}`)).disagreements)).toEqual(keys(all.filter((d) => d.incidentId === elsewhere.id)));
    expect(keys((await inbox(f, members.editor, `?coder=${members.coder.email}`)).disagreements)).toEqual(keys(all.filter((d) => d.itemId === f.itemId)));
    expect(keys((await inbox(f, members.editor, `?coder=${members.editor.userId}&field=impact`)).disagreements)).toEqual([`${second}/impact`]);
  });
});

describe('discussion threads', () => {
  it('store the members a comment mentions, by email local part or display name, and return them', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    await code(f, f.itemId, members.coder, { frame: 'security', impact: -3 });
    await code(f, f.itemId, coderB, { frame: 'leader', impact: 3 });
    const local = (s: Session) => s.email.split('@')[0]!;
    const body = `@${local(members.coder)} and @coderB, why so far apart? (not @${local(outsider)}, not ${members.editor.email}, not @nobody).`;
    const res = await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/comments`, { body, fieldKey: 'impact' });
    expect(res.status).toBe(201);
    const posted = await json<Comment>(res);
    expect(posted).toMatchObject({ projectId: f.projectId, itemId: f.itemId, fieldKey: 'impact', authorId: members.editor.userId, mentions: [members.coder.userId, coderB.userId] });

    const none = await json<Comment>(await h.request(coderB, 'POST', `${base(f)}/items/${f.itemId}/comments`, { body: 'I read it as mockery.', fieldKey: 'impact' }));
    expect(none.mentions).toEqual([]);
    const thread = await json<Comment[]>(await h.request(members.coder, 'GET', `${base(f)}/items/${f.itemId}/comments?field=impact`));
    expect(thread.map((c) => [c.body, c.mentions])).toEqual([
      [body, [members.coder.userId, coderB.userId]],
      ['I read it as mockery.', []],
    ]);
  });
});

describe('the decision history', () => {
  it('lists every step from the audit log: who, when, which value, why', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    await code(f, f.itemId, members.coder, { frame: 'security', impact: -3 });
    await code(f, f.itemId, coderB, { frame: 'leader', impact: 3 });
    const url = `${base(f)}/items/${f.itemId}/adjudications/impact`;
    expect((await h.request(members.editor, 'PUT', url, { value: -1, rationale: 'Mild harm after discussion.' })).status).toBe(200);
    expect((await h.request(members.owner, 'PUT', url, { value: -2, rationale: 'Harm is clearer in context.' })).status).toBe(200);
    expect((await h.request(members.editor, 'POST', `${url}/reopen`)).status).toBe(200);

    const d = await json<DisagreementDetail>(await detail(f, members.coder, 'impact'));
    expect(d.adjudication).toMatchObject({ value: -2, status: 'reopened', rationale: 'Harm is clearer in context.' });
    expect(d.history.map((s) => [s.action, s.actorId, s.value, s.previousValue, s.rationale, s.status])).toEqual([
      ['decide', members.editor.userId, -1, null, 'Mild harm after discussion.', 'decided'],
      ['revise', members.owner.userId, -2, -1, 'Harm is clearer in context.', 'decided'],
      ['reopen', members.editor.userId, -2, -2, 'Harm is clearer in context.', 'reopened'],
    ]);
    expect(d.history.map((s) => s.actorName)).toEqual(['editor', 'owner', 'editor']);
    const times = d.history.map((s) => Date.parse(s.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The inbox row carries the decision too.
    const row = (await inbox(f, members.editor, '?field=impact')).disagreements[0]!;
    expect(row.adjudication).toEqual({ status: 'reopened', value: -2 });
  });
});
