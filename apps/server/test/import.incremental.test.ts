/**
 * Incremental import of Airtable exports (issue 12, items 5-6): rows match items by external id
 * (Airtable's Record ID first) and update them in place; the same file again changes nothing;
 * linked-record cells name several incidents; ambiguous slash dates need an explicit order;
 * blank rows are counted, line breaks kept; one audit entry per import with the file's hash.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@concord/db';
import { newId, type ErrorBody, type ImportCheck, type ImportResult, type Item, type Role } from '@concord/shared';
import { collect, importSettings, WHOLE_ROWS_BUDGET } from '../src/services/import/collect.ts';
import { rowFingerprinter, storedFingerprints } from '../src/services/import/fingerprint.ts';
import { createProject } from '../src/services/projects/projects.ts';
import { actorOf, addToProject, createTeamHarness, json, type Harness, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

/** An empty project with an editor and a coder. */
async function newProject(): Promise<string> {
  const project = await createProject({ ctx: h.ctx(actorOf(members.owner)), input: { name: `Import ${newId('project')}`, description: '' } });
  for (const role of ['editor', 'coder'] as const) await addToProject(h, members.owner, project.id, members[role], role);
  return project.id;
}

function post(projectId: string, path: 'import' | 'import/dry-run', csv: string, query: Record<string, string> = {}, who: Session = members.editor) {
  const search = new URLSearchParams(query).toString();
  return h.request(who, 'POST', `/api/projects/${projectId}/${path}${search ? `?${search}` : ''}`, csv, { 'content-type': 'text/csv' });
}

async function allItems(projectId: string): Promise<(Item & { updatedAt?: string })[]> {
  return (await json<{ items: Item[] }>(await h.request(members.editor, 'GET', `/api/projects/${projectId}/items?limit=1000`))).items;
}

async function incidents(projectId: string): Promise<{ id: string; name: string; itemCount: number }[]> {
  return (await json<{ incidents: { id: string; name: string; itemCount: number }[] }>(await h.request(members.editor, 'GET', `/api/projects/${projectId}/incidents`))).incidents;
}

const HEADER = 'Record ID,Name,Link,Media platform,Date,Text,Reach,Incident,Frames';
const rows = (n: number, changed?: number) =>
  Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    const title = k === changed ? `Post ${k} (edited in Airtable)` : `Post ${k}`;
    return `rec${k},${title},https://example.org/${k},Facebook,2024-07-${String(k).padStart(2, '0')},"Text of ${k}",${k * 10},Arrest,"Fear, Unity"`;
  });
const file = (n: number, changed?: number) => [HEADER, ...rows(n, changed)].join('\n');

// Both readings of the import: files this small are kept whole by the first (collect.ts); with no budget the second reads them again.
describe.each([
  ['rows kept whole', WHOLE_ROWS_BUDGET],
  ['file read twice', 0],
])('%s', (_, budget) => {
  beforeAll(() => {
    importSettings.wholeRowsBudget = budget;
  });
  afterAll(() => {
    importSettings.wholeRowsBudget = WHOLE_ROWS_BUDGET;
  });

  describe('incremental import', () => {
    it('imports an export twice with one changed row: 1 updated, the rest unchanged, no duplicates, an audit entry with hash and counts', async () => {
      const projectId = await newProject();
      const first = await post(projectId, 'import', file(20), { filename: 'base.csv' });
      expect(first.status, await first.clone().text()).toBe(201);
      expect(await json<ImportResult>(first)).toMatchObject({ inserted: 20, updated: 0, unchanged: 0, incidentsCreated: 1 });
      const before = await allItems(projectId);

      const second = file(20, 7);
      const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', second));
      expect(check).toMatchObject({ rows: 20, valid: 20, create: 0, update: 1, unchanged: 19, problemCount: 0 });
      expect(check.actions).toHaveLength(20);
      expect(check.actions[6]).toEqual({ row: 7, action: 'update', changes: ['title'] });
      expect(check.actions.filter((a) => a.action === 'unchanged').map((a) => a.row)).toEqual([...Array(20).keys()].map((i) => i + 1).filter((r) => r !== 7));

      const res = await post(projectId, 'import', second, { filename: 'update.csv' });
      expect(res.status, await res.clone().text()).toBe(201);
      const result = await json<ImportResult>(res);
      expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 19, incidentsCreated: 0 });

      const after = await allItems(projectId);
      expect(after).toHaveLength(20);
      expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
      expect(after.find((i) => i.externalId === 'rec7')!.title).toBe('Post 7 (edited in Airtable)');
      expect(after.filter((i) => i.externalId !== 'rec7')).toEqual(before.filter((i) => i.externalId !== 'rec7'));

      const entries = await h.deps.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.projectId, projectId), eq(auditLog.entity, 'import')))
        .orderBy(asc(auditLog.id));
      expect(entries).toHaveLength(2);
      expect(entries[1]).toMatchObject({
        actorId: members.editor.userId,
        entityId: result.importId,
        action: 'import',
        after: {
          filename: 'update.csv',
          sha256: createHash('sha256').update(second).digest('hex'),
          inserted: 0,
          updated: 1,
          unchanged: 19,
          updates: [{ itemId: before.find((i) => i.externalId === 'rec7')!.id, changes: ['title'] }],
        },
      });
    });

    it('re-importing the same file changes nothing', async () => {
      const projectId = await newProject();
      expect((await post(projectId, 'import', file(5))).status).toBe(201);
      const before = await allItems(projectId);
      const again = await post(projectId, 'import', file(5));
      expect(await json<ImportResult>(again)).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
      expect(await allItems(projectId)).toEqual(before);
    });

    it('adds new rows beside updated ones, and a raw column change is an update naming that column', async () => {
      const projectId = await newProject();
      await post(projectId, 'import', file(3));
      const next = [HEADER, ...rows(3).map((r) => (r.startsWith('rec2,') ? r.replace('"Fear, Unity"', 'Fear') : r)), 'rec4,Post 4,,,,,,Election,'].join('\n');
      const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', next));
      expect(check).toMatchObject({ create: 1, update: 1, unchanged: 2, incidentsToCreate: ['Election'] });
      expect(check.actions).toEqual([
        { row: 1, action: 'unchanged' },
        { row: 2, action: 'update', changes: ['Frames'] },
        { row: 3, action: 'unchanged' },
        { row: 4, action: 'create' },
      ]);
      expect(await json<ImportResult>(await post(projectId, 'import', next))).toMatchObject({ inserted: 1, updated: 1, unchanged: 2, incidentsCreated: 1 });
      expect(await allItems(projectId)).toHaveLength(4);
    });

    it('a file with fewer columns updates only the fields it has', async () => {
      const projectId = await newProject();
      await post(projectId, 'import', file(2));
      const res = await post(projectId, 'import', 'Record ID,Name,Reach\nrec1,Post 1,999\nrec2,Post 2,20\n');
      expect(await json<ImportResult>(res)).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
      const rec1 = (await allItems(projectId)).find((i) => i.externalId === 'rec1')!;
      expect(rec1).toMatchObject({ title: 'Post 1', reach: 999, url: 'https://example.org/1', platform: 'facebook', body: 'Text of 1' });
    });

    it('matches by the External ID column and by an explicitly mapped column', async () => {
      const projectId = await newProject();
      await post(projectId, 'import', 'External ID,title\nE-1,one\n');
      expect(await json<ImportResult>(await post(projectId, 'import', 'External ID,title\nE-1,one again\n'))).toMatchObject({ inserted: 0, updated: 1 });
      const mapping = JSON.stringify({ externalId: 'Code' });
      await post(projectId, 'import', 'Code,title\nC-1,two\n', { mapping });
      expect(await json<ImportResult>(await post(projectId, 'import', 'Code,title\nC-1,two again\n', { mapping }))).toMatchObject({ inserted: 0, updated: 1 });
      expect((await allItems(projectId)).map((i) => [i.externalId, i.title])).toEqual([
        ['E-1', 'one again'],
        ['C-1', 'two again'],
      ]);
    });

    it('stores what the fast path compares: every item fingerprints like its row, after an insert and after an update', async () => {
      const projectId = await newProject();
      const csv = (title: string) =>
        [
          'Record ID,Name,Link,Media platform,Date,Text,Reach,Incident,Notes',
          `rec1,"${title}",https://example.org/1,Telegram,2024-07-05 14:30,"Qазақша ""мәтін""\nline two",1200,"Inc A, Inc B",`,
          'rec2,Bare,,,,,,,note',
        ].join('\n');
      await post(projectId, 'import', csv('First'));
      await post(projectId, 'import', csv('First, edited'));
      const out = await collect({ format: 'csv', body: [csv('First, edited')], mapping: {} }, {}, 'throw', true);
      const known = new Map((await incidents(projectId)).map((i) => [i.name, i.id]));
      const stored = (await storedFingerprints(h.deps.database.db, projectId, out.columns, null)).map(({ externalId, fingerprint }) => ({ externalId, fingerprint }));
      stored.sort((a, b) => a.externalId!.localeCompare(b.externalId!));
      expect(stored).toEqual(out.kept!.map((item) => ({ externalId: item.externalId, fingerprint: rowFingerprinter(out.columns, (name) => known.get(name))(item) })));
    });

    it('reads an archived-copy column ("Archived URL", "Wayback"…) as archivedUrl: http(s) only, compared and fingerprinted like any target', async () => {
      const projectId = await newProject();
      const csv = (header: string, archived: string) => [`Record ID,Name,${header}`, `rec1,First,${archived}`, 'rec2,Second,'].join('\n');
      const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', csv('Archived URL', 'https://web.archive.org/web/2024/https://example.org/1')));
      expect(check).toMatchObject({ columns: { archivedUrl: 'Archived URL' }, problemCount: 0 });
      for (const header of ['Archive link', 'Wayback']) expect((await json<ImportCheck>(await post(projectId, 'import/dry-run', csv(header, 'https://archive.ph/abc')))).columns.archivedUrl).toBe(header);
      // The API's rule: no other scheme, no relative link.
      for (const bad of ['javascript:alert(1)', 'ftp://example.org/x', 'archive.ph/abc']) {
        const refused = await json<ImportCheck>(await post(projectId, 'import/dry-run', csv('Archived URL', bad)));
        expect(refused.problems).toEqual([{ row: 1, column: 'Archived URL', message: `"${bad}" is not an http(s) URL` }]);
      }

      await post(projectId, 'import', csv('Archived URL', 'https://web.archive.org/web/2024/https://example.org/1'));
      expect((await allItems(projectId)).map((i) => [i.externalId, i.archivedUrl])).toEqual([
        ['rec1', 'https://web.archive.org/web/2024/https://example.org/1'],
        ['rec2', null],
      ]);
      const changed = await json<ImportCheck>(await post(projectId, 'import/dry-run', csv('Archived URL', 'https://archive.ph/abc')));
      expect(changed.actions).toEqual([{ row: 1, action: 'update', changes: ['archivedUrl'] }, { row: 2, action: 'unchanged' }]);

      // Edited in the web app since: the same file's row no longer fingerprints like the item, and the dry run names the field.
      const [first] = await allItems(projectId);
      expect((await h.request(members.editor, 'PATCH', `/api/projects/${projectId}/items/${first!.id}`, { archivedUrl: 'https://archive.ph/edited' })).status).toBe(200);
      const again = await json<ImportCheck>(await post(projectId, 'import/dry-run', csv('Archived URL', 'https://web.archive.org/web/2024/https://example.org/1')));
      expect(again.actions[0]).toEqual({ row: 1, action: 'update', changes: ['archivedUrl'] });
      // Imported again, the item fingerprints like its row.
      const original = csv('Archived URL', 'https://web.archive.org/web/2024/https://example.org/1');
      expect(await json<ImportResult>(await post(projectId, 'import', original))).toMatchObject({ updated: 1, unchanged: 1 });
      const out = await collect({ format: 'csv', body: [original], mapping: {} }, {}, 'throw', true);
      const stored = await storedFingerprints(h.deps.database.db, projectId, out.columns, ['rec1']);
      expect(stored[0]!.fingerprint).toBe(rowFingerprinter(out.columns, () => undefined)(out.kept![0]!));
    });

    it('still refuses a file naming one external id twice, writing nothing', async () => {
      const projectId = await newProject();
      const res = await post(projectId, 'import', 'Record ID,title\nrecA,a\nrecA,b\n');
      expect(res.status).toBe(400);
      expect((await json<ErrorBody>(res)).error.details).toEqual([expect.objectContaining({ row: 2, column: 'Record ID', message: 'duplicate external id "recA" (first on row 1)' })]);
      expect(await allItems(projectId)).toHaveLength(0);
    });

    it('refuses coders (403) and writes nothing', async () => {
      const projectId = await newProject();
      expect((await post(projectId, 'import', file(2), {}, members.coder)).status).toBe(403);
      expect((await post(projectId, 'import/dry-run', file(2), {}, members.coder)).status).toBe(403);
      expect(await allItems(projectId)).toHaveLength(0);
    });
  });

  describe("Airtable's cells", () => {
    it('links an item whose incident cell is "Inc A, Inc B" to the two incidents Inc A and Inc B', async () => {
      const projectId = await newProject();
      const csv = 'Record ID,Name,Incident\nrec1,Linked twice,"Inc A, Inc B"\nrec2,Quoted,"""Inc, C"",Inc A"\n';
      expect(await json<ImportCheck>(await post(projectId, 'import/dry-run', csv))).toMatchObject({ incidentsToCreate: ['Inc A', 'Inc B', 'Inc, C'] });
      expect(await json<ImportResult>(await post(projectId, 'import', csv))).toMatchObject({ inserted: 2, incidentsCreated: 3 });
      const byName = new Map((await incidents(projectId)).map((i) => [i.name, i.id]));
      expect([...byName.keys()].sort()).toEqual(['Inc A', 'Inc B', 'Inc, C']);
      const [one, two] = await allItems(projectId);
      // Every linked record, in the cell's order; the first is the primary one.
      expect(one!.incidentIds).toEqual([byName.get('Inc A'), byName.get('Inc B')]);
      expect(two!.incidentIds).toEqual([byName.get('Inc, C'), byName.get('Inc A')]);
      expect(one!.incidentId).toBe(byName.get('Inc A'));
      // An item counts under each of its incidents.
      expect(Object.fromEntries((await incidents(projectId)).map((i) => [i.name, i.itemCount]))).toEqual({ 'Inc A': 2, 'Inc B': 1, 'Inc, C': 1 });

      // Re-importing with rec1 linked to Inc B alone updates its links; the same file again changes nothing.
      const changed = 'Record ID,Name,Incident\nrec1,Linked twice,Inc B\nrec2,Quoted,"""Inc, C"",Inc A"\n';
      expect(await json<ImportResult>(await post(projectId, 'import', changed))).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
      expect(await json<ImportResult>(await post(projectId, 'import', changed))).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
      const [after] = await allItems(projectId);
      expect(after!.incidentIds).toEqual([byName.get('Inc B')]);
    });

    it('reads attachment cells as links, Airtable numbers and friendly dates, keeps line breaks, skips and counts blank rows', async () => {
      const projectId = await newProject();
      const csv = [
        'Record ID,Name,Attachments,Reach,Date,Text',
        'rec1,Shot,"shot.png (https://dl.airtable.com/x/shot.png)","1,200.00","July 5, 2024 2:30pm","line one',
        'line two"',
        ',,,,,',
        'rec2,Plain,,,2024-07-06,',
        ',,,,,',
      ].join('\r\n');
      const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', csv, { mapping: JSON.stringify({ url: 'Attachments' }) }));
      expect(check).toMatchObject({ rows: 4, valid: 2, emptyRows: 2, create: 2, problemCount: 0 });
      const res = await post(projectId, 'import', csv, { mapping: JSON.stringify({ url: 'Attachments' }) });
      expect(await json<ImportResult>(res)).toMatchObject({ inserted: 2, emptyRows: 2 });
      const [shot] = await allItems(projectId);
      expect(shot).toMatchObject({ url: 'https://dl.airtable.com/x/shot.png', reach: 1200, publishedAt: '2024-07-05T14:30:00.000Z', body: 'line one\r\nline two' });
    });

    it('an ambiguous date (7/5/2024) is reported by the dry run and refused by the import until the order is chosen', async () => {
      const projectId = await newProject();
      const csv = 'Record ID,Name,Date\nrec1,One,7/5/2024\nrec2,Two,25/12/2024\n';
      const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', csv));
      expect(check.dateOrder).toEqual({ needed: true, used: null, suggested: 'dmy', example: '7/5/2024' });
      expect(check.problems).toEqual([{ column: 'Date', message: expect.stringContaining('dates such as "7/5/2024" read as day/month or as month/day') }]);
      const refused = await post(projectId, 'import', csv);
      expect(refused.status).toBe(400);
      expect(await allItems(projectId)).toHaveLength(0);

      // Month/day does not fit 25/12: that row is a problem, nothing written.
      const wrong = await post(projectId, 'import', csv, { dateOrder: 'mdy' });
      expect((await json<ErrorBody>(wrong)).error.details).toEqual([expect.objectContaining({ row: 2, column: 'Date', message: '"25/12/2024" is not a valid date as month/day/year' })]);

      expect(await json<ImportResult>(await post(projectId, 'import', csv, { dateOrder: 'dmy' }))).toMatchObject({ inserted: 2 });
      expect((await allItems(projectId)).map((i) => i.publishedAt)).toEqual(['2024-05-07T00:00:00.000Z', '2024-12-25T00:00:00.000Z']);
    });

    it('needs no order when every slash date reads the same either way or the file settles it without an ambiguous one', async () => {
      const projectId = await newProject();
      const check = await json<ImportCheck>(await post(projectId, 'import/dry-run', 'Name,Date\nOne,5/5/2024\nTwo,12/31/2024\n'));
      expect(check).toMatchObject({ problemCount: 0, dateOrder: { needed: false, used: 'mdy', suggested: 'mdy', example: null } });
      const bad = await post(projectId, 'import/dry-run', 'Name,Date\nOne,5/5/2024\n', { dateOrder: 'ymd' });
      expect(bad.status).toBe(400);
      expect((await json<ErrorBody>(bad)).error.code).toBe('VALIDATION_FAILED');
    });
  });
});
