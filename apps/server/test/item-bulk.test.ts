/**
 * Bulk edit of selected items (issue 12, item 1): `PATCH /api/projects/:id/items` sets incidents
 * (replace or add), platform and language on every named item in one transaction, with an audit
 * entry per changed item; owners and editors only; any unknown id or incident refuses the whole
 * edit with a 400 and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '@concord/db';
import type { ErrorBody, Incident, Item, ItemBulkResult, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;
let base: string;

const bulk = (body: unknown, who: Session = members.editor) => h.request(who, 'PATCH', `${base}/items`, body);
const getItem = async (id: string) => json<Item>(await h.request(members.coder, 'GET', `${base}/items/${id}`));
const snapshot = async (ids: string[]) => Promise.all(ids.map(async (id) => (({ platform, language, incidentIds }) => ({ platform, language, incidentIds }))(await getItem(id))));
const bulkAudits = async () =>
  h.deps.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.projectId, f.projectId), eq(auditLog.action, 'bulk-update')));

async function createIncident(name: string): Promise<Incident> {
  return json<Incident>(await h.request(members.editor, 'POST', `${base}/incidents`, { name }));
}
async function createItems(n: number, extra: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await h.request(members.editor, 'POST', `${base}/items`, { title: `Bulk ${i}`, ...extra });
    expect(res.status).toBe(201);
    ids.push((await json<Item>(res)).id);
  }
  return ids;
}
async function expectValidationError(res: Response, path: string) {
  expect(res.status).toBe(400);
  const body = await json<ErrorBody>(res);
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(typeof body.error.message).toBe('string');
  expect(JSON.stringify(body.error.details)).toContain(path);
}

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
  base = `/api/projects/${f.projectId}`;
});
afterAll(() => h.close());

describe('bulk edit of items', () => {
  it('sets platform and language on every selected item, counts those already so, and audits each change', async () => {
    const ids = await createItems(3, { platform: 'news', language: 'ru' });
    const already = (await createItems(1, { platform: 'telegram', language: 'kk' }))[0]!;
    const before = (await bulkAudits()).length;
    const res = await bulk({ itemIds: [...ids, already], set: { platform: 'telegram', language: 'kk' } });
    expect(res.status).toBe(200);
    expect(await json<ItemBulkResult>(res)).toEqual({ updated: 3, unchanged: 1 });
    for (const id of [...ids, already]) expect(await getItem(id)).toMatchObject({ platform: 'telegram', language: 'kk' });

    const entries = (await bulkAudits()).slice(before);
    expect(entries.map((e) => e.entityId).sort()).toEqual([...ids].sort());
    for (const e of entries) {
      expect(e.entity).toBe('item');
      expect(e.actorId).toBe(members.editor.userId);
      expect(e.before).toMatchObject({ platform: 'news', language: 'ru' });
      expect(e.after).toMatchObject({ platform: 'telegram', language: 'kk' });
    }

    // null clears; only the fields named change.
    expect((await bulk({ itemIds: ids, set: { language: null } })).status).toBe(200);
    for (const id of ids) expect(await getItem(id)).toMatchObject({ platform: 'telegram', language: null });
  });

  it('adds an incident to each item (keeping theirs, no repeats) or replaces their incidents', async () => {
    const a = await createIncident('Bulk A');
    const b = await createIncident('Bulk B');
    const [first, second] = await createItems(2);
    expect((await h.request(members.editor, 'PATCH', `${base}/items/${first}`, { incidentIds: [a.id] })).status).toBe(200);

    const added = await bulk({ itemIds: [first, second], set: { addIncidentIds: [a.id, b.id] } });
    expect(await json<ItemBulkResult>(added)).toEqual({ updated: 2, unchanged: 0 });
    expect((await getItem(first!)).incidentIds).toEqual([a.id, b.id]);
    expect((await getItem(second!)).incidentIds).toEqual([a.id, b.id]);
    const listed = await json<{ items: Item[] }>(await h.request(members.coder, 'GET', `${base}/items?incident=${b.id}`));
    expect(listed.items.map((i) => i.id).sort()).toEqual([first, second].sort());

    expect(await json<ItemBulkResult>(await bulk({ itemIds: [first, second], set: { addIncidentIds: [b.id] } }))).toEqual({ updated: 0, unchanged: 2 });
    expect((await bulk({ itemIds: [first, second], set: { incidentIds: [b.id] } })).status).toBe(200);
    expect((await getItem(first!)).incidentIds).toEqual([b.id]);
    expect((await getItem(first!)).incidentId).toBe(b.id);
    expect((await bulk({ itemIds: [first, second], set: { incidentIds: [] } })).status).toBe(200);
    expect((await getItem(second!)).incidentIds).toEqual([]);
  });

  it('refuses unknown and foreign item ids with a 400 naming itemIds, and changes none of the others', async () => {
    const other = await createProjectFixture(h, members);
    const ids = await createItems(2, { platform: 'news' });
    const before = await snapshot(ids);
    const audits = (await bulkAudits()).length;
    for (const stranger of ['item_doesnotexist000000', other.itemId]) {
      await expectValidationError(await bulk({ itemIds: [...ids, stranger], set: { platform: 'vk' } }), 'itemIds');
    }
    expect(await snapshot(ids)).toEqual(before);
    expect((await getItem(f.itemId)).platform).toBe('facebook');
    expect((await json<Item>(await h.request(members.editor, 'GET', `/api/projects/${other.projectId}/items/${other.itemId}`))).platform).toBe('facebook');
    expect((await bulkAudits()).length).toBe(audits);
  });

  it('refuses bad input with a 400 and nothing changed: unknown incidents, empty or contradictory changes, repeated ids', async () => {
    const other = await createProjectFixture(h, members);
    const ids = await createItems(2, { platform: 'news' });
    const before = await snapshot(ids);
    await expectValidationError(await bulk({ itemIds: ids, set: { addIncidentIds: [other.incidentId] } }), 'incidentIds');
    await expectValidationError(await bulk({ itemIds: ids, set: { incidentIds: ['inc_nope'], platform: 'vk' } }), 'incidentIds');
    await expectValidationError(await bulk({ itemIds: ids, set: {} }), 'set');
    await expectValidationError(await bulk({ itemIds: ids, set: { incidentIds: [f.incidentId], addIncidentIds: [f.incidentId] } }), 'set');
    await expectValidationError(await bulk({ itemIds: [ids[0], ids[0]], set: { platform: 'vk' } }), 'itemIds');
    await expectValidationError(await bulk({ itemIds: [], set: { platform: 'vk' } }), 'itemIds');
    await expectValidationError(await bulk({ itemIds: ids, set: { platform: 'myspace' } }), 'platform');
    await expectValidationError(await bulk({ itemIds: ids, set: { title: 'All the same' } }), 'set');
    expect(await snapshot(ids)).toEqual(before);
  });

  it('is for owners and editors: methodologists and coders get 403 and nothing changes', async () => {
    const ids = await createItems(1, { platform: 'news' });
    for (const role of ['methodologist', 'coder'] as const) {
      const res = await bulk({ itemIds: ids, set: { platform: 'vk' } }, members[role]);
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('FORBIDDEN');
    }
    expect((await getItem(ids[0]!)).platform).toBe('news');
    expect((await bulk({ itemIds: ids, set: { platform: 'vk' } }, members.owner)).status).toBe(200);
    expect((await getItem(ids[0]!)).platform).toBe('vk');
  });
});
