/**
 * The audit you can read (issue 12, point 10): GET /api/projects/:id/audit and audit.csv.
 * Owner only, newest first, keyset-paged, filtered; coded values of items still coded blind
 * are withheld (SECURITY.md, rule 1); bad query parameters are a 400 with the error body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage, ErrorBody, Role } from '@concord/shared';
import { insertUser } from '../src/services/auth/users.ts';
import { createIncident } from '../src/services/items/incidents.ts';
import { addMember } from '../src/services/projects/members.ts';
import { actorOf, createProjectFixture, createTeamHarness, json, PASSWORD, signUp, uniqueEmail, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;
let base: string;

const page = async (query = '', as = members.owner) => {
  const res = await h.request(as, 'GET', `${base}/audit${query}`);
  expect(res.status).toBe(200);
  return json<AuditPage>(res);
};

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
  base = `/api/projects/${f.projectId}`;
  const edited = await h.request(members.editor, 'PATCH', `${base}/items/${f.itemId}`, { title: 'Retitled post' });
  expect(edited.status).toBe(200);
});
afterAll(() => h.close());

describe('who may read the audit', () => {
  it('the owner reads it; other members get 403 and non-members 404, both with the error body', async () => {
    expect((await page()).entries.length).toBeGreaterThan(0);
    for (const role of ['methodologist', 'editor', 'coder'] as const) {
      for (const path of ['/audit', '/audit.csv']) {
        const res = await h.request(members[role], 'GET', `${base}${path}`);
        expect(res.status).toBe(403);
        expect((await json<ErrorBody>(res)).error.code).toBe('FORBIDDEN');
      }
    }
    const stranger = await signUp(h, 'stranger');
    const res = await h.request(stranger, 'GET', `${base}/audit`);
    expect(res.status).toBe(404);
    expect((await json<ErrorBody>(res)).error.code).toBe('NOT_FOUND');
    expect((await h.request(null, 'GET', `${base}/audit`)).status).toBe(401);
  });

  it('an owner\'s read token reads it; a read-export token (a scheduled pull) may not', async () => {
    const token = async (scope: string) => {
      const res = await h.request(members.owner, 'POST', '/api/auth/tokens', { name: `audit ${scope}`, scope });
      expect(res.status).toBe(201);
      return (await json<{ secret: string }>(res)).secret;
    };
    const bearer = (secret: string) => h.request(null, 'GET', `${base}/audit`, undefined, { authorization: `Bearer ${secret}` });
    expect((await bearer(await token('read'))).status).toBe(200);
    const refused = await bearer(await token('read-export'));
    expect(refused.status).toBe(403);
    expect((await json<ErrorBody>(refused)).error.code).toBe('TOKEN_SCOPE');
  });
});

describe('entries', () => {
  it('names who edited an item, what changed, before and after', async () => {
    const { entries } = await page(`?entity=item&action=update`);
    const edit = entries.find((e) => e.entityId === f.itemId)!;
    expect(edit).toMatchObject({ actorId: members.editor.userId, actorName: 'editor', entity: 'item', action: 'update', redacted: false });
    expect(edit.summary).toContain('Retitled post');
    expect(edit.summary).toContain('title');
    expect(edit.before).toMatchObject({ title: 'A post about the arrest' });
    expect(edit.after).toMatchObject({ title: 'Retitled post' });
    expect(Number.isNaN(Date.parse(edit.at))).toBe(false);
  });

  it('filters by actor, entity and dates', async () => {
    const all = (await page('?limit=500')).entries;
    const byEditor = (await page(`?actor=${members.editor.userId}&limit=500`)).entries;
    expect(byEditor.length).toBeGreaterThan(0);
    expect(byEditor.every((e) => e.actorId === members.editor.userId)).toBe(true);
    expect(byEditor.length).toBe(all.filter((e) => e.actorId === members.editor.userId).length);
    const memberships = (await page('?entity=membership&limit=500')).entries;
    expect(memberships.length).toBeGreaterThanOrEqual(3);
    expect(memberships.every((e) => e.entity === 'membership')).toBe(true);

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect((await page(`?from=${today}&to=${today}&limit=500`)).entries.length).toBe(all.length);
    expect((await page(`?from=${tomorrow}`)).entries).toEqual([]);
    expect((await page(`?to=${yesterday}`)).entries).toEqual([]);
    const instant = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await page(`?from=${instant}`)).entries).toEqual([]);
  });

  it('pages newest first with a cursor, every entry once', async () => {
    const all = (await page('?limit=500')).entries;
    expect(all.length).toBeGreaterThan(4);
    const ids = all.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const seen: AuditEntry[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const p: AuditPage = await page(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.entries.length).toBeLessThanOrEqual(2);
      seen.push(...p.entries);
      cursor = p.nextCursor;
      pages++;
    }
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });
});

describe('blind coding', () => {
  it('withholds a coder\'s values while the item is independent, and shows them once revealed', async () => {
    const g = await createProjectFixture(h, members);
    const gBase = `/api/projects/${g.projectId}`;
    const saved = await h.request(members.coder, 'PUT', `${gBase}/items/${g.itemId}/codings/me`, { values: { frame: 'leader', impact: -2, notes: 'secret-note-xyz' } });
    expect(saved.status).toBe(200);

    const blind = (await json<AuditPage>(await h.request(members.owner, 'GET', `${gBase}/audit?entity=coding&limit=500`))).entries;
    expect(blind.length).toBe(3);
    expect(blind.every((e) => e.redacted && e.actorId === members.coder.userId)).toBe(true);
    expect(JSON.stringify(blind)).not.toContain('secret-note-xyz');
    expect(JSON.stringify(blind)).not.toContain('leader');
    const csvBlind = await (await h.request(members.owner, 'GET', `${gBase}/audit.csv?entity=coding`)).text();
    expect(csvBlind).not.toContain('secret-note-xyz');
    expect(csvBlind).not.toContain('leader');
    expect(csvBlind.split('\r\n').filter(Boolean).length).toBe(4);

    expect((await h.request(members.owner, 'POST', `${gBase}/items/${g.itemId}/phase`, { phase: 'revealed', confirmExcludeLate: true })).status).toBe(200);
    const open = (await json<AuditPage>(await h.request(members.owner, 'GET', `${gBase}/audit?entity=coding&limit=500`))).entries;
    expect(open.every((e) => !e.redacted)).toBe(true);
    expect(open.find((e) => e.entityId.endsWith(':notes'))!.after).toMatchObject({ value: 'secret-note-xyz' });
  });
});

describe('decisions of an item coded blind again', () => {
  it('withhold their value and rationale while the item is independent, like the codings they were made from', async () => {
    const g = await createProjectFixture(h, members);
    const gBase = `/api/projects/${g.projectId}`;
    // The fixture's one coder submits: the item is revealed, and an editor decides a field.
    const saved = await h.request(members.coder, 'PUT', `${gBase}/items/${g.itemId}/codings/me`, { values: { frame: 'leader', impact: -2 } });
    expect(saved.status).toBe(200);
    expect((await h.request(members.coder, 'POST', `${gBase}/items/${g.itemId}/codings/me/submit`)).status).toBe(200);
    const decided = await h.request(members.editor, 'PUT', `${gBase}/items/${g.itemId}/adjudications/frame`, { value: 'protesters_terrorists', rationale: 'rationale-secret-abc: the coder read leader' });
    expect(decided.status, await decided.clone().text()).toBe(200);
    expect((await h.request(members.owner, 'POST', `${gBase}/items/${g.itemId}/phase`, { phase: 'independent' })).status).toBe(200);

    const blind = (await json<AuditPage>(await h.request(members.owner, 'GET', `${gBase}/audit?entity=adjudication&limit=500`))).entries;
    expect(blind.length).toBe(1);
    expect(blind[0]).toMatchObject({ action: 'decide', redacted: true });
    for (const text of [JSON.stringify(blind), await (await h.request(members.owner, 'GET', `${gBase}/audit.csv?entity=adjudication`)).text()]) {
      expect(text).not.toContain('rationale-secret-abc');
      expect(text).not.toContain('protesters_terrorists');
    }

    expect((await h.request(members.owner, 'POST', `${gBase}/items/${g.itemId}/phase`, { phase: 'revealed', confirmExcludeLate: true })).status).toBe(200);
    const open = (await json<AuditPage>(await h.request(members.owner, 'GET', `${gBase}/audit?entity=adjudication&limit=500`))).entries;
    expect(open[0]).toMatchObject({ redacted: false, after: { value: 'protesters_terrorists', rationale: 'rationale-secret-abc: the coder read leader' } });
  });
});

describe('CSV', () => {
  it('has the same entries as the list, with the filters, through the CSV writer', async () => {
    const res = await h.request(members.owner, 'GET', `${base}/audit.csv?entity=item`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('at,actor,actor_id,entity,entity_id,action,summary,before,after,redacted');
    const list = (await page('?entity=item&limit=500')).entries;
    expect(lines.length).toBe(list.length + 1);
    expect(lines[1]).toContain(`,editor,${members.editor.userId},item,${f.itemId},update,`);
    expect((await (await h.request(members.owner, 'GET', `${base}/audit.csv?bom=1`)).text()).startsWith('\uFEFF')).toBe(false);
  });

  it('neutralises a cell that a spreadsheet would run as a formula', async () => {
    // A display name is free text: one that starts like a formula reaches the actor column.
    const mallory = await insertUser({ ctx: h.ctx(null), input: { email: uniqueEmail('mallory'), name: '=HYPERLINK(x)', password: PASSWORD, isAdmin: false } });
    await addMember({ ctx: h.ctx(actorOf(members.owner)), projectId: f.projectId, input: { email: mallory.email, role: 'editor' } });
    const incident = await createIncident({ ctx: h.ctx({ userId: mallory.id, isAdmin: false }), projectId: f.projectId, input: { name: 'by mallory', description: '' } });
    const csv = await (await h.request(members.owner, 'GET', `${base}/audit.csv?actor=${mallory.id}`)).text();
    expect(csv).toContain(`,'=HYPERLINK(x),${mallory.id},incident,${incident.id},create,`);
  });
});

describe('bad query parameters', () => {
  it('are a 400 with the error body, for the list and the CSV', async () => {
    for (const query of ['limit=0', 'limit=501', 'entity=nope', 'from=yesterday', 'to=2026-13-01', 'cursor=abc', 'actor=bob', 'action=DROP%20TABLE', 'from=2026-02-02&to=2026-02-01']) {
      for (const path of ['/audit', '/audit.csv']) {
        if (path === '/audit.csv' && query.startsWith('limit') || path === '/audit.csv' && query.startsWith('cursor')) continue;
        const res = await h.request(members.owner, 'GET', `${base}${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        const body = await json<ErrorBody>(res);
        expect(body.error.code).toBe('VALIDATION_FAILED');
        expect(body.error.message.length).toBeGreaterThan(0);
      }
    }
  });
});
