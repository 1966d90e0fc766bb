/** The items table endpoint: every matching row, the filters, and who may filter by coder. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemRows, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let other: Session;
let f: ProjectFixture;

// 1,200 items: more than the paged list's largest page (1,000).
const N = 1200;
const PLATFORMS = ['facebook', 'telegram', 'news'] as const;

beforeAll(async () => {
  ({ h, members, others: { 'other-coder': other } } = await createTeamHarness(['other-coder']));
  f = await createProjectFixture(h, members, { extraCoders: [other] });
  const lines = ['externalId,title,platform,body,incident'];
  for (let i = 1; i <= N; i++) lines.push(`T-${i},Row ${i},${PLATFORMS[i % 3]},${i % 100 === 0 ? 'needle in the text' : 'hay'},${i % 2 ? 'Odd' : 'Even'}`);
  const res = await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/import`, lines.join('\n'), { 'content-type': 'text/csv' });
  if (res.status !== 201) throw new Error(`import: ${res.status} ${await res.text()}`);
}, 120_000);
afterAll(() => h.close());

const rows = async (who: Session, query: Record<string, string> = {}) => {
  const res = await h.request(who, 'GET', `/api/projects/${f.projectId}/item-rows?${new URLSearchParams(query)}`);
  return { status: res.status, body: res.status === 200 ? await json<ItemRows>(res) : null };
};

describe('GET /item-rows', () => {
  it('returns every item in import order, without the text', async () => {
    const { body } = await rows(members.coder);
    expect(body!.total).toBe(N + 1);
    expect(body!.truncated).toBe(false);
    expect(body!.rows[0]!.title).toBe('A post about the arrest');
    expect(body!.rows.slice(1).map((r) => r.externalId)).toEqual(Array.from({ length: N }, (_, i) => `T-${i + 1}`));
    expect(Object.keys(body!.rows[1]!).sort()).toEqual(['archivedAt', 'author', 'externalId', 'id', 'incidentId', 'incidentIds', 'phase', 'platform', 'publishedAt', 'title', 'url']);
  });

  it('filters by platform, incident, phase and text (title, body, external id)', async () => {
    const telegram = (await rows(members.coder, { platform: 'telegram' })).body!;
    expect(telegram.total).toBe(Array.from({ length: N }, (_, i) => i + 1).filter((i) => i % 3 === 1).length);
    const { incidents } = await json<{ incidents: { id: string; name: string }[] }>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/incidents`));
    const odd = incidents.find((i) => i.name === 'Odd')!;
    const oddTelegram = (await rows(members.coder, { incident: odd.id, platform: 'telegram' })).body!;
    expect(oddTelegram.rows.every((r) => r.incidentId === odd.id && r.platform === 'telegram')).toBe(true);
    expect(oddTelegram.total).toBe(Array.from({ length: N }, (_, i) => i + 1).filter((i) => i % 3 === 1 && i % 2 === 1).length);
    expect((await rows(members.coder, { q: 'needle' })).body!.total).toBe(N / 100);
    expect((await rows(members.coder, { q: 't-1199' })).body!.rows.map((r) => r.title)).toEqual(['Row 1199']);
    expect((await rows(members.coder, { phase: 'revealed' })).body!.total).toBe(0);
  });

  it('filters by assigned coder: managers for anyone, a coder only for themselves', async () => {
    const mine = await rows(members.coder, { coder: members.coder.userId });
    expect(mine.body!.rows.map((r) => r.id)).toEqual([f.itemId]);
    expect((await rows(members.editor, { coder: other.userId })).body!.rows.map((r) => r.id)).toEqual([f.itemId]);
    expect((await rows(members.coder, { coder: other.userId })).status).toBe(403);
    const paged = await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/items?coder=${other.userId}`);
    expect(paged.status).toBe(403);
  });
});
