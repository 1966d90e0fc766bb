/**
 * The demo study, seeded through the real verbs: its shape (two incidents x 15 items,
 * 24 revealed, 6 blind) and agreement that is realistic: Krippendorff's alpha between
 * .5 and .9 per coded field, computed on the real export with @concord/reliability.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { krippendorffAlpha, parseReliabilityCsv, setAlpha } from '@concord/reliability';
import type { Incident, Item } from '@concord/shared';
import { createDemoHarness, DEMO_HARNESS_TIMEOUT_MS, PASSWORD, signInDemoAccounts, json, type Harness, type Session } from './harness.ts';
import { DEMO_PROJECT_NAME } from '../src/demo/accounts.ts';

let h: Harness;
let projectId: string;
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  ({ h, projectId } = await createDemoHarness());
  Object.assign(sessions, await signInDemoAccounts(h, PASSWORD));
}, DEMO_HARNESS_TIMEOUT_MS);
afterAll(() => h.close());

const items = async (s: Session, query = '') =>
  json<{ items: Item[]; total: number }>(await h.request(s, 'GET', `/api/projects/${projectId}/items?limit=100${query}`));

describe('demo study', () => {
  it('has one project with two incidents of 15 items, visible to every demo account', async () => {
    for (const s of Object.values(sessions)) {
      const projects = await json<{ name: string; itemCount: number }[]>(await h.request(s, 'GET', '/api/projects'));
      expect(projects).toEqual([expect.objectContaining({ name: DEMO_PROJECT_NAME, itemCount: 30 })]);
    }
    const { incidents } = await json<{ incidents: Incident[] }>(await h.request(sessions.coder1!, 'GET', `/api/projects/${projectId}/incidents`));
    expect(incidents.map((i) => i.itemCount)).toEqual([15, 15]);
    // Described and dated from the seed report: the January 2022 protests and the November 2022 election.
    expect(incidents.map((i) => [i.country, i.startDate?.slice(0, 7), i.endDate! >= i.startDate!])).toEqual([
      ['Kazakhstan', '2022-01', true],
      ['Kazakhstan', '2022-10', true],
    ]);
    expect(incidents[0]!.description).toMatch(/Mamay/);
    expect(incidents[1]!.description).toMatch(/November 2022/);
    expect(incidents.map((i) => i.name).join(' ')).toMatch(/disinformation.*election|election.*disinformation/i);
  });

  it('is caught mid-way: 24 items revealed, 6 blind', async () => {
    expect((await items(sessions.editor!, '&phase=revealed')).total).toBe(24);
    const blind = await items(sessions.editor!, '&phase=independent');
    expect(blind.total).toBe(6);
    const submittedBy = async (coder: string) => {
      const assignments = await json<{ itemId: string; submittedAt: string | null }[]>(await h.request(sessions[coder]!, 'GET', `/api/projects/${projectId}/assignments`));
      const blindIds = new Set(blind.items.map((i) => i.id));
      return assignments.filter((a) => blindIds.has(a.itemId) && a.submittedAt !== null).length;
    };
    expect(await submittedBy('coder1')).toBe(6);
    expect(await submittedBy('coder2')).toBe(3);
    expect(await submittedBy('coder3')).toBe(0);
  });

  it('keeps the blind items blind: coder3 sees no one else\'s values there', async () => {
    const blind = await items(sessions.coder3!, '&phase=independent');
    for (const item of blind.items) {
      const codings = await json<unknown[]>(await h.request(sessions.coder3!, 'GET', `/api/projects/${projectId}/items/${item.id}/codings`));
      expect(codings).toEqual([]);
    }
  });

  it.each([
    ['civic_impact', 'ordinal'],
    ['popularity', 'ordinal'],
    ['dimension', 'nominal'],
    ['element', 'nominal'],
    ['platform', 'nominal'],
    ['narrative_frames', 'masi'],
    ['sources', 'masi'],
  ] as const)('agrees imperfectly on %s (alpha between .5 and .9)', async (field, level) => {
    const wide = await (await h.request(sessions.editor!, 'GET', `/api/projects/${projectId}/export/codings.csv?layout=wide&field=${field}`)).text();
    expect(wide.trim().split('\r\n')).toHaveLength(25);
    // The long export: readers find unit, coder and value by name, past the item columns.
    const csv = await (await h.request(sessions.editor!, 'GET', `/api/projects/${projectId}/export/codings.csv?layout=long&field=${field}`)).text();
    const alpha =
      level === 'masi'
        ? setAlpha({ data: parseReliabilityCsv(csv, { layout: 'long', sets: true }).data, distance: 'masi' }).value
        : krippendorffAlpha({ data: parseReliabilityCsv(csv, { layout: 'long' }).data, level }).value;
    expect(alpha).not.toBeNull();
    expect(alpha!).toBeGreaterThanOrEqual(0.5);
    expect(alpha!).toBeLessThanOrEqual(0.9);
  });
});
