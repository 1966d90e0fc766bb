/**
 * Project setup from the browser's point of view: progress counts and permitted actions on
 * projects, the CMO template, assignment previews and workload (invitations: invitations.test.ts),
 * and codebook saves that always record a version with a note of what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentPreview, Codebook, CodebookVersion, ErrorBody, Project, Role, WorkloadRow } from '@concord/shared';
import { DEMO_CODEBOOK } from '../src/demo/codebook.ts';
import { actorOf, createProjectFixture, createTeamHarness, json, signUp, type Harness, type Session } from './harness.ts';
import { createItem } from '../src/services/items/items.ts';
import { POLICY } from '../src/services/authz.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

describe('projects: progress and actions', () => {
  it('counts items, coded, submitted and revealed items, as the coding steps happen', async () => {
    const f = await createProjectFixture(h, members);
    const progress = async () => (await json<Project>(await h.request(members.owner, 'GET', `/api/projects/${f.projectId}`))).progress;
    expect(await progress()).toEqual({ scope: 'project', items: 1, coded: 0, submitted: 0, revealed: 0 });

    // A second item nobody codes keeps the denominators honest.
    await createItem({ ctx: h.ctx(actorOf(members.owner)), projectId: f.projectId, input: {
      externalId: null, title: 'Second', url: null, platform: 'twitter', author: null, publishedAt: null, language: null,
      body: '', reach: null, likes: null, shares: null, comments: null, incidentId: null,
    } });
    const put = await h.request(members.coder, 'PUT', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`, { values: { frame: 'security', impact: 1 } });
    expect(put.status).toBe(200);
    expect(await progress()).toEqual({ scope: 'project', items: 2, coded: 1, submitted: 0, revealed: 0 });

    const submit = await h.request(members.coder, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me/submit`);
    expect(submit.status).toBe(200);
    expect(await progress()).toEqual({ scope: 'project', items: 2, coded: 1, submitted: 1, revealed: 1 });

    // The list carries the caller's figures for every project: a coder's are their own work (one assigned item).
    const listed = (await json<Project[]>(await h.request(members.coder, 'GET', '/api/projects'))).find((p) => p.id === f.projectId);
    expect(listed?.progress).toEqual({ scope: 'mine', items: 1, coded: 1, submitted: 1, revealed: 1 });
    expect(listed?.itemCount).toBe(2);
  });

  it("lists the actions the caller's role may do, as the policy says", async () => {
    const f = await createProjectFixture(h, members);
    for (const role of ['owner', 'coder'] as const) {
      const project = await json<Project>(await h.request(members[role], 'GET', `/api/projects/${f.projectId}`));
      const expected = Object.entries(POLICY)
        .filter(([, roles]) => roles.includes(role))
        .map(([action]) => action);
      expect(project.actions.sort()).toEqual(expected.sort());
    }
    const coder = await json<Project>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}`));
    expect(coder.actions).not.toContain('codebook.edit');
    expect(coder.actions).not.toContain('members.manage');
  });

  it('starts a project from the Civic Media Observatory template', async () => {
    const res = await h.request(members.editor, 'POST', '/api/projects', { name: 'From template', template: 'cmo' });
    expect(res.status).toBe(201);
    const project = await json<Project>(res);
    expect(project.role).toBe('owner');
    const cb = await json<Codebook>(await h.request(members.editor, 'GET', `/api/projects/${project.id}/codebook`));
    expect(cb.version).toBe(1);
    expect(cb.name).toBe(DEMO_CODEBOOK.name);
    expect(cb.fields).toEqual(DEMO_CODEBOOK.fields);
  });

  it('refuses an unknown template', async () => {
    const res = await h.request(members.editor, 'POST', '/api/projects', { name: 'Nope', template: 'spss' });
    expect(res.status).toBe(400);
  });
});

describe('assignment preview and workload', () => {
  async function projectWithItems(n: number, coders: Session[]) {
    const f = await createProjectFixture(h, members, { extraCoders: coders });
    const owner = h.ctx(actorOf(members.owner));
    for (let i = 0; i < n - 1; i++) {
      await createItem({ ctx: owner, projectId: f.projectId, input: {
        externalId: null, title: `Item ${i}`, url: null, platform: 'twitter', author: null, publishedAt: null, language: null,
        body: '', reach: null, likes: null, shares: null, comments: null, incidentId: f.incidentId,
      } });
    }
    return f;
  }

  it('previews exactly what applying creates, the same for the same seed, without writing', async () => {
    const extra = [await signUp(h, 'c2'), await signUp(h, 'c3')];
    const f = await projectWithItems(7, extra);
    const coderIds = [members.coder.userId, ...extra.map((c) => c.userId)];
    const input = { roundName: 'Reliability', coderIds, mode: { type: 'k', k: 2 }, seed: 42 };
    const before = await json<WorkloadRow[]>(await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/assignments/workload`));

    const a = await json<AssignmentPreview>(await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/assignments/preview`, input));
    const b = await json<AssignmentPreview>(await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/assignments/preview`, input));
    expect(b).toEqual(a);
    // 7 items x 2 coders, minus the fixture's item already assigned to the first coder when the plan gives it to them.
    expect(a.items).toBe(7);
    expect(a.assignments + a.alreadyAssigned).toBe(14);
    expect(Object.values(a.perCoder).reduce((s, n) => s + n, 0)).toBe(a.assignments);
    const after = await json<WorkloadRow[]>(await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/assignments/workload`));
    expect(after).toEqual(before);

    const applied = await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/assignments`, input);
    expect(applied.status).toBe(201);
    const result = await json<{ assignments: number; perCoder: Record<string, number> }>(applied);
    expect(result.perCoder).toEqual(a.perCoder);
    expect(result.assignments).toBe(a.assignments);

    // After applying, the same preview finds everything assigned already.
    const again = await json<AssignmentPreview>(await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/assignments/preview`, input));
    expect(again).toMatchObject({ assignments: 0, alreadyAssigned: 14 });
  });

  it('counts the workload per coder from the assignments themselves', async () => {
    const extra = [await signUp(h, 'w2')];
    const f = await projectWithItems(5, extra);
    const coderIds = [members.coder.userId, extra[0]!.userId];
    const res = await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/assignments`, { roundName: 'All', coderIds, mode: { type: 'k', k: 2 }, seed: 1 });
    expect(res.status).toBe(201);
    await h.request(members.coder, 'PUT', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`, { values: { frame: 'leader', impact: 0 } });
    expect((await h.request(members.coder, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me/submit`)).status).toBe(200);

    const list = await json<{ coderId: string; submittedAt: string | null }[]>(await h.request(members.owner, 'GET', `/api/projects/${f.projectId}/assignments`));
    const expected = coderIds
      .map((coderId) => ({
        coderId,
        assigned: list.filter((a) => a.coderId === coderId).length,
        submitted: list.filter((a) => a.coderId === coderId && a.submittedAt !== null).length,
      }))
      .sort((x, y) => x.coderId.localeCompare(y.coderId));
    const rows = await json<WorkloadRow[]>(await h.request(members.owner, 'GET', `/api/projects/${f.projectId}/assignments/workload`));
    expect(rows).toEqual(expected);
    expect(rows.find((r) => r.coderId === members.coder.userId)).toMatchObject({ assigned: 5, submitted: 1 });
  });

  it('refuses previews with k larger than the coders', async () => {
    const f = await projectWithItems(2, []);
    const res = await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/assignments/preview`, {
      roundName: 'r', coderIds: [members.coder.userId], mode: { type: 'k', k: 2 }, seed: 1,
    });
    expect(res.status).toBe(400);
  });
});

describe('codebook versions from the editor', () => {
  it('records every save as a new version whose note says what changed', async () => {
    const f = await createProjectFixture(h, members);
    const cb = await json<Codebook>(await h.request(members.owner, 'GET', `/api/projects/${f.projectId}/codebook`));
    const fields = cb.fields.map((field) =>
      field.type === 'single_choice'
        ? { ...field, options: [...field.options.slice(0, 2), { ...field.options[2]!, label: 'Tokayev is the best leader' }, { value: 'foreign', label: 'Foreign plot', parent: null, help: '' }] }
        : field,
    );
    const res = await h.request(members.owner, 'PUT', `/api/projects/${f.projectId}/codebook`, { name: cb.name, fields, baseVersion: cb.version, newVersion: true });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json<Codebook>(res)).version).toBe(cb.version + 1);
    const versions = await json<CodebookVersion[]>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/codebook/versions`));
    expect(versions[0]).toMatchObject({
      version: cb.version + 1,
      current: true,
      note: 'changed field "frame": options added "foreign"; option "leader" renamed "Best leader" → "Tokayev is the best leader"',
    });

    // The version edited is stale now: 409 with a message that says so.
    const stale = await h.request(members.owner, 'PUT', `/api/projects/${f.projectId}/codebook`, { name: cb.name, fields, baseVersion: cb.version, newVersion: true });
    expect(stale.status).toBe(409);
    expect((await json<ErrorBody>(stale)).error).toMatchObject({ code: 'VERSION_CONFLICT', message: expect.stringContaining(`version ${cb.version + 1}`) });
  });
});
