/**
 * The incident page's API (issue 12, item 2): one incident with its counts. Managers see the
 * incident's totals; a coder sees only her own work on its items, so another coder's draft on
 * a blind item moves nothing she can see (SECURITY.md, rule 7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail, Item, Role } from '@concord/shared';
import { createRound } from '../src/services/assignments/assignments.ts';
import { actorOf, createProjectFixture, createTeamHarness, json, signUp, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let f: ProjectFixture;
let base: string;

const detail = async (who: Session, incidentId = f.incidentId) => {
  const res = await h.request(who, 'GET', `${base}/incidents/${incidentId}`);
  expect(res.status).toBe(200);
  return json<IncidentDetail>(res);
};
const save = async (who: Session, itemId: string, values: Record<string, unknown>) =>
  expect((await h.request(who, 'PUT', `${base}/items/${itemId}/codings/me`, { values })).status).toBe(200);
const submit = async (who: Session, itemId: string) => expect((await h.request(who, 'POST', `${base}/items/${itemId}/codings/me/submit`)).status).toBe(200);

beforeAll(async () => {
  ({ h, members, others: { coderB } } = await createTeamHarness(['coderB']));
  // The fixture item is in the incident, assigned to both coders.
  f = await createProjectFixture(h, members, { extraCoders: [coderB] });
  base = `/api/projects/${f.projectId}`;
});
afterAll(() => h.close());

describe('GET /incidents/:incidentId', () => {
  it('gives the incident\'s fields and totals to managers, and each coder her own work only', async () => {
    const add = async (title: string) => json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title, incidentIds: [f.incidentId], publishedAt: '2022-01-06' }));
    const onlyB = await add('Assigned to coder B alone');
    await add('Nobody codes this one');
    await h.request(members.editor, 'POST', `${base}/items`, { title: 'Another incident\'s item' });
    await createRound({ ctx: h.ctx(actorOf(members.owner)), projectId: f.projectId, input: { roundName: 'b', coderIds: [coderB.userId], itemIds: [onlyB.id], mode: { type: 'k', k: 1 }, seed: 1 } });

    await save(members.coder, f.itemId, { frame: 'security', impact: 1 });
    await submit(members.coder, f.itemId);
    const coderBefore = await detail(members.coder);
    // Coder B's draft on the shared blind item, and on her own.
    await save(coderB, f.itemId, { impact: -2 });
    await save(coderB, onlyB.id, { impact: 3 });

    const managerView = await detail(members.methodologist);
    expect(managerView).toMatchObject({ id: f.incidentId, name: 'Arrest after the January protests', itemCount: 3 });
    expect(managerView.progress).toEqual({ scope: 'project', items: 3, coded: 2, submitted: 1, revealed: 0 });
    expect((await detail(members.editor)).progress).toEqual(managerView.progress);

    const coderView = await detail(members.coder);
    expect(coderView.progress).toEqual({ scope: 'mine', items: 1, coded: 1, submitted: 1, revealed: 0 });
    expect(coderView).toEqual(coderBefore);
    expect((await detail(coderB)).progress).toEqual({ scope: 'mine', items: 2, coded: 2, submitted: 0, revealed: 0 });

    // The last coder submits: the shared item is revealed, for both coders and the managers.
    await save(coderB, f.itemId, { frame: 'leader', impact: -2 });
    await submit(coderB, f.itemId);
    expect((await detail(members.coder)).progress.revealed).toBe(1);
    expect((await detail(members.owner)).progress).toMatchObject({ submitted: 1, revealed: 1 });
  });

  it('answers 404 for an unknown incident, another project\'s, and to non-members', async () => {
    const other = await createProjectFixture(h, members);
    expect((await h.request(members.owner, 'GET', `${base}/incidents/inc_doesnotexist00000`)).status).toBe(404);
    expect((await h.request(members.owner, 'GET', `${base}/incidents/${other.incidentId}`)).status).toBe(404);
    const outsider = await signUp(h, 'outsider');
    expect((await h.request(outsider, 'GET', `${base}/incidents/${f.incidentId}`)).status).toBe(404);
  });
});
