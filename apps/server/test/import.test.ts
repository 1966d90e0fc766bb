import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Role } from '@concord/shared';
import { createHarness, createProjectFixture, createTeamHarness, json, signUp, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
});
afterAll(() => h.close());

const importCsv = (csv: string, query = '', project = f.projectId) =>
  h.request(members.editor, 'POST', `/api/projects/${project}/import${query}`, csv, { 'content-type': 'text/csv' });

async function itemCount(projectId = f.projectId) {
  return (await json<{ total: number }>(await h.request(members.editor, 'GET', `/api/projects/${projectId}/items?limit=1`))).total;
}

describe('CSV import', () => {
  it('imports an Airtable-style export with a column mapping, creating incidents by name', async () => {
    const before = await itemCount();
    const csv = [
      '\uFEFFItem ID,Headline,Link,Media platform,Account,Date,Text,Reach,Incident',
      'KZ-1,"Arrest of Mamay, day one",https://example.org/a,Facebook,Supporter,1/5/2022,"A post, with ""quotes""",1 200,Arrest',
      'KZ-2,Tokayev praised,https://example.org/b,X,Bot network,2022-11-05T10:00:00Z,"Line one\nline two",300,Election',
    ].join('\r\n');
    const mapping = encodeURIComponent(JSON.stringify({ externalId: 'Item ID', title: 'Headline', platform: 'Media platform', author: 'Account', body: 'Text' }));
    const res = await importCsv(csv, `?mapping=${mapping}&filename=airtable.csv&dateOrder=mdy`);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await json(res)).toMatchObject({ inserted: 2, incidentsCreated: 2 });
    expect(await itemCount()).toBe(before + 2);
    const { items } = await json<{ items: { externalId: string; title: string; platform: string; reach: number; publishedAt: string; body: string }[] }>(
      await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/items?q=Mamay`),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ externalId: 'KZ-1', title: 'Arrest of Mamay, day one', platform: 'facebook', reach: 1200, publishedAt: '2022-01-05T00:00:00.000Z', body: 'A post, with "quotes"' });
    const { incidents } = await json<{ incidents: { name: string; itemCount: number }[] }>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/incidents`));
    expect(incidents.map((i) => i.name)).toEqual(expect.arrayContaining(['Arrest', 'Election']));
  });

  it('imports a JSON array', async () => {
    const before = await itemCount();
    const res = await h.request(members.owner, 'POST', `/api/projects/${f.projectId}/import?format=json`, [{ title: 'From JSON', platform: 'telegram', reach: 5 }]);
    expect(res.status).toBe(201);
    expect(await itemCount()).toBe(before + 1);
  });

  it('rejects wrong types with row numbers and columns, importing nothing', async () => {
    const before = await itemCount();
    const csv = ['title,platform,reach,publishedAt,url', 'Fine,facebook,10,2022-01-01,https://ok.org', 'Bad reach,twitter,many,2022-01-01,', 'Bad platform,myspace,1,,', 'Bad date,news,1,yesterday,', 'Bad url,news,1,,ftp://x'].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('IMPORT_FAILED');
    expect(body.error.message).toContain('4 problem(s)');
    expect(body.error.details).toEqual([
      expect.objectContaining({ row: 2, column: 'reach', message: expect.stringContaining('"many" is not a whole number') }),
      expect.objectContaining({ row: 3, column: 'platform', message: expect.stringContaining('unknown platform "myspace"') }),
      expect.objectContaining({ row: 4, column: 'publishedAt', message: expect.stringContaining('"yesterday" is not a date') }),
      expect.objectContaining({ row: 5, column: 'url' }),
    ]);
    expect(await itemCount()).toBe(before);
  });

  it('rejects malformed CSV naming the line', async () => {
    const before = await itemCount();
    const res = await importCsv('title,platform\n"unclosed quote,facebook\nnext,news\n');
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('IMPORT_FAILED');
    expect(body.error.message).toMatch(/malformed CSV at line \d+/);
    expect(await itemCount()).toBe(before);
  });

  it('rejects ragged rows', async () => {
    const res = await importCsv('title,platform\nok,facebook\ntoo,facebook,extra\n');
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.details).toEqual([expect.objectContaining({ row: 2, message: expect.stringContaining('3 cells, the header has 2') })]);
  });

  it('rejects a file without the required title column, and a mapping to a missing column', async () => {
    const noTitle = await importCsv('platform,reach\nfacebook,1\n');
    expect(noTitle.status).toBe(400);
    expect((await json<ErrorBody>(noTitle)).error.details).toEqual([expect.objectContaining({ column: 'title' })]);
    const badMapping = await importCsv('title\nx\n', `?mapping=${encodeURIComponent(JSON.stringify({ author: 'Account' }))}`);
    expect((await json<ErrorBody>(badMapping)).error.message).toContain('does not fit the mapping');
    const notJson = await importCsv('title\nx\n', '?mapping=nope');
    expect(notJson.status).toBe(400);
    expect((await json<ErrorBody>(notJson)).error.code).toBe('VALIDATION_FAILED');
  });

  it('rejects duplicate external ids in the file; one already in the project updates that item (import.incremental.test.ts)', async () => {
    await importCsv('externalId,title\nDUP-1,first\n');
    const before = await itemCount();
    const res = await importCsv('externalId,title\nDUP-2,a\nDUP-2,b\nDUP-1,c\n');
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.details).toEqual([expect.objectContaining({ row: 2, message: 'duplicate external id "DUP-2" (first on row 1)' })]);
    expect(await itemCount()).toBe(before);
  });

  it('rejects an empty file and a header-only file', async () => {
    expect((await json<ErrorBody>(await importCsv(''))).error.message).toContain('empty');
    expect((await json<ErrorBody>(await importCsv('title\n'))).error.message).toContain('no rows');
  });

  it('refuses bodies over the import limit with 413, importing nothing', async () => {
    const small = await createHarness({ maxImportBytes: 1000 });
    try {
      const [owner] = await Promise.all([signUp(small, 'owner')]);
      const res = await small.request(owner!, 'POST', '/api/projects/prj_aaaaaaaaaaaaaaaa/import', `title\n${'x\n'.repeat(1000)}`, { 'content-type': 'text/csv' });
      // Authorization comes first: an unknown project is 404 before the body is read.
      expect(res.status).toBe(404);
      const m = { owner: owner!, methodologist: await signUp(small, 'm'), editor: await signUp(small, 'e'), coder: await signUp(small, 'c') };
      const fx = await createProjectFixture(small, m);
      const big = await small.request(owner!, 'POST', `/api/projects/${fx.projectId}/import`, `title\n${'x\n'.repeat(1000)}`, { 'content-type': 'text/csv' });
      expect(big.status).toBe(413);
      expect((await json<ErrorBody>(big)).error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('imports 100,000 rows in one go, and a bad last row leaves the database unchanged', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `B-${i},Item number ${i},twitter,${i % 1000},https://example.org/${i}`);
    const header = 'externalId,title,platform,reach,url';
    const broken = await importCsv([header, ...rows.slice(0, 99_999), 'B-last,,twitter,notanumber,'].join('\n'));
    expect(broken.status).toBe(400);
    expect((await json<ErrorBody>(broken)).error.details).toEqual([
      expect.objectContaining({ row: 100_000, column: 'title' }),
      expect.objectContaining({ row: 100_000, column: 'reach' }),
    ]);
    const before = await itemCount();
    const res = await importCsv([header, ...rows].join('\n'));
    expect(res.status).toBe(201);
    expect(await itemCount()).toBe(before + 100_000);
    const tooMany = await importCsv([header, ...rows, 'X-1,one more,news,1,'].join('\n'));
    expect(tooMany.status).toBe(413);
    // Three passes over 100,000 rows on 2 shared cores (CI runs two test lanes at once).
  }, 300_000);
});
