/**
 * POST /api/projects/:id/reliability/plan (issue 14 item 11) through the real route: the pilot
 * is exactly the field's blind codings of revealed items (its alpha equals the library's on
 * them; an item still independent never enters), the plan is reproducible from its seed, the
 * round it offers is made through the assignment API, and bad or unbounded input is a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRows, krippendorffAlpha } from '@concord/reliability';
import type { ErrorBody, ReliabilityPlanResult, Role } from '@concord/shared';
import { actorOf, createHarness, createProjectFixture, json, signUp, signUpTeam, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { createItem } from '../src/services/items/items.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let f: ProjectFixture;
const fresh: string[] = [];

/** Two coders' impact codes of the revealed pilot items (one disagreement by one point, one by two). */
const PILOT_A = [-3, -2, -1, 0, 1, 2, 3, 1, 0, -1, 2, -2];
const PILOT_B = [-3, -2, -1, 0, 1, 2, 3, 2, 0, -1, 0, -2];
const IMPACT_SCALE = ['-3', '-2', '-1', '0', '1', '2', '3'];
const FRESH_ITEMS = 30;

const api = (path: string) => `/api/projects/${f.projectId}${path}`;

async function newItem(title: string): Promise<string> {
  const item = await createItem({ ctx: h.ctx(actorOf(members.owner)), projectId: f.projectId, input: {
    externalId: null, title, url: null, platform: 'news', author: null, publishedAt: null, language: 'en', body: title,
    reach: null, likes: null, shares: null, comments: null, incidentId: null,
  } });
  return item.id;
}

async function code(itemId: string, s: Session, values: Record<string, unknown>) {
  expect((await h.request(s, 'PUT', api(`/items/${itemId}/codings/me`), { values })).status).toBe(200);
  const res = await h.request(s, 'POST', api(`/items/${itemId}/codings/me/submit`));
  expect(res.status, await res.clone().text()).toBe(200);
}

const plan = (body: Record<string, unknown>, who: Session = members.methodologist) => h.request(who, 'POST', api('/reliability/plan'), body);
const QUICK = { simulations: 40, replicates: 200, minItems: 10, maxItems: 200, minCoders: 2, maxCoders: 2 };

beforeAll(async () => {
  h = await createHarness();
  members = await signUpTeam(h);
  coderB = await signUp(h, 'coderB');
  f = await createProjectFixture(h, members, { extraCoders: [coderB] });
  const pilot: string[] = [];
  for (let i = 0; i < PILOT_A.length; i++) pilot.push(await newItem(`pilot ${i}`));
  const unrevealed = await newItem('coded, still independent');
  const round = async (itemIds: string[], coders: Session[]) => {
    const res = await h.request(members.editor, 'POST', api('/assignments'), {
      roundName: 'pilot', type: 'reliability', coderIds: coders.map((c) => c.userId), itemIds, mode: { type: 'k', k: coders.length },
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  await round(pilot, [members.coder, coderB]);
  // The editor is assigned too and never submits: the item stays independent.
  await round([unrevealed], [members.coder, coderB, members.editor]);
  // The second submission reveals each pilot item.
  for (const [i, item] of pilot.entries()) {
    await code(item, members.coder, { frame: 'security', impact: PILOT_A[i] });
    await code(item, coderB, { frame: i % 3 ? 'security' : 'leader', impact: PILOT_B[i] });
  }
  // Coded by both in total disagreement but not revealed: never part of the pilot.
  await code(unrevealed, members.coder, { frame: 'security', impact: -3 });
  await code(unrevealed, coderB, { frame: 'leader', impact: 3 });
  const phase = await json<{ phase: string }>(await h.request(members.editor, 'GET', api(`/items/${unrevealed}`)));
  expect(phase.phase).toBe('independent');
  for (let i = 0; i < FRESH_ITEMS; i++) fresh.push(await newItem(`fresh ${i}`));
}, 240_000);
afterAll(() => h.close());

describe('POST /reliability/plan from a pilot', () => {
  it("simulates the field's revealed blind codings: their alpha and value distribution, the independent item left out", async () => {
    const res = await plan({ field: 'impact', source: { type: 'pilot' }, target: 0.6, probability: 0.8, ...QUICK });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<ReliabilityPlanResult>(res);
    const expected = krippendorffAlpha({ data: fromRows({ rows: PILOT_A.map((a, i) => [String(a), String(PILOT_B[i])]), categories: IMPACT_SCALE }), level: 'ordinal' }).value!;
    expect(body.level).toBe('ordinal');
    expect(body.model).toMatchObject({ source: 'pilot', pilotUnits: PILOT_A.length, pilotCoders: 2 });
    expect(body.model.pilotAlpha).toBeCloseTo(expected, 12);
    expect(body.model.alpha).toBeCloseTo(expected, 12);
    const shares = new Map(body.model.distribution.map((d) => [d.value, d.probability]));
    expect(shares.get('-3')).toBeCloseTo(2 / 24, 12);
    expect(shares.get('2')).toBeCloseTo(4 / 24, 12);
    expect(body.confidence).toBe(0.95);
    expect(body.plan).not.toBeNull();
    expect(body.plan!.codings).toBe(body.plan!.items * body.plan!.coders);
    expect(body.plan!.share).toBeGreaterThanOrEqual(0.8);
    expect(body.work).toBeLessThanOrEqual(body.budget);
  });

  it('gives the same plan for the same seed, and offers fresh items for the round', async () => {
    const input = { field: 'impact', source: { type: 'pilot' }, target: 0.6, probability: 0.8, seed: 7, ...QUICK };
    const [a, b] = await Promise.all([plan(input), plan(input, members.owner)]);
    const first = await json<ReliabilityPlanResult>(a);
    expect(await json<ReliabilityPlanResult>(b)).toEqual(first);
    const offered = first.assignment!;
    expect(offered.available).toBe(FRESH_ITEMS);
    expect(offered.itemIds).toHaveLength(Math.min(first.plan!.items, FRESH_ITEMS));
    for (const id of offered.itemIds) expect(fresh).toContain(id);
    expect(new Set(offered.itemIds).size).toBe(offered.itemIds.length);
  });

  it("creates the round that follows through the assignment API", async () => {
    const body = await json<ReliabilityPlanResult>(await plan({ field: 'impact', source: { type: 'pilot' }, target: 0.6, probability: 0.8, ...QUICK }));
    const { itemIds } = body.assignment!;
    const res = await h.request(members.methodologist, 'POST', api('/assignments'), {
      roundName: 'planned reliability round', type: 'reliability', coderIds: [members.coder.userId, coderB.userId], itemIds, mode: { type: 'k', k: body.plan!.coders },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await json<{ assignments: number }>(res)).assignments).toBe(itemIds.length * body.plan!.coders);
    // Those items are no longer fresh: the next plan offers the others.
    const next = await json<ReliabilityPlanResult>(await plan({ field: 'impact', source: { type: 'pilot' }, target: 0.6, probability: 0.8, ...QUICK }));
    expect(next.assignment!.available).toBe(FRESH_ITEMS - itemIds.length);
    for (const id of next.assignment!.itemIds) expect(itemIds).not.toContain(id);
  });

  it('reads a nominal field with N/A as a category, as GET /reliability does', async () => {
    const res = await plan({ field: 'frame', source: { type: 'pilot' }, target: 0.2, probability: 0.6, ...QUICK });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<ReliabilityPlanResult>(res);
    const report = await json<{ fields: { key: string; value: number | null }[] }>(await h.request(members.methodologist, 'GET', api('/reliability?field=frame&bootstrap=0')));
    expect(body.level).toBe('nominal');
    expect(body.model.pilotAlpha).toBe(report.fields[0]!.value);
  });
});

describe('POST /reliability/plan from an expected alpha', () => {
  it('uses the given distribution over the scale and finds a plan', async () => {
    const distribution = IMPACT_SCALE.map((value, i) => ({ value, weight: [1, 2, 4, 6, 4, 2, 1][i]! }));
    const res = await plan({ field: 'impact', source: { type: 'expected', alpha: 0.9, distribution }, target: 0.7, probability: 0.8, ...QUICK });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<ReliabilityPlanResult>(res);
    expect(body.model).toMatchObject({ source: 'expected', alpha: 0.9, pilotAlpha: null });
    expect(body.model.distribution.find((d) => d.value === '0')!.probability).toBeCloseTo(6 / 20, 12);
    expect(body.plan).not.toBeNull();
  });

  it('says why there is no plan when the expected alpha is not above the target', async () => {
    const body = await json<ReliabilityPlanResult>(await plan({ field: 'impact', source: { type: 'expected', alpha: 0.75 }, target: 0.8, ...QUICK }));
    expect(body.plan).toBeNull();
    expect(body.assignment).toBeNull();
    expect(body.reason).toMatch(/not above the target/);
  });
});

describe('POST /reliability/plan refuses', () => {
  it.each([
    ['too many simulations', { field: 'impact', source: { type: 'expected', alpha: 0.9 }, simulations: 100_000 }],
    ['too many replicates', { field: 'impact', source: { type: 'expected', alpha: 0.9 }, replicates: 50_000 }],
    ['too many items', { field: 'impact', source: { type: 'expected', alpha: 0.9 }, maxItems: 1_000_000 }],
    ['too many coders', { field: 'impact', source: { type: 'expected', alpha: 0.9 }, maxCoders: 50 }],
    ['fewer maximum than minimum coders', { field: 'impact', source: { type: 'expected', alpha: 0.9 }, minCoders: 4, maxCoders: 3 }],
    ['an alpha above 1', { field: 'impact', source: { type: 'expected', alpha: 1.5 } }],
    ['an unknown source', { field: 'impact', source: { type: 'guess' } }],
    ['an unknown field', { field: 'nope', source: { type: 'expected', alpha: 0.9 } }],
    ['a text field', { field: 'notes', source: { type: 'expected', alpha: 0.9 } }],
    ['a value the field lacks', { field: 'impact', source: { type: 'expected', alpha: 0.9, distribution: [{ value: '9', weight: 1 }, { value: '0', weight: 1 }] } }],
    ['a distribution on one value', { field: 'impact', source: { type: 'expected', alpha: 0.9, distribution: [{ value: '1', weight: 1 }, { value: '0', weight: 0 }] } }],
  ])('%s with 400 VALIDATION_FAILED', async (_, body) => {
    const res = await plan(body);
    expect(res.status).toBe(400);
    const out = await json<ErrorBody>(res);
    expect(out.error.code).toBe('VALIDATION_FAILED');
    expect(out.error.message.length).toBeGreaterThan(0);
  });

  it('a pilot without two coders of revealed items, with 400', async () => {
    const other = await createProjectFixture(h, members);
    const res = await h.request(members.methodologist, 'POST', `/api/projects/${other.projectId}/reliability/plan`, { field: 'impact', source: { type: 'pilot' } });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.message).toMatch(/at least two coders, found 0/);
  });

  it('editors and coders, with 403', async () => {
    for (const who of [members.editor, members.coder]) {
      expect((await plan({ field: 'impact', source: { type: 'expected', alpha: 0.9 } }, who)).status).toBe(403);
    }
  });
});
