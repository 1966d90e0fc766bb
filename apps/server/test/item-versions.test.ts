/**
 * Item text versions (issue 12, item 1): once an item has codings, a change of its title or
 * body keeps the text it replaces (GET …/items/:itemId/versions/:n); each coding records the
 * text version its coder submitted under (at submit; a submit on a text that changed since the
 * coder loaded it is refused with 409); the disagreement detail shows it per coder and the long
 * codings export has an `item_version` column. Blind rules are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '@concord/db';
import type { Coding, DisagreementDetail, ErrorBody, ImportResult, Item, ItemVersion, Role } from '@concord/shared';
import { createRound } from '../src/services/assignments/assignments.ts';
import { actorOf, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let f: ProjectFixture;
let base: string;

const itemPath = (itemId = f.itemId) => `${base}/items/${itemId}`;
const getItem = async (itemId = f.itemId) => json<Item>(await h.request(members.coder, 'GET', itemPath(itemId)));
const edit = (body: Record<string, unknown>, itemId = f.itemId) => h.request(members.editor, 'PATCH', itemPath(itemId), body);
const version = (n: number, who: Session = members.coder, itemId = f.itemId) => h.request(who, 'GET', `${itemPath(itemId)}/versions/${n}`);
const save = (s: Session, values: Record<string, unknown>, itemId = f.itemId) => h.request(s, 'PUT', `${itemPath(itemId)}/codings/me`, { values });
const submit = (s: Session, query = '', itemId = f.itemId) => h.request(s, 'POST', `${itemPath(itemId)}/codings/me/submit${query}`);
const mine = async (s: Session) => json<Coding[]>(await h.request(s, 'GET', `${itemPath()}/codings/me`));

beforeAll(async () => {
  ({ h, members, others: { coderB } } = await createTeamHarness(['coderB']));
  f = await createProjectFixture(h, members, { extraCoders: [coderB] });
  base = `/api/projects/${f.projectId}`;
});
afterAll(() => h.close());

describe('item text versions', () => {
  it('changes the text of an item nobody coded in place: no version kept', async () => {
    const created = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'Uncoded', body: 'first' }));
    expect(created.textVersion).toBe(1);
    const edited = await json<Item>(await edit({ body: 'second' }, created.id));
    expect(edited).toMatchObject({ body: 'second', textVersion: 1 });
    expect((await json<{ versions: unknown[] }>(await h.request(members.coder, 'GET', `${itemPath(created.id)}/versions`))).versions).toEqual([]);
  });

  it("moves an assigned item's number whether or not its coders saved anything: the number tells a blind coder nothing of the others", async () => {
    const newAssigned = async (title: string) => {
      const item = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title, body: 'first' }));
      await createRound({ ctx: h.ctx(actorOf(members.owner)), projectId: f.projectId, input: { roundName: `round ${title}`, coderIds: [members.coder.userId, coderB.userId], itemIds: [item.id], mode: { type: 'k', k: 2 }, seed: 1 } });
      return item.id;
    };
    const [touched, untouched] = [await newAssigned('B saved on it'), await newAssigned('nobody saved on it')];
    expect((await save(coderB, { frame: 'security' }, touched)).status).toBe(200);
    for (const itemId of [touched, untouched]) expect((await edit({ body: 'second' }, itemId)).status).toBe(200);
    expect([(await getItem(touched)).textVersion, (await getItem(untouched)).textVersion]).toEqual([2, 2]);
  });

  it('keeps the text a coded item had when its title or body changes, and numbers the new one', async () => {
    expect((await save(members.coder, { frame: 'security', impact: -2 })).status).toBe(200);
    const original = await getItem();
    expect(original.textVersion).toBe(1);

    // Other fields, or the same text sent again, keep the version.
    expect((await json<Item>(await edit({ platform: 'telegram', title: original.title, body: original.body }))).textVersion).toBe(1);

    const edited = await json<Item>(await edit({ body: 'text, corrected' }));
    expect(edited).toMatchObject({ body: 'text, corrected', textVersion: 2 });
    const kept = await json<ItemVersion>(await version(1));
    expect(kept).toMatchObject({ version: 1, title: original.title, body: original.body, current: false });
    expect(kept.replacedAt).not.toBeNull();
    expect(await json<ItemVersion>(await version(2))).toMatchObject({ version: 2, body: 'text, corrected', current: true, replacedAt: null });
    const list = await json<{ current: number; versions: { version: number; title: string }[] }>(await h.request(members.coder, 'GET', `${itemPath()}/versions`));
    expect(list).toMatchObject({ current: 2, versions: [{ version: 1, title: original.title }] });

    const [entry] = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, f.itemId), eq(auditLog.action, 'update')))
      .orderBy(auditLog.id)
      .then((rows) => rows.slice(-1));
    expect(entry?.before).toMatchObject({ body: original.body, textVersion: 1 });
    expect(entry?.after).toMatchObject({ body: 'text, corrected', textVersion: 2 });
  });

  it('answers 404 for a version the item never had, and for another project\'s item', async () => {
    const res = await version(9);
    expect(res.status).toBe(404);
    expect((await json<ErrorBody>(res)).error.code).toBe('NOT_FOUND');
    const other = await createProjectFixture(h, members);
    expect((await h.request(members.coder, 'GET', `${base}/items/${other.itemId}/versions/1`)).status).toBe(404);
    expect((await h.request(members.coder, 'GET', `${itemPath()}/versions/0`)).status).toBe(400);
  });

  it('refuses a submit made on a text that has changed since (409), then records the version submitted under', async () => {
    const stale = await submit(members.coder, '?itemVersion=1');
    expect(stale.status).toBe(409);
    const body = await json<ErrorBody>(stale);
    expect(body.error.code).toBe('CONFLICT');
    expect(body.error.message).toMatch(/version 1.*version 2/);
    expect((await mine(members.coder)).every((c) => c.status === 'draft' && c.itemVersion === null)).toBe(true);

    expect((await submit(members.coder, '?itemVersion=2')).status).toBe(200);
    const coded = await mine(members.coder);
    expect(coded.length).toBeGreaterThan(0);
    expect(coded.every((c) => c.status === 'submitted' && c.itemVersion === 2)).toBe(true);
  });

  it('keeps blind coding: before the reveal nobody sees the other coder\'s values or versions', async () => {
    expect((await save(coderB, { frame: 'leader', impact: 1 })).status).toBe(200);
    const seenByB = await json<Coding[]>(await h.request(coderB, 'GET', `${itemPath()}/codings`));
    expect(new Set(seenByB.map((c) => c.coderId))).toEqual(new Set([coderB.userId]));
    // The earlier text is the item's, not anyone's coding: every member may read it.
    expect((await version(1, coderB)).status).toBe(200);
    expect((await h.request(members.editor, 'GET', `${itemPath()}/disagreements/impact`)).status).toBe(403);
    const csv = await (await h.request(members.editor, 'GET', `${base}/export/codings.csv?layout=long`)).text();
    expect(csv.trim().split('\n')).toHaveLength(1);
  });

  it('shows each coder\'s version in the disagreement detail and the long export', async () => {
    expect((await edit({ title: 'A post about the arrest (retitled)' })).status).toBe(200);
    expect((await getItem()).textVersion).toBe(3);
    // No itemVersion sent (an API client): the version current at submit.
    expect((await submit(coderB)).status).toBe(200);
    expect((await getItem()).phase).toBe('revealed');

    const detail = await json<DisagreementDetail>(await h.request(members.editor, 'GET', `${itemPath()}/disagreements/impact`));
    expect(detail.item.textVersion).toBe(3);
    expect(Object.fromEntries(detail.coders.map((c) => [c.coderId, c.itemVersion]))).toEqual({ [members.coder.userId]: 2, [coderB.userId]: 3 });

    const [header, ...rows] = (await (await h.request(members.editor, 'GET', `${base}/export/codings.csv?layout=long`)).text()).trim().split('\n').map((l) => l.split(','));
    expect(header!.slice(0, 5)).toEqual(['unit', 'coder', 'field', 'value', 'item_version']);
    const versions = new Map(rows.map((r) => [`${r[1]}:${r[2]}`, r[4]]));
    const labels = [...new Set(rows.map((r) => r[1]!))];
    expect(labels).toHaveLength(2);
    expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(['2', '3']));
    // Each coder's rows carry one version.
    for (const label of labels) expect(new Set(rows.filter((r) => r[1] === label).map((r) => versions.get(`${r[1]}:${r[2]}`))).size).toBe(1);

    // The wide layout, asked for versions, puts each coder's in that coder's column (the coders differ here: 2 and 3).
    const wide = parse(await (await h.request(members.editor, 'GET', `${base}/export/codings.csv?layout=wide&field=impact&itemVersions=1`)).text()) as string[][];
    const [wideHeader, wideRow] = [wide[0]!, wide.find((r) => r[0] === f.itemId)!];
    const impactVersionOf = new Map(rows.filter((r) => r[2] === 'impact').map((r) => [r[1]!, r[4]!]));
    expect([...impactVersionOf.values()].sort()).toEqual(['2', '3']);
    for (const label of labels) expect(wideRow[wideHeader.indexOf(`item_version_${label}`)]).toBe(impactVersionOf.get(label));
  });

  it('keeps the text of a coded item an import changes, as an edit does', async () => {
    const created = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'Imported post', externalId: 'rec-versions-1', body: 'as first imported' }));
    await createRound({ ctx: h.ctx(actorOf(members.owner)), projectId: f.projectId, input: { roundName: 'import round', coderIds: [members.coder.userId], itemIds: [created.id], mode: { type: 'k', k: 1 }, seed: 1 } });
    expect((await save(members.coder, { impact: 0 }, created.id)).status).toBe(200);
    const csv = 'Record ID,Title,Text\nrec-versions-1,Imported post,as corrected in Airtable\n';
    const res = await h.request(members.editor, 'POST', `${base}/import`, csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(201);
    expect(await json<ImportResult>(res)).toMatchObject({ updated: 1, inserted: 0 });
    expect(await getItem(created.id)).toMatchObject({ body: 'as corrected in Airtable', textVersion: 2 });
    expect(await json<ItemVersion>(await version(1, members.coder, created.id))).toMatchObject({ body: 'as first imported', current: false });
  });
});
