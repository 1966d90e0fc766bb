/**
 * A `link` field's codes imported (issue 12, items 4 and 7): an Airtable linked-record column of
 * actor names comes in as the coder's actor-id sets. Each name matches an actor by name or alias
 * (trimmed, case-insensitive) or the value map names one; an unmatched name creates an actor when
 * the column says so (`createActors`) or is the items' actors column, else it is a problem on its
 * row and column listing the actors; nothing is saved then. The values export as ids plus names,
 * and the same file again changes nothing.
 */
import { parse } from 'csv-parse/sync';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actors, auditLog, codings, items } from '@concord/db';
import { newId, type Actor, type Coding, type ErrorBody, type ImportCheck, type ImportCodesInput, type ImportResult, type Item, type Role } from '@concord/shared';
import { createProject } from '../src/services/projects/projects.ts';
import { LINK_FIELDS } from './actors-fixture.ts';
import { actorOf, addToProject, createTeamHarness, json, SMALL_CODEBOOK, type Harness, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

/** An empty project with the small codebook plus the link fields `sources` (N/A allowed) and `speakers`, and two actors. */
async function newProject() {
  const owner = h.ctx(actorOf(members.owner));
  const project = await createProject({ ctx: owner, input: { name: `Links ${newId('project')}`, description: '' } });
  await addToProject(h, members.owner, project.id, members.editor, 'editor');
  await addToProject(h, members.owner, project.id, members.coder, 'coder');
  const codebook = await h.request(members.owner, 'PUT', `/api/projects/${project.id}/codebook`, { ...SMALL_CODEBOOK, fields: [...SMALL_CODEBOOK.fields, ...LINK_FIELDS], baseVersion: 1 });
  expect(codebook.status, await codebook.clone().text()).toBe(200);
  const make = async (body: object) => json<Actor>(await h.request(members.editor, 'POST', `/api/projects/${project.id}/actors`, body));
  const kazinform = await make({ name: 'Kazinform', aliases: ['Казинформ'] });
  const akorda = await make({ name: 'Akorda', aliases: ['Presidential office'] });
  return { projectId: project.id, kazinform, akorda };
}

const BASE = ['Record ID,Name,Sources', 'rec1,First post,"  казинформ , Smith"', 'rec2,Second post,"AKORDA,""Doe, Jane"",Kazinform"', 'rec3,Third post,', 'rec4,Fourth post,n/a'].join('\n');

const codesOf = (extra: Partial<ImportCodesInput['columns'][number]> = {}): ImportCodesInput => ({ coder: { imported: true }, columns: [{ column: 'Sources', fieldKey: 'sources', ...extra }] });

/** `mapping` defaults to leaving the items' actors target out, so "Sources" is only the codes' column. */
function post(projectId: string, path: 'import' | 'import/dry-run', csv: string, codes?: ImportCodesInput, mapping: object = { actors: null }) {
  const query = new URLSearchParams({ filename: 'base.csv', mapping: JSON.stringify(mapping), ...(codes ? { codes: JSON.stringify(codes) } : {}) });
  return h.request(members.editor, 'POST', `/api/projects/${projectId}/${path}?${query}`, csv, { 'content-type': 'text/csv' });
}
async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return json<T>(res);
}
const db = () => h.deps.database.db;
const countOf = async (projectId: string) => ({
  items: (await db().select({ n: count() }).from(items).where(eq(items.projectId, projectId)))[0]!.n,
  codings: (await db().select({ n: count() }).from(codings).where(eq(codings.projectId, projectId)))[0]!.n,
  actors: (await db().select({ n: count() }).from(actors).where(eq(actors.projectId, projectId)))[0]!.n,
});
const listActors = async (projectId: string) => (await ok<{ actors: Actor[] }>(await h.request(members.editor, 'GET', `/api/projects/${projectId}/actors`))).actors;
const itemsOf = async (projectId: string) => (await ok<{ items: Item[] }>(await h.request(members.editor, 'GET', `/api/projects/${projectId}/items?limit=100`))).items;
const sourcesOf = async (projectId: string, itemId: string) =>
  (await ok<Coding[]>(await h.request(members.editor, 'GET', `/api/projects/${projectId}/items/${itemId}/codings`))).find((c) => c.fieldKey === 'sources')?.value ?? null;

describe('importing a link field\'s codes', () => {
  it('without createActors, an unknown name is a problem on its row and column listing the actors, and nothing is saved', async () => {
    const { projectId, kazinform, akorda } = await newProject();
    const check = await ok<ImportCheck>(await post(projectId, 'import/dry-run', BASE, codesOf()));
    const actorsListed = `actors: Akorda (${akorda.id}), Kazinform (${kazinform.id}), NA (not applicable)`;
    expect(check.problems).toEqual([
      { row: 1, column: 'Sources', message: `"Smith" is not an actor of this project: map it to one, or let the import create it (${actorsListed})` },
      { row: 2, column: 'Sources', message: `"Doe, Jane" is not an actor of this project: map it to one, or let the import create it (${actorsListed})` },
    ]);
    const [column] = check.codes!.columns;
    expect(column).toMatchObject({ fieldType: 'link', createActors: false, moreLabels: 0 });
    expect(column!.allowed).toEqual([
      { code: akorda.id, label: 'Akorda', parent: null },
      { code: kazinform.id, label: 'Kazinform', parent: null },
      { code: { na: true }, label: 'Not applicable', parent: null },
    ]);
    // Every distinct name, with the actor it matched (by alias, by name whatever the case), or none.
    expect(column!.labels).toEqual([
      { label: 'казинформ', rows: 1, suggested: kazinform.id, code: kazinform.id, mapped: false, newActor: false },
      { label: 'Smith', rows: 1, suggested: null, code: null, mapped: false, newActor: false },
      { label: 'AKORDA', rows: 1, suggested: akorda.id, code: akorda.id, mapped: false, newActor: false },
      { label: 'Doe, Jane', rows: 1, suggested: null, code: null, mapped: false, newActor: false },
      { label: 'Kazinform', rows: 1, suggested: kazinform.id, code: kazinform.id, mapped: false, newActor: false },
      { label: 'n/a', rows: 1, suggested: { na: true }, code: { na: true }, mapped: false, newActor: false },
    ]);
    const res = await post(projectId, 'import', BASE, codesOf());
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error).toMatchObject({ code: 'IMPORT_FAILED', details: check.problems });
    expect(await countOf(projectId)).toEqual({ items: 0, codings: 0, actors: 2 });
  });

  it('maps names to actors and creates the rest (audited); the values are actor id sets exported with names; the same file again changes nothing', async () => {
    const { projectId, kazinform, akorda } = await newProject();
    const codes = codesOf({ createActors: true, valueMap: { Smith: akorda.id } });
    const check = await ok<ImportCheck>(await post(projectId, 'import/dry-run', BASE, codes));
    expect(check.problemCount).toBe(0);
    expect(check.codes).toMatchObject({ codings: 3, items: 3, actorsToCreate: ['Doe, Jane'] });
    expect(check.codes!.columns[0]!.labels.filter((l) => l.mapped || l.newActor)).toEqual([
      { label: 'Smith', rows: 1, suggested: null, code: akorda.id, mapped: true, newActor: false },
      { label: 'Doe, Jane', rows: 1, suggested: null, code: null, mapped: false, newActor: true },
    ]);
    expect(await countOf(projectId)).toEqual({ items: 0, codings: 0, actors: 2 });

    const result = await ok<ImportResult>(await post(projectId, 'import', BASE, codes), 201);
    expect(result).toMatchObject({ inserted: 4, actorsCreated: 1, codes: { codings: 3, items: 3, actorsCreated: 1, revealed: 3 } });
    const doe = (await listActors(projectId)).find((a) => a.name === 'Doe, Jane')!;
    expect(doe).toBeDefined();
    const list = await itemsOf(projectId);
    expect(await sourcesOf(projectId, list[0]!.id)).toEqual([kazinform.id, akorda.id]);
    expect(await sourcesOf(projectId, list[1]!.id)).toEqual([akorda.id, doe.id, kazinform.id]);
    expect(await sourcesOf(projectId, list[2]!.id)).toBeNull();
    expect(await sourcesOf(projectId, list[3]!.id)).toEqual({ na: true });
    const [entry] = await db().select().from(auditLog).where(and(eq(auditLog.projectId, projectId), eq(auditLog.entity, 'import')));
    expect(entry!.after).toMatchObject({ codes: { actorsCreated: 1 } });

    const long = parse(await (await h.request(members.editor, 'GET', `/api/projects/${projectId}/export/codings.csv?layout=long&field=sources`)).text(), { columns: true }) as Record<string, string>[];
    const second = long.find((r) => r.unit === list[1]!.id)!;
    const ids = [akorda.id, doe.id, kazinform.id].sort();
    const names = new Map([[akorda.id, 'Akorda'], [doe.id, 'Doe, Jane'], [kazinform.id, 'Kazinform']]);
    expect([second.value, second.value_names]).toEqual([ids.join('|'), ids.map((id) => names.get(id)).join('|')]);

    // Again: the new name now matches the actor it made.
    const before = await countOf(projectId);
    const again = await ok<ImportResult>(await post(projectId, 'import', BASE, codes), 201);
    expect(again).toMatchObject({ inserted: 0, unchanged: 4, codes: { codings: 0, unchangedItems: 3, actorsCreated: 0 } });
    expect(await countOf(projectId)).toEqual(before);
  });

  it('a value map naming no actor of the project is a problem on its column', async () => {
    const { projectId } = await newProject();
    const check = await ok<ImportCheck>(await post(projectId, 'import/dry-run', BASE, codesOf({ createActors: true, valueMap: { Smith: 'act_aaaaaaaaaaaaaaaa' } })));
    expect(check.problems[0]).toMatchObject({ column: 'Sources', message: expect.stringContaining('"Smith" is mapped to "act_aaaaaaaaaaaaaaaa", which is not an actor of this project (actors: Akorda') });
  });

  it('the items\' actors column read as the link field\'s codes: its actors are created once and linked to their items', async () => {
    const { projectId, kazinform } = await newProject();
    // "Sources" is the items' actors column by its alias, and the member's link codes: its names are created anyway, so no createActors is needed.
    const codes: ImportCodesInput = { ...codesOf(), coder: { userId: members.coder.userId } };
    const check = await ok<ImportCheck>(await post(projectId, 'import/dry-run', BASE, codes, {}));
    expect(check).toMatchObject({ columns: { actors: 'Sources' }, problemCount: 0, actorsToCreate: ['Smith', 'Doe, Jane'] });
    expect(check.codes).toMatchObject({ codings: 3, actorsToCreate: ['Smith', 'Doe, Jane'] });
    expect(check.codes!.columns[0]!.createActors).toBe(true);
    const result = await ok<ImportResult>(await post(projectId, 'import', BASE, codes, {}), 201);
    expect(result).toMatchObject({ inserted: 4, codes: { coderId: members.coder.userId, codings: 3, actorsCreated: 2 }, actorsCreated: 2 });
    const all = await listActors(projectId);
    // "n/a" is N/A for the link field, not an actor.
    expect(all.map((a) => a.name)).toEqual(['Akorda', 'Doe, Jane', 'Kazinform', 'Smith']);
    const smith = all.find((a) => a.name === 'Smith')!;
    const list = await itemsOf(projectId);
    expect(await sourcesOf(projectId, list[0]!.id)).toEqual([kazinform.id, smith.id]);
  });
});
