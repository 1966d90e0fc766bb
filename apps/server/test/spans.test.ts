/**
 * Span tags as codings: `export/spans.csv` and the span agreement (`…/reliability/spans`,
 * the report's `spans` section). Coders tag through their own coding documents over the
 * real /yjs endpoint and submit through the API, as the coding page does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitizingAlpha, type Continuum } from '@concord/reliability';
import { CODING_DOC, codingDocName, newId, type Coding, type Report, type SpanReliability, type ErrorBody } from '@concord/shared';
import { createRound } from '../src/services/assignments/assignments.ts';
import { replaceCodebook } from '../src/services/codebook/codebook.ts';
import { createIncident } from '../src/services/items/incidents.ts';
import { createItem } from '../src/services/items/items.ts';
import { addMember } from '../src/services/projects/members.ts';
import { createProject } from '../src/services/projects/projects.ts';
import { connectClient, createTestStore, startCollabServer, type CollabServer, type TestStore } from './collab-helpers.ts';
import { csvRecords } from './export-expectations.ts';
import { actorOf, json, signUp, type Session } from './harness.ts';
import { eventually } from './testing.ts';

const BODIES = [
  '=SUM(1) The protesters are terrorists, said the minister on state television.',
  'Only a strong leader keeps the country stable, the newspaper wrote.',
  'A third post that one coder never submits.',
  'A fourth post coded after its joint session opened.',
];

interface Tag {
  frame: 'security' | 'leader';
  phrase: string;
}

let store: TestStore;
let s: CollabServer;
let people: Record<'owner' | 'methodologist' | 'editor' | 'a' | 'b' | 'c' | 'outsider', Session>;
let projectId: string;
const itemIds: string[] = [];
const incidentIds: string[] = [];
/** What each coder tagged, per item index (undefined: did not submit). */
const tagged: Record<'a' | 'b' | 'c', (Tag[] | undefined)[]> = {
  a: [[{ frame: 'security', phrase: 'protesters are terrorists' }], [{ frame: 'leader', phrase: 'strong leader' }], [{ frame: 'security', phrase: 'third post' }], [{ frame: 'leader', phrase: 'fourth' }]],
  b: [[{ frame: 'security', phrase: 'protesters are terrorists' }], [{ frame: 'leader', phrase: 'strong leader keeps' }], undefined, [{ frame: 'leader', phrase: 'fourth post' }]],
  c: [[{ frame: 'security', phrase: 'The protesters are terrorists' }, { frame: 'leader', phrase: '=SUM(1)' }], [], undefined, undefined],
};

const spanOf = (item: number, phrase: string) => {
  const from = BODIES[item]!.indexOf(phrase);
  return { from, to: from + phrase.length };
};

async function tagAndSubmit(coder: Session, item: number, tags: Tag[]) {
  const itemId = itemIds[item]!;
  if (tags.length) {
    const client = connectClient(s.wsUrl, codingDocName(itemId, coder.userId), { cookie: coder.cookie });
    try {
    await eventually(() => expect(client.provider.synced).toBe(true));
    client.doc.transact(() => {
      client.doc.getArray(CODING_DOC.annotations).push(
        tags.map((t) => ({ id: newId('annotation'), ...spanOf(item, t.phrase), fieldKey: 'frames', frame: t.frame, authorId: coder.userId, createdAt: new Date().toISOString() })),
      );
      client.doc.getMap(CODING_DOC.values).set('frames', [...new Set(tags.map((t) => t.frame))]);
    });
    // The projection follows the persisted batch that holds the tags.
    await eventually(async () => {
      const rows = await json<Coding[]>(await s.h.request(coder, 'GET', `/api/projects/${projectId}/items/${itemId}/codings/me`));
      expect(rows.map((r) => r.fieldKey)).toContain('frames');
    });
    } finally {
      client.destroy();
    }
  }
  const res = await s.h.request(coder, 'POST', `/api/projects/${projectId}/items/${itemId}/codings/me/submit`);
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  store = await createTestStore();
  s = await startCollabServer(store);
  const h = s.h;
  const entries = await Promise.all((['owner', 'methodologist', 'editor', 'a', 'b', 'c', 'outsider'] as const).map(async (k) => [k, await signUp(h, `span-${k}`)] as const));
  people = Object.fromEntries(entries) as typeof people;
  const owner = h.ctx(actorOf(people.owner));
  projectId = (await createProject({ ctx: owner, input: { name: 'Spans', description: '' } })).id;
  for (const [k, role] of [['methodologist', 'methodologist'], ['editor', 'editor'], ['a', 'coder'], ['b', 'coder'], ['c', 'coder']] as const) {
    await addMember({ ctx: owner, projectId, input: { email: people[k].email, role } });
  }
  await replaceCodebook({ ctx: owner, projectId, input: {
    name: 'Frames',
    baseVersion: 1,
    fields: [
      {
        key: 'frames',
        label: 'Narrative frames',
        help: '',
        type: 'multiple_choice',
        required: false,
        allowNa: false,
        options: [
          { value: 'security', label: 'Security', parent: null, help: '' },
          { value: 'leader', label: 'Best leader', parent: null, help: '' },
        ],
      },
      { key: 'tone', label: 'Tone', help: '', type: 'single_choice', required: false, allowNa: false, options: [{ value: 'neutral', label: 'Neutral', parent: null, help: '' }] },
    ],
  } });
  for (const name of ['January protests', 'Snap election']) incidentIds.push((await createIncident({ ctx: owner, projectId, input: { name, description: '' } })).id);
  for (const [i, body] of BODIES.entries()) {
    const item = await createItem({ ctx: owner, projectId, input: {
      externalId: `post-${i + 1}`,
      title: `Post ${i + 1}`,
      url: null,
      platform: 'facebook',
      author: null,
      publishedAt: null,
      language: 'en',
      body,
      reach: null,
      likes: null,
      shares: null,
      comments: null,
      incidentId: incidentIds[i === 1 ? 1 : 0]!,
    } });
    itemIds.push(item.id);
  }
  const round = (items: string[], coders: Session[]) =>
    createRound({ ctx: owner, projectId, input: { roundName: newId('round'), coderIds: coders.map((c) => c.userId), itemIds: items, mode: { type: 'k', k: coders.length }, seed: 1 } });
  await round([itemIds[0]!, itemIds[1]!], [people.a, people.b, people.c]);
  await round([itemIds[2]!, itemIds[3]!], [people.a, people.b]);

  for (const item of [0, 1, 2, 3]) await tagAndSubmit(people.a, item, tagged.a[item]!);
  for (const item of [0, 1]) {
    await tagAndSubmit(people.b, item, tagged.b[item]!);
    await tagAndSubmit(people.c, item, tagged.c[item]!);
  }
  // Item 4: a joint session opens before b submits, so her tags are not blind; then revealed.
  const phase = (item: number, to: string) => s.h.request(people.editor, 'POST', `/api/projects/${projectId}/items/${itemIds[item]}/phase`, { phase: to });
  expect((await phase(3, 'joint')).status).toBe(200);
  await tagAndSubmit(people.b, 3, tagged.b[3]!);
  expect((await phase(3, 'revealed')).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await s?.close();
  await store?.dispose();
});

describe('GET /api/projects/:id/export/spans.csv', () => {
  it('holds each submitted coder’s own tags of revealed items, by pseudonym, with the tagged text', async () => {
    const res = await s.h.request(people.editor, 'GET', `/api/projects/${projectId}/export/spans.csv`);
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toBe('item,external_id,coder,field,frame,start,end,text');
    for (const p of Object.values(people)) expect(csv).not.toContain(p.email);
    const rows = csvRecords(csv);
    // Item 1: a 1, b 1, c 2; item 2: a 1, b 1; item 3 is not revealed; item 4: a 1, b 1 (not blind, still a coding).
    expect(rows).toHaveLength(8);
    expect(rows.some((r) => r.item === itemIds[2])).toBe(false);
    for (const r of rows) {
      expect(r.coder).toMatch(/^C\d+$/);
      expect(r.field).toBe('frames');
      const body = BODIES[itemIds.indexOf(r.item!)]!;
      const text = body.slice(Number(r.start), Number(r.end));
      // A cell that starts like a formula gets one leading ' (csv.ts).
      expect(r.text).toBe(/^[=+\-@]/.test(text) ? `'${text}` : text);
      expect(r.external_id).toBe(`post-${itemIds.indexOf(r.item!) + 1}`);
    }
    expect(rows.find((r) => r.frame === 'leader' && r.item === itemIds[0])?.text).toBe("'=SUM(1)");
  });

  it('is for managers: 403 for a coder, 404 for a non-member, with the error body', async () => {
    const coder = await s.h.request(people.a, 'GET', `/api/projects/${projectId}/export/spans.csv`);
    expect(coder.status).toBe(403);
    expect((await json<{ error: { code: string } }>(coder)).error.code).toBe('FORBIDDEN');
    const outsider = await s.h.request(people.outsider, 'GET', `/api/projects/${projectId}/export/spans.csv`);
    expect(outsider.status).toBe(404);
    expect((await json<{ error: { code: string } }>(outsider)).error.code).toBe('NOT_FOUND');
  });
});

/** The continua the API should compute on: blind submitted coders of revealed items with two or more of them. */
function continua(items: number[], coders: ('a' | 'b' | 'c')[], unitsOf: (tags: Tag[], item: number) => { start: number; end: number; value: string }[]): Continuum[] {
  return items.map((item) => ({
    length: BODIES[item]!.length,
    coders: coders.filter((c) => tagged[c][item] !== undefined).map((c) => unitsOf(tagged[c][item]!, item)),
  }));
}
const asUnits = (tags: Tag[], item: number) => tags.map((t) => ({ ...spanOf(item, t.phrase), value: t.frame })).map(({ from, to, value }) => ({ start: from, end: to, value }));

describe('GET /api/projects/:id/reliability/spans', () => {
  let report: SpanReliability;
  beforeAll(async () => {
    const res = await s.h.request(people.methodologist, 'GET', `/api/projects/${projectId}/reliability/spans?bootstrap=200&seed=3`);
    expect(res.status).toBe(200);
    report = await json<SpanReliability>(res);
  });

  it('says which definition it uses', () => {
    expect(report.definition.id).toBe('krippendorff-2016');
    expect(report.definition.text).toContain('Krippendorff, Mathet, Bouvry & Widlöcher (2016');
  });

  it('computes the field’s alphas on blind coders of revealed items only (@concord/reliability on the same units)', () => {
    const [field] = report.fields;
    expect(field!.key).toBe('frames');
    expect(report.excluded_not_blind).toBe(1);
    expect(field!.overall).toMatchObject({ n_items: 2, n_coders: 3, n_tags: 6 });
    const expected = unitizingAlpha({ continua: continua([0, 1], ['a', 'b', 'c'], asUnits) });
    expect(field!.overall.u.value).toBeCloseTo(expected.u.value!, 12);
    expect(field!.overall.binary.value).toBeCloseTo(expected.binary.value!, 12);
    expect(field!.overall.cu.value).toBeCloseTo(expected.coding.value!, 12);
    for (const c of [field!.overall.u, field!.overall.binary]) {
      expect(c.ci!.low!).toBeLessThanOrEqual(c.value!);
      expect(c.ci!.high!).toBeGreaterThanOrEqual(c.value!);
    }
  });

  it('gives per frame the frame’s u-alpha against all other text and its cu-alpha', () => {
    const security = report.fields[0]!.frames.find((f) => f.frame === 'security')!;
    expect(security).toMatchObject({ label: 'Security', n_tags: 3 });
    const binary = unitizingAlpha({ continua: continua([0, 1], ['a', 'b', 'c'], (tags, item) => asUnits(tags.filter((t) => t.frame === 'security'), item)) });
    expect(security.u.value).toBeCloseTo(binary.u.value!, 12);
    const field = unitizingAlpha({ continua: continua([0, 1], ['a', 'b', 'c'], asUnits) });
    expect(security.cu.value).toBeCloseTo(field.perValue.find((p) => p.category === 'security')!.value!, 12);
  });

  it('breaks down by coder pair and by incident', () => {
    const [field] = report.fields;
    expect(field!.pairs).toHaveLength(3);
    const ab = field!.pairs.find((p) => p.coders.includes(people.a.userId) && p.coders.includes(people.b.userId))!;
    expect(ab.n_items).toBe(2);
    expect(ab.u.value).toBeCloseTo(unitizingAlpha({ continua: continua([0, 1], ['a', 'b'], asUnits) }).u.value!, 12);
    expect(field!.incidents.map((i) => [i.incident.name, i.n_items])).toEqual([
      ['January protests', 1],
      ['Snap election', 1],
    ]);
  });

  it('refuses a field that cannot be tagged, and coders', async () => {
    const bad = await s.h.request(people.methodologist, 'GET', `/api/projects/${projectId}/reliability/spans?field=tone`);
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('tone') });
    expect((await s.h.request(people.a, 'GET', `/api/projects/${projectId}/reliability/spans`)).status).toBe(403);
  });
});

describe('the report’s span section', () => {
  it('states the definition and names coder pairs by pseudonym', async () => {
    const res = await s.h.request(people.methodologist, 'GET', `/api/projects/${projectId}/report?bootstrap=100`);
    expect(res.status).toBe(200);
    const report = await json<Report>(res);
    expect(report.spans.paragraph).toContain('Krippendorff, Mathet, Bouvry & Widlöcher (2016');
    expect(report.spans.paragraph).toContain('For narrative frames, u-alpha was');
    for (const pair of report.spans.fields[0]!.pairs) for (const c of pair.coders) expect(c).toMatch(/^C\d+$/);
    const md = await (await s.h.request(people.methodologist, 'GET', `/api/projects/${projectId}/report?bootstrap=100&format=md`)).text();
    expect(md).toContain('## Span agreement (unitizing alphas)');
    expect(md).toContain('| Security |');
    for (const p of Object.values(people)) expect(md).not.toContain(p.email);
  });
});
