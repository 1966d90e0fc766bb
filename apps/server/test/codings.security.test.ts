/**
 * Blind coding over REST and exports: before reveal, no coder sees another coder's
 * values, nor do managers; after the last submission the item is revealed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_EXPORT_COLUMNS, type Coding, type Item, type Project, type Role } from '@concord/shared';
import { addToProject, createProjectFixture, createTeamHarness, json, signUp, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let f: ProjectFixture;

const base = () => `/api/projects/${f.projectId}/items/${f.itemId}`;
const save = (s: Session, values: Record<string, unknown>) => h.request(s, 'PUT', `${base()}/codings/me`, { values });
const visible = async (s: Session) => json<Coding[]>(await h.request(s, 'GET', `${base()}/codings`));
const exportLong = async () => (await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/export/codings.csv?layout=long`)).text();

beforeAll(async () => {
  ({ h, members, others: { coderB } } = await createTeamHarness(['coderB']));
  f = await createProjectFixture(h, members, { extraCoders: [coderB] });
});
afterAll(() => h.close());

describe('blind coding', () => {
  it('validates values against the codebook', async () => {
    const res = await save(members.coder, { impact: 7, frame: 'nonsense', unknown_field: 'x', notes: { na: true } });
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; details: { path: string[]; message: string }[] } }>(res);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path[1])).toEqual(['impact', 'frame', 'unknown_field', 'notes']);
    expect(await visible(members.coder)).toEqual([]);
  });

  it('keeps each coder to their own values while the item is independent', async () => {
    expect((await save(members.coder, { impact: -2, frame: 'security', notes: 'my memo' })).status).toBe(200);
    expect((await save(coderB, { impact: -1, frame: { na: true } })).status).toBe(200);
    const a = await visible(members.coder);
    expect(a.map((c) => c.coderId)).toEqual([members.coder.userId, members.coder.userId, members.coder.userId]);
    const b = await visible(coderB);
    expect(new Set(b.map((c) => c.coderId))).toEqual(new Set([coderB.userId]));
    expect(b.find((c) => c.fieldKey === 'frame')?.value).toEqual({ na: true });
    for (const role of ['owner', 'methodologist', 'editor'] as const) expect(await visible(members[role])).toEqual([]);
  });

  it('exports nothing of an item that is not revealed', async () => {
    expect((await exportLong()).trim()).toBe(['unit', 'coder', 'field', 'value', 'item_version', ...ITEM_EXPORT_COLUMNS].join(','));
  });

  it('lets only assigned coders code, and refuses N/A where the field does not allow it', async () => {
    const res = await save(members.editor, { impact: 1 });
    expect(res.status).toBe(403);
    const na = await save(members.coder, { impact: { na: true } });
    expect(na.status).toBe(400);
  });

  it('refuses to submit with required fields missing, then submits', async () => {
    await save(coderB, { impact: null });
    const missing = await h.request(coderB, 'POST', `${base()}/codings/me/submit`);
    expect(missing.status).toBe(400);
    expect((await json<{ error: { message: string } }>(missing)).error.message).toContain('impact');
    await save(coderB, { impact: -1 });
    const first = await h.request(members.coder, 'POST', `${base()}/codings/me/submit`);
    expect(await json(first)).toEqual({ revealed: false });
    // Still blind: one coder has not submitted.
    expect((await visible(coderB)).every((c) => c.coderId === coderB.userId)).toBe(true);
    const again = await save(members.coder, { impact: 3 });
    expect(again.status).toBe(409);
  });

  it('reveals the item when the last coder submits: coders of the item and managers see all', async () => {
    const last = await h.request(coderB, 'POST', `${base()}/codings/me/submit`);
    expect(await json(last)).toEqual({ revealed: true });
    const item = await json<Item>(await h.request(members.coder, 'GET', base()));
    expect(item.phase).toBe('revealed');
    for (const s of [members.coder, coderB, members.editor, members.methodologist, members.owner]) {
      expect(new Set((await visible(s)).map((c) => c.coderId))).toEqual(new Set([members.coder.userId, coderB.userId]));
    }
    // Exports name coders by pseudonym (the owner's key says who is who), never by email.
    const key = new Map(
      (await (await h.request(members.owner, 'GET', `/api/projects/${f.projectId}/export/coder-key.csv`)).text())
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => [line.split(',')[3]!, line.split(',')[0]!]),
    );
    const [coderA, coderBName] = [key.get(members.coder.email)!, key.get(coderB.email)!];
    const csv = await exportLong();
    expect(csv).toContain(`${f.itemId},${coderA},impact,-2,`);
    expect(csv).toContain(`${f.itemId},${coderBName},frame,NA,`);
    expect(csv).not.toContain(members.coder.email);
    const wide = await (await h.request(members.methodologist, 'GET', `/api/projects/${f.projectId}/export/codings.csv?layout=wide&field=impact`)).text();
    const [header, row] = wide.trim().split('\r\n');
    expect(header!.split(',').slice(7).sort()).toEqual([coderA, coderBName].sort());
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(cells).toMatchObject({ unit: f.itemId, [coderA]: '-2', [coderBName]: '-1' });
  });

  it('hides another member coder from the revealed item if they are not its coder', async () => {
    const outsider = await signUp(h, 'outsider');
    await addToProject(h, members.owner, f.projectId, outsider, 'coder');
    expect(await visible(outsider)).toEqual([]);
  });

  it('needs a field for the wide layout and rejects unknown fields', async () => {
    const noField = await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/export/codings.csv?layout=wide`);
    expect(noField.status).toBe(400);
    const unknown = await h.request(members.editor, 'GET', `/api/projects/${f.projectId}/export/codings.csv?field=nope`);
    expect(unknown.status).toBe(400);
  });
});

describe('joint phase', () => {
  it('shows every participant the others\' values live, before submission', async () => {
    const g = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const path = `/api/projects/${g.projectId}/items/${g.itemId}`;
    await h.request(members.coder, 'PUT', `${path}/codings/me`, { values: { impact: 1 } });
    expect((await json<Coding[]>(await h.request(coderB, 'GET', `${path}/codings`))).length).toBe(0);
    expect((await h.request(members.editor, 'POST', `${path}/phase`, { phase: 'joint' })).status).toBe(200);
    const seen = await json<Coding[]>(await h.request(coderB, 'GET', `${path}/codings`));
    expect(seen.map((c) => [c.coderId, c.value])).toEqual([[members.coder.userId, 1]]);
    expect((await h.request(members.coder, 'POST', `${path}/phase`, { phase: 'independent' })).status).toBe(403);
  });
});

/** What a member sees of the progress project: in the projects list and on the project itself. */
async function seenBy(g: ProjectFixture, who: Session) {
  const listed = (await json<Project[]>(await h.request(who, 'GET', '/api/projects'))).find((p) => p.id === g.projectId)!;
  const project = await json<Project>(await h.request(who, 'GET', `/api/projects/${g.projectId}`));
  expect(project.progress).toEqual(listed.progress);
  return { progress: listed.progress, itemCount: listed.itemCount };
}

const codeAsA = (g: ProjectFixture, values: Record<string, unknown>) => h.request(members.coder, 'PUT', `/api/projects/${g.projectId}/items/${g.itemId}/codings/me`, { values });

/**
 * Progress counts as a blind side channel (issue 11, finding 4): coder B watches the projects
 * list and the project while coder A saves and clears a draft on an item both code blind, and
 * submits it. B's figures count B's own work only, so none of them moves; a manager's totals do.
 */
describe('progress counts while an item is coded blind', () => {
  it("do not move for coder B when coder A saves, clears and submits; B's own work moves them; managers see totals", async () => {
    const g = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const before = await seenBy(g, coderB);
    expect(before).toEqual({ progress: { scope: 'mine', items: 1, coded: 0, submitted: 0, revealed: 0 }, itemCount: 1 });
    const managerBefore = await seenBy(g, members.editor);
    expect(managerBefore.progress).toEqual({ scope: 'project', items: 1, coded: 0, submitted: 0, revealed: 0 });

    expect((await codeAsA(g, { frame: 'security', impact: 1 })).status).toBe(200);
    expect(await seenBy(g, coderB)).toEqual(before);
    expect((await seenBy(g, members.editor)).progress.coded).toBe(1);

    expect((await codeAsA(g, { frame: null, impact: null })).status).toBe(200);
    expect(await seenBy(g, coderB)).toEqual(before);
    expect((await seenBy(g, members.editor)).progress.coded).toBe(0);

    expect((await codeAsA(g, { frame: 'security', impact: 1 })).status).toBe(200);
    expect((await h.request(members.coder, 'POST', `/api/projects/${g.projectId}/items/${g.itemId}/codings/me/submit`)).status).toBe(200);
    expect(await seenBy(g, coderB)).toEqual(before);
    expect((await seenBy(g, members.editor)).progress).toMatchObject({ coded: 1, submitted: 1, revealed: 0 });
    // A sees A's own work.
    expect((await seenBy(g, members.coder)).progress).toEqual({ scope: 'mine', items: 1, coded: 1, submitted: 1, revealed: 0 });

    // B's own draft moves B's figures, and B's submit reveals the item (a fact every member sees).
    const put = await h.request(coderB, 'PUT', `/api/projects/${g.projectId}/items/${g.itemId}/codings/me`, { values: { frame: 'leader', impact: -1 } });
    expect(put.status).toBe(200);
    expect((await seenBy(g, coderB)).progress).toEqual({ scope: 'mine', items: 1, coded: 1, submitted: 0, revealed: 0 });
    expect((await h.request(coderB, 'POST', `/api/projects/${g.projectId}/items/${g.itemId}/codings/me/submit`)).status).toBe(200);
    expect((await seenBy(g, coderB)).progress).toEqual({ scope: 'mine', items: 1, coded: 1, submitted: 1, revealed: 1 });
  });
});
