/**
 * A coder's own queue through the real routes (issue 13, Contract): `GET …/items?assigned=me&status=`,
 * `GET …/queue` and `GET …/queue/next`. The queue holds only the caller's assigned items, in
 * project order; status is hers alone; a coder cannot look at another coder's queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Item, QueueNext, Role } from '@concord/shared';
import { addItem, assignRound, codeItem, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { ok } from './testing.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let outsider: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB, outsider } } = await createTeamHarness(['coderB', 'outsider']));
});
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;

async function addAssignedItem(f: ProjectFixture, title: string, coders: Session[]): Promise<string> {
  const itemId = await addItem(h, members.owner, f.projectId, { title });
  if (coders.length) await assignRound(h, members.owner, f.projectId, [itemId], coders, { roundName: title });
  return itemId;
}

const save = (f: ProjectFixture, itemId: string, s: Session, values: Record<string, unknown>) => codeItem(h, f.projectId, itemId, s, values, false);
const submit = async (f: ProjectFixture, itemId: string, s: Session) =>
  expect((await h.request(s, 'POST', `${base(f)}/items/${itemId}/codings/me/submit`)).status).toBe(200);
const listIds = async (f: ProjectFixture, s: Session, query: string) => {
  const res = await h.request(s, 'GET', `${base(f)}/items${query}`);
  expect(res.status).toBe(200);
  return (await json<{ items: Item[]; total: number }>(res)).items.map((i) => i.id);
};
const next = (f: ProjectFixture, s: Session, after?: string) => h.request(s, 'GET', `${base(f)}/queue/next${after ? `?after=${after}` : ''}`);

/**
 * The coder's queue: fixture item (shared with coderB, submitted by the coder), `started`
 * (a draft), `fresh` (nothing yet), `later` (nothing yet); `others` is coderB's alone and
 * `nobody` is unassigned.
 */
async function queueFixture() {
  const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
  const started = await addAssignedItem(f, 'started', [members.coder]);
  const others = await addAssignedItem(f, 'others', [coderB]);
  const fresh = await addAssignedItem(f, 'fresh', [members.coder]);
  const nobody = await addAssignedItem(f, 'nobody', []);
  const later = await addAssignedItem(f, 'later', [members.coder, coderB]);
  await save(f, f.itemId, members.coder, { frame: 'security', impact: 1 });
  await submit(f, f.itemId, members.coder);
  await save(f, started, members.coder, { impact: 2 });
  // coderB's own draft on a shared item must not move the coder's status.
  await save(f, later, coderB, { impact: -1 });
  return { f, started, others, fresh, nobody, later };
}

describe('items ?assigned=me&status=', () => {
  it("returns only the caller's assigned items, in each status, in project order", async () => {
    const q = await queueFixture();
    const { f } = q;
    expect(await listIds(f, members.coder, '?assigned=me')).toEqual([f.itemId, q.started, q.fresh, q.later]);
    expect(await listIds(f, members.coder, '?assigned=me&status=todo')).toEqual([q.fresh, q.later]);
    expect(await listIds(f, members.coder, '?assigned=me&status=in_progress')).toEqual([q.started]);
    expect(await listIds(f, members.coder, '?assigned=me&status=submitted')).toEqual([f.itemId]);
    // coderB's statuses are hers: her draft on `later` is in progress, the shared fixture item still to do.
    expect(await listIds(f, coderB, '?assigned=me&status=in_progress')).toEqual([q.later]);
    expect(await listIds(f, coderB, '?assigned=me&status=todo')).toEqual([f.itemId, q.others]);
    // The item table takes the same filters.
    const rows = await h.request(members.coder, 'GET', `${base(f)}/item-rows?assigned=me&status=todo`);
    expect((await json<{ rows: { id: string }[] }>(rows)).rows.map((r) => r.id)).toEqual([q.fresh, q.later]);
  });

  it('lets managers filter any coder by status, and refuses a status without a coder with a clear 400', async () => {
    const q = await queueFixture();
    expect(await listIds(q.f, members.editor, `?coder=${members.coder.userId}&status=in_progress`)).toEqual([q.started]);
    expect(await listIds(q.f, members.editor, '?assigned=me')).toEqual([]);
    const res = await h.request(members.editor, 'GET', `${base(q.f)}/items?status=todo`);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('assigned=me') });
    expect((await h.request(members.coder, 'GET', `${base(q.f)}/items?assigned=someone`)).status).toBe(400);
    expect((await h.request(members.coder, 'GET', `${base(q.f)}/items?assigned=me&status=done`)).status).toBe(400);
  });

  it("refuses a coder another coder's queue (403) and a non-member the project (404)", async () => {
    const q = await queueFixture();
    expect((await h.request(members.coder, 'GET', `${base(q.f)}/items?coder=${coderB.userId}&status=todo`)).status).toBe(403);
    expect((await h.request(members.coder, 'GET', `${base(q.f)}/queue?coder=${coderB.userId}`)).status).toBe(403);
    expect((await h.request(outsider, 'GET', `${base(q.f)}/items?assigned=me`)).status).toBe(404);
    expect((await h.request(outsider, 'GET', `${base(q.f)}/queue`)).status).toBe(404);
    expect((await next(q.f, outsider)).status).toBe(404);
  });
});

describe('GET …/queue', () => {
  it('lists the queue with each status and the counts behind "my n of m"', async () => {
    const q = await queueFixture();
    const queueOf = async (s: Session, query: { coder?: string }) => {
      const res = await h.client(s).api.projects[':projectId'].queue.$get({ param: { projectId: q.f.projectId }, query });
      expect(res.status).toBe(200);
      return ok(res);
    };
    const queue = await queueOf(members.coder, {});
    expect(queue.coderId).toBe(members.coder.userId);
    expect(queue.entries.map((e) => [e.id, e.status])).toEqual([
      [q.f.itemId, 'submitted'],
      [q.started, 'in_progress'],
      [q.fresh, 'todo'],
      [q.later, 'todo'],
    ]);
    expect(queue.counts).toEqual({ todo: 2, in_progress: 1, submitted: 1 });
    // A manager switches to the coder's queue and sees the same.
    const managerView = await queueOf(members.methodologist, { coder: members.coder.userId });
    expect(managerView).toEqual(queue);
  });
});

describe('GET …/queue/next', () => {
  it('walks the unsubmitted items in order, wraps around, and answers 204 when nothing is left', async () => {
    const q = await queueFixture();
    const itemOf = async (res: Response) => {
      expect(res.status).toBe(200);
      return (await json<QueueNext>(res)).item.id;
    };
    expect(await itemOf(await next(q.f, members.coder))).toBe(q.started);
    expect(await itemOf(await next(q.f, members.coder, q.started))).toBe(q.fresh);
    expect(await itemOf(await next(q.f, members.coder, q.fresh))).toBe(q.later);
    // From the last one, back to the first unsubmitted; from an item outside the queue, the next after it.
    expect(await itemOf(await next(q.f, members.coder, q.later))).toBe(q.started);
    expect(await itemOf(await next(q.f, members.coder, q.others))).toBe(q.fresh);
    expect(await itemOf(await next(q.f, members.coder, q.nobody))).toBe(q.later);

    for (const id of [q.started, q.fresh, q.later]) {
      await save(q.f, id, members.coder, { frame: 'leader', impact: 0 });
      await submit(q.f, id, members.coder);
    }
    const done = await next(q.f, members.coder);
    expect(done.status).toBe(204);
    expect(await done.text()).toBe('');
    expect((await next(q.f, members.coder, q.later)).status).toBe(204);
    // coderB still has work; the editor has no queue at all.
    expect(await itemOf(await next(q.f, coderB))).toBe(q.f.itemId);
    expect((await next(q.f, members.editor)).status).toBe(204);
  });

  it('skips the item the coder is on, and answers 404 for an item of another project', async () => {
    const f = await createProjectFixture(h, members);
    expect((await next(f, members.coder, f.itemId)).status).toBe(204);
    const other = await createProjectFixture(h, members);
    expect((await next(f, members.coder, other.itemId)).status).toBe(404);
  });
});
