/**
 * Deleting an item never removes work silently (issue 12, point 1): an item with codings,
 * comments or decisions is archived (hidden from lists, incident counts and the coder's queue,
 * kept in exports with `archived`, restorable); one without them is deleted; only an owner
 * purges an archived item, repeating its id, with an audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '@concord/db';
import type { ErrorBody, Incident, Item, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;
const listedIds = async (f: ProjectFixture, query = '') =>
  (await json<{ items: Item[] }>(await h.request(members.editor, 'GET', `${base(f)}/items?limit=100${query}`))).items.map((i) => i.id);
const auditActions = async (itemId: string) =>
  (await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'item'), eq(auditLog.entityId, itemId)))).map((e) => e.action).sort();

/** The fixture's item, coded (saved, not submitted) by its coder. */
async function codedFixture(): Promise<ProjectFixture> {
  const f = await createProjectFixture(h, members);
  const saved = await h.request(members.coder, 'PUT', `${base(f)}/items/${f.itemId}/codings/me`, { values: { frame: 'security' } });
  expect(saved.status).toBe(200);
  return f;
}

describe('deleting items', () => {
  it('deletes an item nobody has worked on, with an audit entry', async () => {
    const f = await createProjectFixture(h, members);
    const fresh = await json<Item>(await h.request(members.editor, 'POST', `${base(f)}/items`, { title: 'Untouched' }));
    const res = await h.request(members.editor, 'DELETE', `${base(f)}/items/${fresh.id}`);
    expect(await json(res)).toEqual({ ok: true, outcome: 'deleted' });
    expect((await h.request(members.editor, 'GET', `${base(f)}/items/${fresh.id}`)).status).toBe(404);
    expect(await auditActions(fresh.id)).toEqual(['create', 'delete']);
  });

  it('archives an item with a coding: hidden from lists, counts and the queue, kept with its coding, restorable', async () => {
    const f = await codedFixture();
    expect(await json(await h.request(members.editor, 'DELETE', `${base(f)}/items/${f.itemId}`))).toEqual({ ok: true, outcome: 'archived' });

    expect(await listedIds(f)).not.toContain(f.itemId);
    expect(await listedIds(f, '&archived=only')).toEqual([f.itemId]);
    const rows = await json<{ rows: { id: string }[] }>(await h.request(members.editor, 'GET', `${base(f)}/item-rows`));
    expect(rows.rows.map((r) => r.id)).not.toContain(f.itemId);
    const { incidents } = await json<{ incidents: Incident[] }>(await h.request(members.editor, 'GET', `${base(f)}/incidents`));
    expect(incidents.find((i) => i.id === f.incidentId)!.itemCount).toBe(0);
    const queue = await json<{ entries: { id: string }[] }>(await h.request(members.coder, 'GET', `${base(f)}/queue`));
    expect(queue.entries.map((e) => e.id)).not.toContain(f.itemId);
    // Still readable by id, flagged, with the coder's work intact.
    expect((await json<Item>(await h.request(members.editor, 'GET', `${base(f)}/items/${f.itemId}`))).archivedAt).not.toBeNull();
    const mine = await json<{ fieldKey: string; value: unknown }[]>(await h.request(members.coder, 'GET', `${base(f)}/items/${f.itemId}/codings/me`));
    expect(mine.map((c) => [c.fieldKey, c.value])).toEqual([['frame', 'security']]);

    const restored = await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/restore`);
    expect(restored.status).toBe(200);
    expect((await json<Item>(restored)).archivedAt).toBeNull();
    expect(await listedIds(f)).toContain(f.itemId);
    expect((await h.request(members.editor, 'POST', `${base(f)}/items/${f.itemId}/restore`)).status).toBe(409);
    expect(await auditActions(f.itemId)).toEqual(['archive', 'create', 'restore']);
  });

  it('archives an item with only a comment', async () => {
    const f = await createProjectFixture(h, members);
    expect((await h.request(members.coder, 'POST', `${base(f)}/items/${f.itemId}/comments`, { body: 'Is this satire?' })).status).toBe(201);
    expect(await json(await h.request(members.owner, 'DELETE', `${base(f)}/items/${f.itemId}`))).toEqual({ ok: true, outcome: 'archived' });
  });

  it('keeps an archived item in the items export, flagged archived', async () => {
    const f = await codedFixture();
    await h.request(members.editor, 'DELETE', `${base(f)}/items/${f.itemId}`);
    const res = await h.request(members.owner, 'GET', `${base(f)}/export/items.csv`);
    expect(res.status).toBe(200);
    const [header, ...rows] = (await res.text()).trim().split(/\r?\n/).map((line) => line.split(','));
    const row = rows.find((r) => r[0] === f.itemId)!;
    expect(row[header!.indexOf('archived')]).toBe('true');
  });

  it('lets coders and methodologists neither delete nor restore', async () => {
    const f = await codedFixture();
    for (const role of ['coder', 'methodologist'] as const) {
      expect((await h.request(members[role], 'DELETE', `${base(f)}/items/${f.itemId}`)).status).toBe(403);
    }
    expect(await listedIds(f)).toContain(f.itemId);
    await h.request(members.editor, 'DELETE', `${base(f)}/items/${f.itemId}`);
    expect((await h.request(members.coder, 'POST', `${base(f)}/items/${f.itemId}/restore`)).status).toBe(403);
  });
});

describe('purging archived items', () => {
  it('is the owner\'s alone, only once archived, only with the item id repeated; audited with what went', async () => {
    const f = await codedFixture();
    const purge = (s: Session, body: unknown) => h.request(s, 'POST', `${base(f)}/items/${f.itemId}/purge`, body);
    const notArchived = await purge(members.owner, { confirmItemId: f.itemId });
    expect(notArchived.status).toBe(409);
    await h.request(members.editor, 'DELETE', `${base(f)}/items/${f.itemId}`);

    for (const role of ['editor', 'methodologist', 'coder'] as const) expect((await purge(members[role], { confirmItemId: f.itemId })).status).toBe(403);
    const wrong = await purge(members.owner, { confirmItemId: 'itm_someotheritem00' });
    expect(wrong.status).toBe(400);
    expect((await json<ErrorBody>(wrong)).error.details?.[0]?.path).toEqual(['confirmItemId']);
    expect((await purge(members.owner, {})).status).toBe(400);
    expect((await h.request(members.editor, 'GET', `${base(f)}/items/${f.itemId}`)).status).toBe(200);

    expect((await purge(members.owner, { confirmItemId: f.itemId })).status).toBe(200);
    expect((await h.request(members.editor, 'GET', `${base(f)}/items/${f.itemId}`)).status).toBe(404);
    const [entry] = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, f.itemId), eq(auditLog.action, 'purge')));
    expect(entry).toMatchObject({ actorId: members.owner.userId, before: { item: { id: f.itemId, title: 'A post about the arrest' }, removed: { codings: 1, comments: 0, decisions: 0 } } });
  });
});
