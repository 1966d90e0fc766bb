/**
 * Reopening one coder's submission (issue 13, item 4): editors and owners only, with a
 * required reason, audited; the coding is editable again (through the live document, as every
 * coding write is), and it stays blind only if the item never left the independent phase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { assignments, auditLog, codings } from '@concord/db';
import type { Coding, ErrorBody, ReopenSubmissionResult, Role } from '@concord/shared';
import { addItem, assignRound, codeItem, createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let coderB: Session;
let stranger: Session;

beforeAll(async () => {
  ({ h, members, others: { coderB, stranger } } = await createTeamHarness(['coderB', 'stranger']));
});
afterAll(() => h.close());

const base = (f: ProjectFixture) => `/api/projects/${f.projectId}`;

/** A second item coded by the fixture's coder and coderB. */
async function twoCoderItem(f: ProjectFixture): Promise<string> {
  const itemId = await addItem(h, members.owner, f.projectId, { title: 'Two coders', body: 'text' });
  await assignRound(h, members.owner, f.projectId, [itemId], [members.coder, coderB], { roundName: 'pair', type: 'reliability' });
  return itemId;
}

const code = (f: ProjectFixture, itemId: string, s: Session, values: Record<string, unknown>) => codeItem(h, f.projectId, itemId, s, values);

const reopen = (f: ProjectFixture, itemId: string, coderId: string, body: unknown, who: Session = members.editor) =>
  h.request(who, 'POST', `${base(f)}/items/${itemId}/codings/${coderId}/reopen`, body);

const rowsOf = (itemId: string, coderId: string) =>
  h.deps.database.db.select().from(codings).where(and(eq(codings.itemId, itemId), eq(codings.coderId, coderId))).orderBy(asc(codings.fieldKey));
const assignmentOf = async (itemId: string, coderId: string) =>
  (await h.deps.database.db.select().from(assignments).where(and(eq(assignments.itemId, itemId), eq(assignments.coderId, coderId))))[0]!;

describe('reopening a submission', () => {
  it('is for editors and owners: coders and methodologists get 403, non-members 404, and nothing changes', async () => {
    const f = await createProjectFixture(h, members);
    await code(f, f.itemId, members.coder, { frame: 'security', impact: 1 });
    for (const role of ['coder', 'methodologist'] as const) {
      const res = await reopen(f, f.itemId, members.coder.userId, { reason: 'try' }, members[role]);
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('FORBIDDEN');
    }
    expect((await reopen(f, f.itemId, members.coder.userId, { reason: 'try' }, stranger)).status).toBe(404);
    expect((await assignmentOf(f.itemId, members.coder.userId)).submittedAt).not.toBeNull();
    expect((await reopen(f, f.itemId, members.coder.userId, { reason: 'owner may' }, members.owner)).status).toBe(200);
  });

  it('needs a reason (400, nothing changes), a submitted coding (409) and an assigned coder (404)', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    for (const body of [{}, { reason: '   ' }, { reason: 7 }]) {
      const res = await reopen(f, f.itemId, members.coder.userId, body);
      expect(res.status).toBe(400);
      const error = (await json<ErrorBody>(res)).error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBeTruthy();
    }
    const notSubmitted = await reopen(f, f.itemId, members.coder.userId, { reason: 'typo in the frame' });
    expect(notSubmitted.status).toBe(409);
    expect((await json<ErrorBody>(notSubmitted)).error.code).toBe('CONFLICT');
    expect((await reopen(f, f.itemId, members.editor.userId, { reason: 'not her item' })).status).toBe(404);

    await code(f, f.itemId, members.coder, { frame: 'security', impact: 1 });
    expect((await reopen(f, f.itemId, members.coder.userId, { reason: '' })).status).toBe(400);
    expect((await assignmentOf(f.itemId, members.coder.userId)).submittedAt).not.toBeNull();
    expect((await rowsOf(f.itemId, members.coder.userId)).map((r) => r.status)).toEqual(['submitted', 'submitted']);
  });

  it('on an item still independent: editable again, still blind, audited with the reason', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    await code(f, f.itemId, members.coder, { frame: 'security', impact: 1 });
    // coderB has not submitted: the item is independent, so the coder has seen nobody's values.
    const res = await reopen(f, f.itemId, members.coder.userId, { reason: 'she asked to fix the scale' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json<ReopenSubmissionResult>(res)).toEqual({ itemId: f.itemId, coderId: members.coder.userId, phase: 'independent', blind: true });
    const rows = await rowsOf(f.itemId, members.coder.userId);
    expect(rows.map((r) => [r.status, r.submittedAt, r.blind])).toEqual([['draft', null, true], ['draft', null, true]]);
    expect((await assignmentOf(f.itemId, members.coder.userId)).reopenedAt).not.toBeNull();

    const [entry] = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, f.itemId), eq(auditLog.action, 'submission-reopened')));
    expect(entry).toMatchObject({
      projectId: f.projectId,
      actorId: members.editor.userId,
      entity: 'item',
      after: { coderId: members.coder.userId, reason: 'she asked to fix the scale', phase: 'independent', goldShown: false, blind: true },
    });
    // A second reopening needs a second submit first.
    expect((await reopen(f, f.itemId, members.coder.userId, { reason: 'again' })).status).toBe(409);

    await code(f, f.itemId, members.coder, { impact: 2 });
    const after = await rowsOf(f.itemId, members.coder.userId);
    expect(after.map((r) => [r.fieldKey, r.value, r.status, r.blind])).toEqual([
      ['frame', 'security', 'submitted', true],
      ['impact', 2, 'submitted', true],
    ]);
  });

  it('on a revealed item: editable again but no longer blind, the item stays revealed and the other coder stays frozen', async () => {
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const item = await twoCoderItem(f);
    await code(f, item, members.coder, { frame: 'security', impact: 1 });
    await code(f, item, coderB, { frame: 'leader', impact: -1 });
    expect((await rowsOf(item, members.coder.userId)).every((r) => r.blind)).toBe(true);

    const res = await reopen(f, item, members.coder.userId, { reason: 'misread the post' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json<ReopenSubmissionResult>(res)).toMatchObject({ phase: 'revealed', blind: false });
    expect((await assignmentOf(item, members.coder.userId)).blind).toBe(false);
    expect((await rowsOf(item, members.coder.userId)).map((r) => [r.status, r.blind])).toEqual([['draft', false], ['draft', false]]);
    // The reopened coder writes again; the other coder's submission stays frozen.
    const saved = await h.request(members.coder, 'PUT', `${base(f)}/items/${item}/codings/me`, { values: { impact: -1 } });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await json<Coding[]>(saved)).find((c) => c.fieldKey === 'impact')?.value).toBe(-1);
    const frozen = await h.request(coderB, 'PUT', `${base(f)}/items/${item}/codings/me`, { values: { impact: 3 } });
    expect(frozen.status).toBe(409);

    const resubmitted = await h.request(members.coder, 'POST', `${base(f)}/items/${item}/codings/me/submit`);
    expect(resubmitted.status).toBe(200);
    expect((await rowsOf(item, members.coder.userId)).map((r) => [r.status, r.blind])).toEqual([['submitted', false], ['submitted', false]]);
    // Left out of reliability, counted as not blind.
    const report = await json<{ fields: { key: string; excluded_not_blind: number; n_coders: number }[] }>(
      await h.request(members.editor, 'GET', `${base(f)}/reliability?bootstrap=0&field=impact`),
    );
    expect(report.fields[0]).toMatchObject({ key: 'impact', excluded_not_blind: 1 });
    const [entry] = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, item), eq(auditLog.action, 'submission-reopened')));
    expect(entry?.after).toMatchObject({ reason: 'misread the post', phase: 'revealed', blind: false });
  });
});
