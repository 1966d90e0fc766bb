/**
 * The narrative workbench (issue 14 item 6): `GET …/workbench`, `workbench.md` and
 * `workbench.csv` on a small study whose every value and tag is known. Coders tag through
 * their own coding documents and an editor through the shared item document, over the real
 * /yjs endpoint, as the coding page does. Checked: the final values are the final dataset's
 * (labels and provenance), passages merge their taggers by pseudonym, filters and paging,
 * managers only (a coder 403, a non-member 404), and nothing of an independent item (its values,
 * its coder's tags, a manager's tag on its shared document) in any answer or file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CODING_DOC, codingDocName, ITEM_DOC, itemDocName, newId, type Coding, type CreatedToken, type FinalDataset, type Workbench } from '@concord/shared';
import { createRound } from '../src/services/assignments/assignments.ts';
import { replaceCodebook } from '../src/services/codebook/codebook.ts';
import { loadDocUpdates } from '../src/services/collab/store.ts';
import { createIncident } from '../src/services/items/incidents.ts';
import { createItem } from '../src/services/items/items.ts';
import { addMember } from '../src/services/projects/members.ts';
import { createProject } from '../src/services/projects/projects.ts';
import { connectClient, createTestStore, startCollabServer, type CollabServer, type TestStore } from './collab-helpers.ts';
import { csvRecords, csvRows } from './export-expectations.ts';
import { actorOf, json, signUp, type Session } from './harness.ts';
import { eventually } from './testing.ts';

const ITEMS = {
  a: { title: 'The minister on the protests', body: '=HYPERLINK("x") Protesters are terrorists, the minister said on state television.' },
  b: { title: '# A heading <img src=x onerror=alert(1)>', body: 'Only the leader keeps order, the paper wrote.' },
  c: { title: 'Still coded blind', body: 'BLIND BODY passage that must not leave before reveal.' },
} as const;
type Key = keyof typeof ITEMS;
const BLIND_MARKS = ['BLIND SUBTEXT', 'BLIND BODY', 'must not leave'];

let store: TestStore;
let s: CollabServer;
let people: Record<'owner' | 'methodologist' | 'editor' | 'a' | 'b' | 'outsider', Session>;
let projectId: string;
const itemId = {} as Record<Key, string>;
const incidentId: string[] = [];

const span = (key: Key, phrase: string) => {
  const from = ITEMS[key].body.indexOf(phrase);
  if (from < 0) throw new Error(`"${phrase}" is not in item ${key}`);
  return { from, to: from + phrase.length };
};
const tag = (who: Session, key: Key, frame: string, phrase: string) => ({
  id: newId('annotation'),
  ...span(key, phrase),
  fieldKey: 'frames',
  frame,
  authorId: who.userId,
  createdAt: new Date().toISOString(),
});

async function api(who: Session, method: string, path: string, body?: unknown) {
  const res = await s.h.request(who, method, `/api/projects/${projectId}${path}`, body);
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return res;
}

/** Saves the values, tags in the coder's own coding document (frames set with the tags, as the page does), submits. */
async function code(coder: Session, key: Key, values: Record<string, unknown>, frames: string[], tags: { frame: string; phrase: string }[], submit = true) {
  await api(coder, 'PUT', `/items/${itemId[key]}/codings/me`, { values });
  const client = connectClient(s.wsUrl, codingDocName(itemId[key], coder.userId), { cookie: coder.cookie });
  try {
    await eventually(() => expect(client.provider.synced).toBe(true));
    client.doc.transact(() => {
      client.doc.getArray(CODING_DOC.annotations).push(tags.map((t) => tag(coder, key, t.frame, t.phrase)));
      client.doc.getMap(CODING_DOC.values).set('frames', frames);
    });
    await eventually(async () => {
      const rows = await json<Coding[]>(await api(coder, 'GET', `/items/${itemId[key]}/codings/me`));
      expect(rows.find((r) => r.fieldKey === 'frames')?.value).toEqual(frames);
    });
  } finally {
    client.destroy();
  }
  if (submit) await api(coder, 'POST', `/items/${itemId[key]}/codings/me/submit`);
}

/** An editor's tags in the shared item document, waited for until stored. */
async function tagShared(key: Key, tags: { frame: string; phrase: string }[]) {
  const client = connectClient(s.wsUrl, itemDocName(itemId[key]), { cookie: people.editor.cookie });
  try {
    await eventually(() => expect(client.provider.synced).toBe(true));
    client.doc.getArray(ITEM_DOC.annotations).push(tags.map((t) => tag(people.editor, key, t.frame, t.phrase)));
    await eventually(async () => {
      const stored = await loadDocUpdates({ ctx: s.h.ctx(actorOf(people.editor)), docName: itemDocName(itemId[key]) });
      const doc = new Y.Doc();
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      expect(doc.getArray(ITEM_DOC.annotations).length).toBe(tags.length);
      doc.destroy();
    });
  } finally {
    client.destroy();
  }
}

beforeAll(async () => {
  store = await createTestStore();
  s = await startCollabServer(store);
  const entries = await Promise.all((['owner', 'methodologist', 'editor', 'a', 'b', 'outsider'] as const).map(async (k) => [k, await signUp(s.h, `wb-${k}`)] as const));
  people = Object.fromEntries(entries) as typeof people;
  const owner = s.h.ctx(actorOf(people.owner));
  projectId = (await createProject({ ctx: owner, input: { name: 'Workbench', description: '' } })).id;
  for (const [k, role] of [['methodologist', 'methodologist'], ['editor', 'editor'], ['a', 'coder'], ['b', 'coder']] as const) {
    await addMember({ ctx: owner, projectId, input: { email: people[k].email, role } });
  }
  const option = (value: string, label: string, parent: string | null = null) => ({ value, label, parent, help: '' });
  await replaceCodebook({ ctx: owner, projectId, input: {
    name: 'Narratives',
    baseVersion: 1,
    fields: [
      {
        key: 'frames',
        label: 'Narrative frames',
        help: '',
        type: 'multiple_choice',
        required: false,
        allowNa: false,
        options: [option('security', 'National security trumps human rights'), option('protesters', 'Protesters are terrorists', 'security'), option('leader', 'The best leader')],
      },
      { key: 'impact', label: 'Civic impact', help: '', type: 'ordinal', required: false, allowNa: false, scale: [-1, 0, 1].map((value) => ({ value, label: ['Harmful', 'Neutral', 'Beneficial'][value + 1]! })) },
      { key: 'subtext', label: 'Subtext', help: '', type: 'text', required: false, allowNa: false, maxLength: 4000 },
      { key: 'reactions', label: 'Reactions', help: '', type: 'text', required: false, allowNa: false, maxLength: 4000 },
    ],
  } });
  for (const name of ['January protests', 'Snap election']) incidentId.push((await createIncident({ ctx: owner, projectId, input: { name, description: '' } })).id);
  for (const [key, item] of Object.entries(ITEMS) as [Key, (typeof ITEMS)[Key]][]) {
    const created = await createItem({ ctx: owner, projectId, input: {
      externalId: `ext-${key}`,
      title: item.title,
      url: `https://example.org/${key}?q=1`,
      platform: 'telegram',
      author: null,
      publishedAt: '2022-01-06T10:00:00.000Z',
      language: 'kk',
      body: item.body,
      reach: null,
      likes: null,
      shares: null,
      comments: null,
      incidentId: incidentId[key === 'b' ? 1 : 0]!,
      ...(key === 'a' ? { translationLanguage: 'en', translationTitle: 'The minister (translated)', translationBody: 'Translated: protesters are terrorists.' } : {}),
    } });
    itemId[key] = created.id;
  }
  await createRound({ ctx: owner, projectId, input: { roundName: 'Round 1', coderIds: [people.a.userId, people.b.userId], itemIds: Object.values(itemId), mode: { type: 'k', k: 2 }, seed: 1 } });

  const agreed = { impact: -1, subtext: agreedSubtext };
  await code(people.a, 'a', agreed, ['protesters'], [{ frame: 'protesters', phrase: 'Protesters are terrorists' }]);
  await code(people.b, 'a', agreed, ['protesters', 'security'], [
    { frame: 'protesters', phrase: 'Protesters are terrorists' },
    { frame: 'security', phrase: '=HYPERLINK("x")' },
  ]);
  await code(people.a, 'b', { impact: 1 }, ['leader'], [{ frame: 'leader', phrase: 'Only the leader keeps order' }]);
  await code(people.b, 'b', { impact: 0, reactions: 'Shared by state accounts.' }, ['security'], []);
  await api(people.editor, 'PUT', `/items/${itemId.b}/adjudications/frames`, { value: ['leader'], rationale: 'It praises the leader.' });
  // Item c stays independent: a submitted with a tag and a blind subtext, b has a draft.
  await code(people.a, 'c', { impact: -1, subtext: 'BLIND SUBTEXT' }, ['security'], [{ frame: 'security', phrase: 'BLIND BODY passage' }]);
  await code(people.b, 'c', { impact: 1 }, ['leader'], [], false);
  // The editor tags the shared documents: a after reveal (one span the coders tagged too), c while it is blind.
  await tagShared('a', [
    { frame: 'protesters', phrase: 'Protesters are terrorists' },
    { frame: 'leader', phrase: 'the minister said' },
  ]);
  await tagShared('c', [{ frame: 'security', phrase: 'must not leave' }]);
}, 300_000);

afterAll(async () => {
  await s?.close();
  await store?.dispose();
});

const agreedSubtext = 'Officials paint the protest as terror.';
const at = (key: Key, phrase: string) => {
  const { from, to } = span(key, phrase);
  return { start: from, end: to };
};

const workbench = async (who: Session, query = '') => json<Workbench>(await api(who, 'GET', `/workbench${query}`));
const text = async (who: Session, path: string) => (await api(who, 'GET', path)).text();
/** Pseudonyms from the owner's key, so the expectations do not guess the numbering. */
async function pseudonyms(): Promise<Map<string, string>> {
  return new Map(csvRecords(await text(people.owner, '/export/coder-key.csv')).map((r) => [r.user_id!, r.pseudonym!]));
}

describe('GET /api/projects/:id/workbench', () => {
  it('gathers the final values with their labels and provenance, the translation and the tagged passages', async () => {
    const data = await workbench(people.methodologist);
    const names = await pseudonyms();
    const [a, b, c] = data.items;
    expect(data.items.map((i) => i.id)).toEqual([itemId.a, itemId.b, itemId.c]);
    expect(data).toMatchObject({ total: 3, limit: 50, offset: 0, frameField: { key: 'frames', label: 'Narrative frames' } });
    expect(data.frames.map((f) => f.value)).toEqual(['security', 'protesters', 'leader']);
    expect(data.incidents.map((i) => i.name)).toEqual(['January protests', 'Snap election']);

    expect(a).toMatchObject({ externalId: 'ext-a', url: 'https://example.org/a?q=1', language: 'kk', phase: 'revealed', frames: ['protesters'] });
    expect(a!.translation).toEqual({ language: 'en', title: 'The minister (translated)', body: 'Translated: protesters are terrorists.' });
    expect(a!.values.impact).toEqual({ value: -1, provenance: 'unanimous', text: 'Harmful (-1)' });
    expect(a!.values.subtext).toEqual({ value: agreedSubtext, provenance: 'unanimous', text: agreedSubtext });
    expect(a!.values.frames).toEqual({ value: ['protesters'], provenance: 'majority', text: 'Protesters are terrorists' });
    expect(a!.values.reactions).toEqual({ value: null, provenance: 'open', text: 'open' });
    // One span tagged with one frame by both coders and the editor is one passage naming all three.
    expect(a!.passages).toEqual([
      { fieldKey: 'frames', frame: 'security', ...at('a', '=HYPERLINK("x")'), text: '=HYPERLINK("x")', taggedBy: [names.get(people.b.userId)], sources: ['coding'] },
      {
        fieldKey: 'frames',
        frame: 'protesters',
        ...at('a', 'Protesters are terrorists'),
        text: 'Protesters are terrorists',
        taggedBy: [people.a, people.b, people.editor].map((p) => names.get(p.userId)).sort((x, y) => x!.localeCompare(y!, 'en', { numeric: true })),
        sources: ['coding', 'discussion'],
      },
      { fieldKey: 'frames', frame: 'leader', ...at('a', 'the minister said'), text: 'the minister said', taggedBy: [names.get(people.editor.userId)], sources: ['discussion'] },
    ]);

    expect(b).toMatchObject({ frames: ['leader'], translation: null });
    expect(b!.values.frames).toMatchObject({ value: ['leader'], provenance: 'decided' });
    expect(b!.values.impact).toEqual({ value: null, provenance: 'open', text: 'open' });
    expect(b!.values.reactions).toEqual({ value: 'Shared by state accounts.', provenance: 'single', text: 'Shared by state accounts.' });
    expect(b!.passages.map((p) => [p.frame, p.text])).toEqual([['leader', 'Only the leader keeps order']]);

    // The independent item: listed, every value open, no passage, no frame.
    expect(c).toMatchObject({ phase: 'independent', frames: [], passages: [] });
    for (const v of Object.values(c!.values)) expect(v).toEqual({ value: null, provenance: 'open', text: 'open' });
  });

  it('holds the values and provenance of the final dataset', async () => {
    const final = await json<FinalDataset>(await api(people.editor, 'GET', '/export/final.json'));
    const data = await workbench(people.editor);
    for (const item of final.items) {
      const mine = data.items.find((i) => i.id === item.id)!;
      for (const [key, v] of Object.entries(item.values)) expect({ value: mine.values[key]!.value, provenance: mine.values[key]!.provenance }, `${item.title} ${key}`).toEqual({ value: v.value, provenance: v.provenance });
    }
  });

  it('filters by frame (a parent gathers its children), incident and field, and pages', async () => {
    const ids = async (query: string) => (await workbench(people.editor, query)).items.map((i) => i.id);
    expect(await ids('?frame=security')).toEqual([itemId.a]);
    expect(await ids('?frame=protesters')).toEqual([itemId.a]);
    // a by the editor's passage, b by its decided value.
    expect(await ids('?frame=leader')).toEqual([itemId.a, itemId.b]);
    expect(await ids(`?incident=${incidentId[1]}`)).toEqual([itemId.b]);
    expect(await ids(`?incident=${incidentId[0]}&frame=leader`)).toEqual([itemId.a]);
    expect(await ids('?frame=&incident=')).toEqual([itemId.a, itemId.b, itemId.c]);
    const paged = await workbench(people.editor, '?limit=1&offset=1');
    expect(paged).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(paged.items.map((i) => i.id)).toEqual([itemId.b]);
  });

  it('refuses a field that is not a choice field, an unknown frame and another project’s incident', async () => {
    for (const query of ['?field=impact', '?frame=nonsense']) {
      const res = await s.h.request(people.editor, 'GET', `/api/projects/${projectId}/workbench${query}`);
      expect(res.status, query).toBe(400);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('VALIDATION_FAILED');
    }
    const res = await s.h.request(people.editor, 'GET', `/api/projects/${projectId}/workbench?incident=inc_unknown`);
    expect(res.status).toBe(404);
  });
});

describe('who may read it', () => {
  it('is for managers: a coder gets 403 on the page and both files, a non-member 404', async () => {
    for (const path of ['/workbench', '/workbench.md', '/workbench.csv']) {
      const coder = await s.h.request(people.a, 'GET', `/api/projects/${projectId}${path}`);
      expect(coder.status, path).toBe(403);
      expect((await json<{ error: { code: string } }>(coder)).error.code).toBe('FORBIDDEN');
      const outsider = await s.h.request(people.outsider, 'GET', `/api/projects/${projectId}${path}`);
      expect(outsider.status, path).toBe(404);
    }
    for (const who of [people.owner, people.methodologist, people.editor]) expect((await s.h.request(who, 'GET', `/api/projects/${projectId}/workbench`)).status).toBe(200);
  });

  it('is an export for a read-export token: the page and both files, as its owner’s session', async () => {
    const created = await s.h.request(people.methodologist, 'POST', '/api/auth/tokens', { name: 'narrative script', scope: 'read-export' });
    expect(created.status).toBe(201);
    const { secret } = await json<CreatedToken>(created);
    for (const path of ['/workbench', '/workbench.md', '/workbench.csv']) {
      const res = await s.h.request(null, 'GET', `/api/projects/${projectId}${path}`, undefined, { authorization: `Bearer ${secret}` });
      expect(res.status, path).toBe(200);
    }
  });

  it('never carries anything of an item still coded blind, in the page or either file', async () => {
    for (const path of ['/workbench', '/workbench?frame=security', '/workbench.md', '/workbench.csv', '/workbench.csv?frame=security']) {
      const body = await text(people.owner, path);
      for (const mark of BLIND_MARKS) expect(body, `${path}: ${mark}`).not.toContain(mark);
    }
  });
});

describe('the files', () => {
  it('Markdown: per frame then per incident, each passage quoted with its item reference, user text escaped', async () => {
    const md = await text(people.editor, '/workbench.md');
    const names = await pseudonyms();
    const taggers = [people.a, people.b, people.editor].map((p) => names.get(p.userId)!).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
    expect(md).toContain('## By frame (Narrative frames)');
    expect(md).toContain('## By incident');
    expect(md.indexOf('### National security trumps human rights')).toBeLessThan(md.indexOf('### Protesters are terrorists'));
    expect(md).toContain(`> "Protesters are terrorists" (ext-a, "The minister on the protests"; Protesters are terrorists; tagged by ${taggers.join(', ')})`);
    expect(md).toContain('- Link: <https://example.org/a?q=1>');
    expect(md).toContain('- Translation (en): The minister (translated)');
    expect(md).toContain('- **Civic impact** (unanimous): Harmful (-1)');
    expect(md).toContain('- **Reactions**: *open*');
    // The hostile title is text: no heading, no HTML of its own.
    expect(md).toContain('#### ext-b · # A heading \\<img src=x onerror=alert(1)>');
    expect(md.split('\n').filter((l) => l.startsWith('#')).every((l) => /^#{1,4} /.test(l))).toBe(true);
    expect(md).not.toMatch(/^# A heading/m);
    expect(md).toContain('- Phase: independent (no final values before reveal)');
    // Filtered like the page.
    const filtered = await text(people.editor, `/workbench.md?incident=${incidentId[1]}`);
    expect(filtered).toContain('ext-b');
    expect(filtered).not.toContain('ext-a');
  });

  it('CSV: a row per frame, item and passage, formula cells neutralised, ?bom=1', async () => {
    const csv = await text(people.editor, '/workbench.csv');
    expect(csvRows(csv)[0]!.slice(0, 4)).toEqual(['frame', 'frame_label', 'unit', 'external_id']);
    const rows = csvRecords(csv);
    const of = (frame: string) => rows.filter((r) => r.frame === frame).map((r) => [r.external_id, r.passage_text]);
    expect(of('security')).toEqual([['ext-a', `'=HYPERLINK("x")`]]);
    expect(of('protesters')).toEqual([['ext-a', 'Protesters are terrorists']]);
    expect(of('leader')).toEqual([
      ['ext-a', 'the minister said'],
      ['ext-b', 'Only the leader keeps order'],
    ]);
    // The blind item is under no frame, with no value.
    const blind = rows.filter((r) => r.unit === itemId.c);
    expect(blind).toHaveLength(1);
    expect(blind[0]).toMatchObject({ frame: '', phase: 'independent', subtext: '', subtext_provenance: 'open', passage_text: '' });
    const a = rows.find((r) => r.frame === 'protesters')!;
    expect(a).toMatchObject({ translation_language: 'en', translation_title: 'The minister (translated)', impact: 'Harmful (-1)', impact_provenance: 'unanimous', passage_source: 'coding|discussion' });
    const withBom = await (await api(people.editor, 'GET', '/workbench.csv?bom=1')).arrayBuffer();
    expect([...new Uint8Array(withBom).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
