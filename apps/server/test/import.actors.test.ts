/**
 * An item import's actors column (issue 12, item 4): an Airtable linked-record cell of actor
 * names (quoted entries with commas, as the incident cell) creates the actors the project lacks,
 * matching known ones by name or alias whatever the case; the dry run lists them first; a
 * re-import creates none; a name holding "|" (the exports' separator) is a problem on its row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type Actor, type ImportCheck, type ImportResult, type Role, type ErrorBody } from '@concord/shared';
import { createProject } from '../src/services/projects/projects.ts';
import { actorOf, addToProject, createTeamHarness, json, type Harness, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let projectId: string;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  projectId = (await createProject({ ctx: h.ctx(actorOf(members.owner)), input: { name: `Import ${newId('project')}`, description: '' } })).id;
  await addToProject(h, members.owner, projectId, members.editor, 'editor');
});
afterAll(() => h.close());

const post = (path: 'import' | 'import/dry-run', csv: string) =>
  h.request(members.editor, 'POST', `/api/projects/${projectId}/${path}`, csv, { 'content-type': 'text/csv' });
const actors = async () => (await json<{ actors: Actor[] }>(await h.request(members.editor, 'GET', `/api/projects/${projectId}/actors`))).actors;

describe('the actors column of an item import', () => {
  it('creates the actors the project lacks and reuses known names and aliases', async () => {
    const known = await json<Actor>(await h.request(members.editor, 'POST', `/api/projects/${projectId}/actors`, { name: 'Kazinform', aliases: ['Казинформ'] }));
    const csv = 'Record ID,Name,Sources\nrec1,First post,"казинформ, ""Smith, John"""\nrec2,Second post,"Akorda,KAZINFORM,Smith, John"\n';
    const check = await json<ImportCheck>(await post('import/dry-run', csv));
    expect(check).toMatchObject({ columns: { actors: 'Sources' }, problemCount: 0, actorsToCreate: ['Smith, John', 'Akorda', 'Smith', 'John'] });
    expect(await actors()).toHaveLength(1);

    expect(await json<ImportResult>(await post('import', csv))).toMatchObject({ inserted: 2, actorsCreated: 4 });
    const after = await actors();
    // Unquoted, "Smith, John" is two names (as Airtable writes it, a name with a comma is quoted).
    expect(after.map((a) => a.name)).toEqual(['Akorda', 'John', 'Kazinform', 'Smith', 'Smith, John']);
    expect(after.find((a) => a.name === 'Kazinform')!.id).toBe(known.id);

    // The same file again: nothing new.
    expect(await json<ImportResult>(await post('import', csv))).toMatchObject({ inserted: 0, unchanged: 2, actorsCreated: 0 });
    expect(await actors()).toHaveLength(5);
  });

  it('refuses a name holding "|", naming its row and column, and imports nothing', async () => {
    const csv = 'Name,Actors\nA post,"Good name"\nAnother,"Bad | name"\n';
    const check = await json<ImportCheck>(await post('import/dry-run', csv));
    expect(check.problems).toEqual([expect.objectContaining({ row: 2, column: 'Actors' })]);
    const res = await post('import', csv);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe('IMPORT_FAILED');
    expect((await actors()).some((a) => a.name === 'Good name')).toBe(false);
  });
});
