/**
 * The import wizard's server side: the dry run (same checks, nothing written) and skipped
 * rows (exactly those left out, the rest in one transaction, nothing partial on a problem).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, ImportCheck, ImportResult, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
});
afterAll(() => h.close());

const post = (path: 'import' | 'import/dry-run', csv: string, query: Record<string, string> = {}) => {
  const search = new URLSearchParams(query).toString();
  return h.request(members.editor, 'POST', `/api/projects/${f.projectId}/${path}${search ? `?${search}` : ''}`, csv, { 'content-type': 'text/csv' });
};

/** The project's items by title, read through the API. */
async function titles(): Promise<string[]> {
  const res = await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/items?limit=1000`);
  return (await json<{ items: { title: string }[] }>(res)).items.map((i) => i.title);
}

async function incidentNames(): Promise<string[]> {
  return (await json<{ incidents: { name: string }[] }>(await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/incidents`))).incidents.map((i) => i.name);
}

// Rows 2 and 4 have problems; row 3 names a new incident.
const CSV = [
  'Item ID,Headline,Media platform,Reach,Incident',
  'W-1,First wizard post,Facebook,10,Arrest after the January protests',
  'W-2,Second wizard post,Facebook,many,',
  'W-3,Third wizard post,X,1 200,Wizard incident',
  'W-4,Fourth wizard post,myspace,5,',
  'W-5,Fifth wizard post,telegram,,',
].join('\n');

describe('import dry run', () => {
  it('reports the resolved columns and every problem by row and column, and writes nothing', async () => {
    const before = { titles: await titles(), incidents: await incidentNames() };
    const res = await post('import/dry-run', CSV);
    expect(res.status, await res.clone().text()).toBe(200);
    const check = await json<ImportCheck>(res);
    expect(check.header).toEqual(['Item ID', 'Headline', 'Media platform', 'Reach', 'Incident']);
    // Every column found through the server's aliases.
    expect(check.columns).toEqual({ externalId: 'Item ID', title: 'Headline', platform: 'Media platform', reach: 'Reach', incident: 'Incident' });
    expect(check).toMatchObject({ rows: 5, valid: 3, skipped: [], problemCount: 2, incidentsToCreate: ['Wizard incident'] });
    expect(check.problems).toEqual([
      { row: 2, column: 'Reach', message: '"many" is not a whole number' },
      { row: 4, column: 'Media platform', message: 'unknown platform "myspace"' },
    ]);
    expect(await titles()).toEqual(before.titles);
    expect(await incidentNames()).toEqual(before.incidents);
  });

  it('returns header problems instead of failing, and honours an explicit mapping and null (no alias)', async () => {
    const noTitle = await json<ImportCheck>(await post('import/dry-run', 'platform,reach\nfacebook,1\n'));
    expect(noTitle).toMatchObject({ rows: 1, valid: 0, problemCount: 1, problems: [expect.objectContaining({ column: 'title' })] });

    const mapped = await json<ImportCheck>(
      await post('import/dry-run', 'Post,Text,Reach\nA,body text,many\n', { mapping: JSON.stringify({ title: 'Text', reach: null }) }),
    );
    // "Text" would be the body by alias; mapped to title it is the title, and "Reach" is ignored (so "many" is no problem).
    expect(mapped.columns).toEqual({ title: 'Text' });
    expect(mapped).toMatchObject({ valid: 1, problemCount: 0 });
  });

  it('counts a row that fails only the external id checks as a problem row', async () => {
    const check = await json<ImportCheck>(await post('import/dry-run', 'externalId,title\nD-1,a\nD-1,b\n'));
    expect(check).toMatchObject({ rows: 2, valid: 1, problemCount: 1 });
    expect(check.problems).toEqual([{ row: 2, column: 'externalId', message: 'duplicate external id "D-1" (first on row 1)' }]);
  });

  it('with skipped rows, reports them and no longer their problems', async () => {
    const check = await json<ImportCheck>(await post('import/dry-run', CSV, { skipRows: '4,2' }));
    expect(check).toMatchObject({ rows: 5, valid: 3, skipped: [2, 4], problemCount: 0, problems: [] });
  });

  it('is refused to coders and methodologists like the import itself', async () => {
    for (const role of ['coder', 'methodologist'] as const) {
      const res = await h.request(members[role], 'POST', `/api/projects/${f.projectId}/import/dry-run`, CSV, { 'content-type': 'text/csv' });
      expect(res.status).toBe(403);
    }
  });
});

describe('import with skipped rows', () => {
  it('fails whole, writing nothing, while a problem remains outside the skipped rows', async () => {
    const before = { titles: await titles(), incidents: await incidentNames() };
    const res = await post('import', CSV, { skipRows: '2' });
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('IMPORT_FAILED');
    expect(body.error.details).toEqual([{ row: 4, column: 'Media platform', message: 'unknown platform "myspace"' }]);
    // Row 3's new incident is not created either.
    expect(await titles()).toEqual(before.titles);
    expect(await incidentNames()).toEqual(before.incidents);
  });

  it('imports every other row in one go and reports exactly the skipped ones', async () => {
    const before = await titles();
    const res = await post('import', CSV, { skipRows: '2,4', filename: 'wizard.csv' });
    expect(res.status, await res.clone().text()).toBe(201);
    const result = await json<ImportResult>(res);
    expect(result).toMatchObject({ inserted: 3, incidentsCreated: 1, skipped: [2, 4] });
    const added = (await titles()).filter((t) => !before.includes(t));
    expect(added).toEqual(['First wizard post', 'Third wizard post', 'Fifth wizard post']);
    expect(await incidentNames()).toContain('Wizard incident');
  });

  it('refuses row numbers that are not in the file, and a file whose every row is skipped', async () => {
    const before = await titles();
    const beyond = await post('import', 'title\nlonely row\n', { skipRows: '1,7' });
    expect(beyond.status).toBe(400);
    expect((await json<ErrorBody>(beyond)).error.details).toEqual([{ message: 'row(s) 7 to skip are not in the file (it has 1 data rows)' }]);
    const all = await post('import', 'title\nlonely row\n', { skipRows: '1' });
    expect((await json<ErrorBody>(all)).error.message).toBe('every row is skipped: nothing to import');
    const malformed = await post('import', 'title\nx\n', { skipRows: '1,a' });
    expect(malformed.status).toBe(400);
    expect((await json<ErrorBody>(malformed)).error.code).toBe('VALIDATION_FAILED');
    expect(await titles()).toEqual(before);
  });
});
