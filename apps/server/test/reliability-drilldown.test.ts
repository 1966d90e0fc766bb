/**
 * The drill-down on constructed studies: the prevalence ("kappa") paradox warning, the
 * cache (a submitted coding, a phase change and a new round recompute), access (coders
 * never; non-members 404), and input errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRows, krippendorffAlpha, percentAgreement } from '@concord/reliability';
import type { FieldDrilldown, ReliabilityReport, Role } from '@concord/shared';
import { addItem, assignRound, codeItem, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let stranger: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB, stranger } } = await createTeamHarness(['coderB', 'stranger']));
}, 180_000);
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;

/** `n` more items in the fixture's incident, each assigned to both coders in one new round. */
async function addItems(f: ProjectFixture, n: number, roundName: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await addItem(h, members.owner, f.projectId, { title: `${roundName} item ${i + 1}`, body: '', incidentId: f.incidentId }));
  await assignRound(h, members.owner, f.projectId, ids, [members.coder, coderB], { roundName });
  return ids;
}

/** Both coders code and submit the item (which reveals it). */
async function code(f: ProjectFixture, itemId: string, a: Record<string, unknown>, b: Record<string, unknown>) {
  for (const [s, values] of [[members.coder, a], [coderB, b]] as const) await codeItem(h, f.projectId, itemId, s, values);
}

const drilldown = async (f: ProjectFixture, key: string, who: Session = members.methodologist) => {
  const res = await h.request(who, 'GET', `${base(f)}/reliability/fields/${key}?bootstrap=0`);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<FieldDrilldown>(res);
};
const report = async (f: ProjectFixture, key: string) =>
  (await json<ReliabilityReport>(await h.request(members.methodologist, 'GET', `${base(f)}/reliability?field=${key}&bootstrap=0`))).fields[0]!;

describe('prevalence warning', () => {
  let f: ProjectFixture;
  /** Frames as the two coders gave them: "security" almost everywhere, two disagreements. */
  const frames: [string, string][] = [
    ...Array.from({ length: 18 }, (): [string, string] => ['security', 'security']),
    ['security', 'leader'],
    ['leader', 'security'],
  ];

  beforeAll(async () => {
    f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const ids = [f.itemId, ...(await addItems(f, frames.length - 1, 'skewed'))];
    for (const [i, [a, b]] of frames.entries()) await code(f, ids[i]!, { frame: a, impact: (i % 7) - 3 }, { frame: b, impact: (i % 7) - 3 });
  }, 240_000);

  it('fires when agreement is high (90%) but alpha is low, because one value holds 95% of the values', async () => {
    const d = await drilldown(f, 'frame');
    const data = fromRows({ rows: frames, categories: ['security', 'protesters_terrorists', 'leader', 'NA'] });
    const alpha = krippendorffAlpha({ data }).value!;
    expect(percentAgreement({ data }).value).toBe(0.9);
    expect(alpha).toBeLessThan(0.667);
    expect(d.field).toMatchObject({ value: alpha, percent_agreement: 0.9 });
    expect(d.field.prevalence_warning).toMatchObject({ percent_agreement: 0.9, value: alpha, top_value: 'security', top_share: 38 / 40 });
    expect(d.field.prevalence_warning!.message).toContain('"security" is 95% of the values');
    expect(d.field.prevalence_warning!.message).toContain('kappa');
    expect(d.values.find((v) => v.value === 'security')).toMatchObject({ count: 38, prevalence: 0.95 });
    // The dashboard's table carries the same warning.
    expect((await report(f, 'frame')).prevalence_warning).toEqual(d.field.prevalence_warning);
  });

  it('does not fire on a balanced field with the same agreement', async () => {
    const impact = await drilldown(f, 'impact');
    expect(impact.field.percent_agreement).toBe(1);
    expect(impact.field.value).toBe(1);
    expect(impact.field.prevalence_warning).toBeNull();
  });
});

describe('cache', () => {
  it('recomputes when a coding is submitted, when an item goes back to blind coding, and when a round starts', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const [second, third] = await addItems(f, 2, 'round one');
    await code(f, f.itemId, { frame: 'security', impact: 1 }, { frame: 'security', impact: 1 });
    await code(f, second!, { frame: 'leader', impact: -2 }, { frame: 'leader', impact: -1 });

    const before = await drilldown(f, 'impact');
    expect(before.field.n_units).toBe(2);
    expect(await drilldown(f, 'impact')).toEqual(before);
    expect(before.drift).toMatchObject({ by: 'round', points: [{ label: 'round', n_units: 1 }, { label: 'round one', n_units: 1 }] });

    // Only coder B's submission reveals the third item: its codings enter then.
    expect((await h.request(members.coder, 'PUT', `${base(f)}/items/${third!}/codings/me`, { values: { frame: 'leader', impact: 3 } })).status).toBe(200);
    expect((await h.request(members.coder, 'POST', `${base(f)}/items/${third!}/codings/me/submit`)).status).toBe(200);
    expect((await drilldown(f, 'impact')).field.n_units).toBe(2);
    expect((await h.request(coderB, 'PUT', `${base(f)}/items/${third!}/codings/me`, { values: { frame: 'leader', impact: -3 } })).status).toBe(200);
    expect((await h.request(coderB, 'POST', `${base(f)}/items/${third!}/codings/me/submit`)).status).toBe(200);
    const after = await drilldown(f, 'impact');
    expect(after.field.n_units).toBe(3);
    expect(after.field.value).not.toBe(before.field.value);
    expect((await report(f, 'impact')).value).toBe(after.field.value);

    expect((await h.request(members.editor, 'POST', `${base(f)}/items/${third!}/phase`, { phase: 'independent' })).status).toBe(200);
    expect(await drilldown(f, 'impact')).toEqual(before);

    const [fourth] = await addItems(f, 1, 'round two');
    await code(f, fourth!, { frame: 'security', impact: 0 }, { frame: 'security', impact: 2 });
    const rounds = await drilldown(f, 'impact');
    expect(rounds.drift.points.map((p) => [p.label, p.n_units])).toEqual([
      ['round', 1],
      ['round one', 1],
      ['round two', 1],
    ]);
  }, 120_000);
});

describe('access and input', () => {
  it('refuses coders (403) even on their own revealed items, hides the project from non-members (404)', async () => {
    const f = await createProjectFixture(h, members);
    expect((await h.request(members.coder, 'PUT', `${base(f)}/items/${f.itemId}/codings/me`, { values: { frame: 'security', impact: 1 } })).status).toBe(200);
    expect((await h.request(members.coder, 'POST', `${base(f)}/items/${f.itemId}/codings/me/submit`)).status).toBe(200);
    const coder = await h.request(members.coder, 'GET', `${base(f)}/reliability/fields/impact`);
    expect(coder.status).toBe(403);
    expect((await json<{ error: { code: string } }>(coder)).error.code).toBe('FORBIDDEN');
    const outsider = await h.request(stranger, 'GET', `${base(f)}/reliability/fields/impact`);
    expect(outsider.status).toBe(404);
    expect((await json<{ error: { code: string } }>(outsider)).error.code).toBe('NOT_FOUND');
  });

  it('answers an unknown field with 404 and an unknown incident with 400', async () => {
    const f = await createProjectFixture(h, members);
    const unknown = await h.request(members.owner, 'GET', `${base(f)}/reliability/fields/nope`);
    expect(unknown.status).toBe(404);
    expect((await json<{ error: { message: string } }>(unknown)).error.message).toBe('field "nope" not found');
    const incident = await h.request(members.owner, 'GET', `${base(f)}/reliability/fields/impact?incident=inc_nope`);
    expect(incident.status).toBe(400);
    expect((await json<{ error: { code: string } }>(incident)).error.code).toBe('VALIDATION_FAILED');
  });

  it('gives a text field its counts and no coefficient', async () => {
    const f = await createProjectFixture(h, members);
    const d = await drilldown(f, 'notes', members.owner);
    expect(d.field).toMatchObject({ metric: null, value: null, prevalence_warning: null });
    expect(d).toMatchObject({ values: [], pairs: [], vsRest: [] });
  });
});
