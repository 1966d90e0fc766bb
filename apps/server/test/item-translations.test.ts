/**
 * Translations (issue 12, item 8): an item holds a translation (language, title, text) beside
 * the original, set when it is added or edited, and read by the import from translation
 * columns (`Title (English)`, `Translation`…, or mapped explicitly); re-importing the same file
 * changes nothing, and a changed translation is an update. A translation is not the coded text:
 * changing it keeps the item's text version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, ImportCheck, ImportResult, Item, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;
let base: string;

const byExternalId = async (externalId: string) =>
  (await json<{ items: Item[] }>(await h.request(members.editor, 'GET', `${base}/items?q=${encodeURIComponent(externalId)}&limit=10`))).items.find((i) => i.externalId === externalId)!;
const importCsv = (path: 'import' | 'import/dry-run', csv: string, query = '') =>
  h.request(members.editor, 'POST', `${base}/${path}${query}`, csv, { 'content-type': 'text/csv' });

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
  base = `/api/projects/${f.projectId}`;
});
afterAll(() => h.close());

describe('translations', () => {
  it('stores a translation beside the original on create and edit; null clears it; the text version stays', async () => {
    const res = await h.request(members.editor, 'POST', `${base}/items`, {
      title: 'Заголовок',
      body: 'Текст поста',
      language: 'ru',
      translationLanguage: 'en',
      translationTitle: 'Headline',
      translationBody: 'The post\n\nin English',
    });
    expect(res.status).toBe(201);
    const created = await json<Item>(res);
    expect(created).toMatchObject({ title: 'Заголовок', translationLanguage: 'en', translationTitle: 'Headline', translationBody: 'The post\n\nin English' });
    const read = await json<Item>(await h.request(members.coder, 'GET', `${base}/items/${created.id}`));
    expect(read).toMatchObject({ translationTitle: 'Headline', translationBody: 'The post\n\nin English' });

    const edited = await json<Item>(await h.request(members.editor, 'PATCH', `${base}/items/${created.id}`, { translationBody: 'Better English' }));
    expect(edited).toMatchObject({ translationBody: 'Better English', translationTitle: 'Headline', body: 'Текст поста', textVersion: 1 });
    const cleared = await json<Item>(await h.request(members.editor, 'PATCH', `${base}/items/${created.id}`, { translationTitle: null, translationBody: null, translationLanguage: null }));
    expect(cleared).toMatchObject({ translationTitle: null, translationBody: null, translationLanguage: null });

    const plain = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'No translation' }));
    expect(plain).toMatchObject({ translationLanguage: null, translationTitle: null, translationBody: null });
  });

  it('does not change the coded item\'s text version when only its translation changes', async () => {
    expect((await h.request(members.coder, 'PUT', `${base}/items/${f.itemId}/codings/me`, { values: { impact: 1 } })).status).toBe(200);
    const edited = await json<Item>(await h.request(members.editor, 'PATCH', `${base}/items/${f.itemId}`, { translationTitle: 'Translated', translationBody: 'Translated text' }));
    expect(edited).toMatchObject({ translationTitle: 'Translated', textVersion: 1 });
  });

  it('refuses a translation that breaks the rules with a 400 on its field, and saves nothing', async () => {
    const item = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'Kept', translationTitle: 'Kept title' }));
    for (const [key, value] of [
      ['translationLanguage', 'x'.repeat(36)],
      ['translationTitle', 'x'.repeat(2001)],
      ['translationBody', 42],
    ] as const) {
      const res = await h.request(members.editor, 'PATCH', `${base}/items/${item.id}`, { [key]: value });
      expect(res.status).toBe(400);
      const body = await json<ErrorBody>(res);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(body.error.details)).toContain(key);
    }
    expect(await json<Item>(await h.request(members.editor, 'GET', `${base}/items/${item.id}`))).toMatchObject({ translationTitle: 'Kept title', translationLanguage: null, translationBody: null });
  });

  it('imports translation columns by their usual names, and a re-import changes nothing', async () => {
    const csv = 'Record ID,Title,Text,Title (English),Translation,Translation language\nrec-t1,Заголовок,Текст,Headline,"The text, translated",en\n';
    const check = await json<ImportCheck>(await importCsv('import/dry-run', csv));
    expect(check.columns).toMatchObject({ translationTitle: 'Title (English)', translationBody: 'Translation', translationLanguage: 'Translation language' });
    expect(check.problemCount).toBe(0);
    expect(await json<ImportResult>(await importCsv('import', csv))).toMatchObject({ inserted: 1 });
    expect(await byExternalId('rec-t1')).toMatchObject({ title: 'Заголовок', translationTitle: 'Headline', translationBody: 'The text, translated', translationLanguage: 'en' });

    expect(await json<ImportResult>(await importCsv('import', csv))).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const changed = csv.replace('"The text, translated"', 'A better translation');
    const plan = await json<ImportCheck>(await importCsv('import/dry-run', changed));
    expect(plan.actions).toEqual([{ row: 1, action: 'update', changes: ['translationBody'] }]);
    expect(await json<ImportResult>(await importCsv('import', changed))).toMatchObject({ updated: 1 });
    expect(await byExternalId('rec-t1')).toMatchObject({ translationBody: 'A better translation', translationTitle: 'Headline', textVersion: 1 });
  });

  it('takes an explicit mapping of translation columns', async () => {
    const csv = 'Record ID,Title,EN headline,EN text\nrec-t2,Тақырып,Headline two,Text two\n';
    const mapping = encodeURIComponent(JSON.stringify({ translationTitle: 'EN headline', translationBody: 'EN text' }));
    expect((await importCsv('import', csv, `?mapping=${mapping}`)).status).toBe(201);
    expect(await byExternalId('rec-t2')).toMatchObject({ translationTitle: 'Headline two', translationBody: 'Text two', translationLanguage: null });
  });
});
