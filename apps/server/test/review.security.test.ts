/**
 * Review features and blind coding: coders never reach reliability or the gold dataset
 * (the inbox shows them only their own revealed items: disagreements.security.test.ts); nothing of an item that is not revealed shows in reliability or in the
 * inbox; discussion threads do not leak coders' values while an item is independent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Comment, type Disagreement, type ReliabilityReport, type Role, type ErrorBody } from '@concord/shared';
import { addToProject, createProjectFixture, createTeamHarness, json, signUp, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB } } = await createTeamHarness(['coderB']));
});
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;
const save = (f: ProjectFixture, s: Session, values: Record<string, unknown>) => h.request(s, 'PUT', `${base(f)}/items/${f.itemId}/codings/me`, { values });
const submit = (f: ProjectFixture, s: Session) => h.request(s, 'POST', `${base(f)}/items/${f.itemId}/codings/me/submit`);
const inbox = async (f: ProjectFixture) => json<{ disagreements: Disagreement[]; total: number }>(await h.request(members.editor, 'GET', `${base(f)}/disagreements`));
const impact = async (f: ProjectFixture) =>
  (await json<ReliabilityReport>(await h.request(members.methodologist, 'GET', `${base(f)}/reliability?field=impact&bootstrap=0`))).fields[0]!;

describe('coders', () => {
  it.each(['/reliability', '/adjudications', '/export/gold.csv'])('get 403 with the error body for %s', async (path) => {
    const f = await createProjectFixture(h, members);
    const res = await h.request(members.coder, 'GET', `${base(f)}${path}`);
    expect(res.status).toBe(403);
    expect((await json<ErrorBody>(res)).error).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('may not adjudicate, even their own revealed item', async () => {
    const f = await createProjectFixture(h, members);
    await save(f, members.coder, { frame: 'security', impact: 1 });
    await submit(f, members.coder);
    const res = await h.request(members.coder, 'PUT', `${base(f)}/items/${f.itemId}/adjudications/impact`, { value: 2, rationale: 'mine' });
    expect(res.status).toBe(403);
  });
});

describe('items that are not revealed', () => {
  it('never enter reliability or the inbox: not independent, not joint; only once revealed, and not after going back', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    await save(f, members.coder, { frame: 'security', impact: -3 });
    await save(f, coderB, { frame: 'leader', impact: 3 });
    await submit(f, members.coder);
    expect((await inbox(f)).total).toBe(0);
    expect(await impact(f)).toMatchObject({ n_units: 0, n_coders: 0, value: null });

    expect((await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/phase`, { phase: 'joint' })).status).toBe(200);
    expect((await inbox(f)).total).toBe(0);
    expect((await impact(f)).n_units).toBe(0);

    await submit(f, coderB);
    expect((await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/phase`, { phase: 'revealed' })).status).toBe(200);
    const revealed = await inbox(f);
    // Equally severe: codebook order.
    expect(revealed.disagreements.map((d) => [d.fieldKey, d.severity])).toEqual([
      ['frame', 1],
      ['impact', 1],
    ]);
    // coderB submitted after the joint session opened: her coding is not blind, so reliability
    // leaves it out and says so (issue 13); the inbox still shows the disagreement.
    expect(await impact(f)).toMatchObject({ n_units: 1, n_coders: 1, excluded_not_blind: 1 });

    expect((await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/phase`, { phase: 'independent' })).status).toBe(200);
    expect((await inbox(f)).total).toBe(0);
    expect((await impact(f)).n_units).toBe(0);
  });

  it('counts only submitted codings: a draft on a revealed item stays out', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    await save(f, members.coder, { frame: 'security', impact: -3 });
    await save(f, coderB, { frame: 'leader', impact: 3 });
    await submit(f, members.coder);
    // An editor reveals before coderB submits: coderB's draft is not data.
    await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/phase`, { phase: 'revealed' });
    expect((await inbox(f)).total).toBe(0);
    expect(await impact(f)).toMatchObject({ n_units: 1, n_coders: 1, value: null });
  });
});

describe('discussion threads', () => {
  const post = (f: ProjectFixture, s: Session, body: string, fieldKey: string | null = 'impact') =>
    h.request(s, 'POST', `${base(f)}/items/${f.itemId}/comments`, { body, fieldKey });
  const read = async (f: ProjectFixture, s: Session) => (await json<Comment[]>(await h.request(s, 'GET', `${base(f)}/items/${f.itemId}/comments`))).map((c) => c.body);

  it("keep a coder's comments from the other coders while the item is independent, and open up once revealed", async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const outsider = await signUp(h, 'outsider');
    await addToProject(h, members.owner, f.projectId, outsider, 'coder');
    expect((await post(f, members.coder, 'I went with -3: it calls protesters bandits')).status).toBe(201);
    expect((await post(f, coderB, 'Is the second paragraph a quote?', null)).status).toBe(201);
    expect((await post(f, members.editor, 'Reminder: code the post, not the linked article', null)).status).toBe(201);

    expect(await read(f, members.coder)).toEqual(['I went with -3: it calls protesters bandits', 'Reminder: code the post, not the linked article']);
    expect(await read(f, coderB)).toEqual(['Is the second paragraph a quote?', 'Reminder: code the post, not the linked article']);
    expect(await read(f, outsider)).toEqual(['Reminder: code the post, not the linked article']);
    for (const s of [members.editor, members.methodologist, members.owner]) expect(await read(f, s)).toHaveLength(3);

    await save(f, members.coder, { frame: 'security', impact: -3 });
    await save(f, coderB, { frame: 'security', impact: -2 });
    await submit(f, members.coder);
    await submit(f, coderB);
    for (const s of [members.coder, coderB, outsider]) expect(await read(f, s)).toHaveLength(3);
    const thread = await json<Comment[]>(await h.request(coderB, 'GET', `${base(f)}/items/${f.itemId}/comments?field=impact`));
    expect(thread.map((c) => [c.fieldKey, c.authorId])).toEqual([['impact', members.coder.userId]]);
  });

  it('hide coders\' comments from a manager who codes the same item', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    await h.request(members.owner, 'POST', `${base(f)}/assignments`, {
      roundName: 'owner codes too',
      coderIds: [members.owner.userId],
      itemIds: [f.itemId],
      mode: { type: 'k', k: 1 },
      seed: 1,
    });
    await post(f, coderB, 'My impact is -1');
    expect(await read(f, members.owner)).toEqual([]);
    expect(await read(f, members.editor)).toEqual(['My impact is -1']);
  });
});
