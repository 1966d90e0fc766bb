/**
 * An import whose writes fail part-way fails whole and leaves what was saved before intact.
 * The failure here is real, not staged: another transaction inserts an item with one of the
 * file's new external ids after the import's check, so the import's COPY of new items meets it
 * mid-stream (it waits on that row's uncommitted unique-index entry, then fails with a unique
 * violation once the other commits). PostgreSQL only: PGlite has one connection, so no other
 * transaction can run during the import's.
 */
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, queryRows } from '@concord/db';
import { newId, type Role } from '@concord/shared';
import { createProject } from '../src/services/projects/projects.ts';
import { actorOf, addToProject, createTeamHarness, type Harness, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

const post = (projectId: string, csv: string) => h.request(members.editor, 'POST', `/api/projects/${projectId}/import`, csv, { 'content-type': 'text/csv' });
const HEADER = 'External ID,Headline,Text,Reach';

describe('an import failing while it writes', () => {
  it('on PostgreSQL, a COPY that fails mid-stream (a unique violation) fails the import whole; saved items keep their values', async () => {
    if (h.database.kind !== 'postgres') return;
    const project = await createProject({ ctx: h.ctx(actorOf(members.owner)), input: { name: `Import ${newId('project')}`, description: '' } });
    await addToProject(h, members.owner, project.id, members.editor, 'editor');
    expect((await post(project.id, [HEADER, 'E-1,Saved one,body one,10', 'E-2,Saved two,body two,20'].join('\n'))).status).toBe(201);

    // Another transaction holds an uncommitted item with external id N-20000 (batch 5 of the import's writes).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const ready = new Promise<void>((resolve) => (inserted = resolve));
    const other = h.database.db.transaction(async (tx) => {
      await tx.insert(items).values({ id: newId('item'), projectId: project.id, externalId: 'N-20000', title: 'inserted meanwhile' });
      inserted();
      await held;
    });
    await ready;
    // The first row updates a saved item (written in the import's first batch), then 30,000 new rows.
    const rows = ['E-1,Changed by the failed import,changed body,11', ...Array.from({ length: 30_000 }, (_, i) => `N-${i},"New ${i}, quoted",text ${i},${i}`)];
    const importing = post(project.id, [HEADER, ...rows].join('\n'));
    // Until the import's COPY waits on the other transaction's row (no timing: the test's timeout bounds it).
    for (;;) {
      const [waiting] = await queryRows<{ n: number }>(h.database.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike 'copy%'`);
      if (Number(waiting!.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    release();
    await other;
    const res = await importing;
    expect(res.status).toBeGreaterThanOrEqual(400);

    const saved = await h.database.db.select({ externalId: items.externalId, title: items.title, body: items.body, reach: items.reach }).from(items).where(eq(items.projectId, project.id));
    expect(saved.sort((a, b) => a.externalId!.localeCompare(b.externalId!))).toEqual([
      { externalId: 'E-1', title: 'Saved one', body: 'body one', reach: 10 },
      { externalId: 'E-2', title: 'Saved two', body: 'body two', reach: 20 },
      { externalId: 'N-20000', title: 'inserted meanwhile', body: '', reach: null },
    ]);
    // The connection the import used is usable again: the same file imports once the conflict is gone.
    await h.database.db.delete(items).where(and(eq(items.projectId, project.id), like(items.externalId, 'N-%')));
    expect((await post(project.id, [HEADER, ...rows].join('\n'))).status).toBe(201);
    const [count] = await queryRows<{ n: number }>(h.database.db, sql`select count(*)::int as n from items where project_id = ${project.id}`);
    expect(Number(count!.n)).toBe(30_002);
  }, 300_000);
});
