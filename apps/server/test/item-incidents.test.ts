/**
 * Items in several incidents (issue 12, point 3) and incidents as records (point 2), on the
 * API: `incidentIds` on items, per-incident filters and counts that count an item under each
 * of its incidents, incidents with country, dates and tags, and bad input refused with nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '@concord/db';
import type { ErrorBody, Incident, Item, ItemRows, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;
let base: string;

async function createIncident(name: string, extra: Record<string, unknown> = {}): Promise<Incident> {
  const res = await h.request(members.editor, 'POST', `${base}/incidents`, { name, ...extra });
  expect(res.status).toBe(201);
  return json<Incident>(res);
}
const incidentList = async (as = members.coder) => (await json<{ incidents: Incident[] }>(await h.request(as, 'GET', `${base}/incidents`))).incidents;
const getItem = async (id: string) => json<Item>(await h.request(members.coder, 'GET', `${base}/items/${id}`));

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
  base = `/api/projects/${f.projectId}`;
});
afterAll(() => h.close());

describe('items in several incidents', () => {
  it('stores incidentIds in order (the first primary) and returns them on the item, the list and the table rows', async () => {
    const a = await createIncident('Bloody January');
    const b = await createIncident('Internet shutdown');
    const res = await h.request(members.editor, 'POST', `${base}/items`, { title: 'Post in two incidents', incidentIds: [b.id, a.id] });
    expect(res.status).toBe(201);
    const created = await json<Item>(res);
    expect(created.incidentIds).toEqual([b.id, a.id]);
    expect(created.incidentId).toBe(b.id);
    expect((await getItem(created.id)).incidentIds).toEqual([b.id, a.id]);

    for (const incident of [a, b]) {
      const list = await json<{ items: Item[] }>(await h.request(members.coder, 'GET', `${base}/items?incident=${incident.id}`));
      expect(list.items.map((i) => i.id)).toEqual([created.id]);
      const rows = await json<ItemRows>(await h.request(members.coder, 'GET', `${base}/item-rows?incident=${incident.id}`));
      expect(rows.rows.map((r) => [r.id, r.incidentIds])).toEqual([[created.id, [b.id, a.id]]]);
    }
    const counts = new Map((await incidentList()).map((i) => [i.id, i.itemCount]));
    expect(counts.get(a.id)).toBe(1);
    expect(counts.get(b.id)).toBe(1);
  });

  it('replaces the incidents on edit, keeps them on an edit that names none, and takes the old single incidentId', async () => {
    const a = await createIncident('Edit A');
    const b = await createIncident('Edit B');
    const created = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'T', incidentId: a.id, body: 'kept text', reach: 12 }));
    expect(created.incidentIds).toEqual([a.id]);

    const swapped = await h.request(members.editor, 'PATCH', `${base}/items/${created.id}`, { incidentIds: [b.id, a.id] });
    expect(swapped.status).toBe(200);
    expect((await json<Item>(swapped)).incidentIds).toEqual([b.id, a.id]);

    // An edit of the title alone changes nothing else: no default overwrites the text, counts or incidents.
    const retitled = await json<Item>(await h.request(members.editor, 'PATCH', `${base}/items/${created.id}`, { title: 'New title' }));
    expect(retitled).toMatchObject({ title: 'New title', body: 'kept text', reach: 12, incidentIds: [b.id, a.id] });

    const cleared = await json<Item>(await h.request(members.editor, 'PATCH', `${base}/items/${created.id}`, { incidentIds: [] }));
    expect(cleared.incidentIds).toEqual([]);
    expect(cleared.incidentId).toBeNull();
  });

  it('refuses unknown, foreign and repeated incidents with a 400 naming incidentIds, and changes nothing', async () => {
    const other = await createProjectFixture(h, members);
    const a = await createIncident('Refuse A');
    const item = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'Stays', incidentIds: [a.id] }));
    for (const incidentIds of [['inc_doesnotexist00000'], [other.incidentId], [a.id, a.id]]) {
      const res = await h.request(members.editor, 'PATCH', `${base}/items/${item.id}`, { title: 'Changed', incidentIds });
      expect(res.status).toBe(400);
      expect(JSON.stringify((await json<ErrorBody>(res)).error)).toContain('incidentIds');
      expect(await getItem(item.id)).toMatchObject({ title: 'Stays', incidentIds: [a.id] });
    }
    const before = (await json<{ total: number }>(await h.request(members.coder, 'GET', `${base}/items`))).total;
    const res = await h.request(members.editor, 'POST', `${base}/items`, { title: 'Foreign', incidentIds: [a.id, other.incidentId] });
    expect(res.status).toBe(400);
    expect((await json<{ total: number }>(await h.request(members.coder, 'GET', `${base}/items`))).total).toBe(before);
  });

  it('lets coders read but not add or edit items', async () => {
    expect((await h.request(members.coder, 'POST', `${base}/items`, { title: 'x' })).status).toBe(403);
    expect((await h.request(members.coder, 'PATCH', `${base}/items/${f.itemId}`, { title: 'x' })).status).toBe(403);
    expect((await h.request(members.methodologist, 'PATCH', `${base}/items/${f.itemId}`, { incidentIds: [] })).status).toBe(403);
    expect((await getItem(f.itemId)).incidentIds).toEqual([f.incidentId]);
  });

  it('audits item edits with what changed', async () => {
    const item = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'Audited' }));
    await h.request(members.editor, 'PATCH', `${base}/items/${item.id}`, { title: 'Audited, renamed' });
    const entries = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'item'), eq(auditLog.entityId, item.id)));
    expect(entries.map((e) => e.action).sort()).toEqual(['create', 'update']);
    const update = entries.find((e) => e.action === 'update')!;
    expect(update).toMatchObject({ actorId: members.editor.userId, before: { title: 'Audited' }, after: { title: 'Audited, renamed' } });
  });
});

describe('incidents as records', () => {
  it('lists {incidents: [{id, name, description, country, startDate, endDate, itemCount}]}', async () => {
    const created = await createIncident('Qandy Qantar', {
      description: 'Protests over fuel prices turned violent.',
      country: 'Kazakhstan',
      startDate: '2022-01-02',
      endDate: '2022-01-11',
      tags: ['protest', 'internet shutdown'],
    });
    const listed = (await incidentList()).find((i) => i.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: 'Qandy Qantar',
      description: 'Protests over fuel prices turned violent.',
      country: 'Kazakhstan',
      startDate: '2022-01-02',
      endDate: '2022-01-11',
      tags: ['protest', 'internet shutdown'],
      itemCount: 0,
    });
  });

  it('edits only the fields sent, and refuses an end before the start or a bad date with nothing changed', async () => {
    const created = await createIncident('Dated', { startDate: '2022-03-01', endDate: '2022-03-05', country: 'Kazakhstan' });
    const edit = await h.request(members.editor, 'PATCH', `${base}/incidents/${created.id}`, { description: 'Now described' });
    expect(edit.status).toBe(200);
    const after = (await incidentList()).find((i) => i.id === created.id);
    expect(after).toMatchObject({ description: 'Now described', startDate: '2022-03-01', endDate: '2022-03-05', country: 'Kazakhstan' });

    const backwards = await h.request(members.editor, 'PATCH', `${base}/incidents/${created.id}`, { endDate: '2022-02-01' });
    expect(backwards.status).toBe(400);
    expect((await json<ErrorBody>(backwards)).error.details?.[0]?.path).toEqual(['endDate']);
    const badDate = await h.request(members.editor, 'POST', `${base}/incidents`, { name: 'Bad date', startDate: '2022-13-40' });
    expect(badDate.status).toBe(400);
    expect((await json<ErrorBody>(badDate)).error.details?.[0]?.path).toEqual(['startDate']);
    expect((await incidentList()).find((i) => i.id === created.id)).toMatchObject({ endDate: '2022-03-05' });
    expect((await incidentList()).some((i) => i.name === 'Bad date')).toBe(false);
  });

  it('lets only owners and editors create or edit incidents', async () => {
    for (const role of ['coder', 'methodologist'] as const) {
      expect((await h.request(members[role], 'POST', `${base}/incidents`, { name: `By ${role}` })).status).toBe(403);
      expect((await h.request(members[role], 'PATCH', `${base}/incidents/${f.incidentId}`, { description: 'x' })).status).toBe(403);
    }
    expect((await h.request(members.owner, 'PATCH', `${base}/incidents/${f.incidentId}`, { tags: ['owner edit'] })).status).toBe(200);
  });

  it('counts an item under each of its incidents, and keeps the item when an incident is deleted', async () => {
    const a = await createIncident('Count A');
    const b = await createIncident('Count B');
    const both = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'both', incidentIds: [a.id, b.id] }));
    await h.request(members.editor, 'POST', `${base}/items`, { title: 'only b', incidentIds: [b.id] });
    const counts = new Map((await incidentList()).map((i) => [i.id, i.itemCount]));
    expect([counts.get(a.id), counts.get(b.id)]).toEqual([1, 2]);

    expect((await h.request(members.editor, 'DELETE', `${base}/incidents/${a.id}`)).status).toBe(200);
    expect(await getItem(both.id)).toMatchObject({ title: 'both', incidentIds: [b.id], incidentId: b.id });
  });
});
