/**
 * A coder reads gold for an item in her calibration feedback once she submitted it (rule 11).
 * If an editor then reopens her submission while the item is still independent, what she
 * changes may follow the answer key instead of her own reading of the item: reliability must
 * not count it as blind (Krippendorff: reliability data come from coders working
 * independently of each other and of any standard). Through the real routes, both databases.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, codings } from '@concord/db';
import type { ReopenSubmissionResult } from '@concord/shared';
import { codeItem, createProjectFixture, createTeamHarness, json, type TeamHarness } from './harness.ts';

let t: TeamHarness<'coderB'>;
beforeAll(async () => {
  t = await createTeamHarness(['coderB']);
});
afterAll(() => t.h.close());

const rowsOf = (itemId: string, coderId: string) =>
  t.h.deps.database.db.select({ status: codings.status, blind: codings.blind }).from(codings).where(and(eq(codings.itemId, itemId), eq(codings.coderId, coderId))).orderBy(asc(codings.fieldKey));

describe('a submission reopened after its coder was shown gold', () => {
  it('is no longer blind, though the item is still independent', async () => {
    const { h, members, others: { coderB } } = t;
    // Two coders: the item stays independent after the first one submits.
    const f = await createProjectFixture(h, members, { extraCoders: [coderB] });
    const base = `/api/projects/${f.projectId}/items/${f.itemId}`;
    const gold = await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/gold`, { rows: [{ item_id: f.itemId, field: 'impact', value: -2, rationale: 'a threat' }] });
    expect(gold.status).toBe(200);
    await codeItem(h, f.projectId, f.itemId, members.coder, { frame: 'security', impact: 2 });
    const feedback = await h.request(members.coder, 'GET', `${base}/calibration`);
    expect(feedback.status).toBe(200);
    expect(await feedback.json()).toMatchObject({ compared: 1, matched: 0 });

    const reopened = await h.request(members.editor, 'POST', `${base}/codings/${members.coder.userId}/reopen`, { reason: 'she asked' });
    expect(reopened.status).toBe(200);
    expect(await json<ReopenSubmissionResult>(reopened)).toEqual({ itemId: f.itemId, coderId: members.coder.userId, phase: 'independent', blind: false });
    const [assignment] = await h.deps.database.db.select({ blind: assignments.blind }).from(assignments).where(and(eq(assignments.itemId, f.itemId), eq(assignments.coderId, members.coder.userId)));
    expect(assignment!.blind).toBe(false);

    // She moves to the key's value and submits again: not blind, and so not in reliability.
    await codeItem(h, f.projectId, f.itemId, members.coder, { frame: 'security', impact: -2 });
    expect(await rowsOf(f.itemId, members.coder.userId)).toEqual([{ status: 'submitted', blind: false }, { status: 'submitted', blind: false }]);
    // The other coder, shown nothing, stays blind.
    await codeItem(h, f.projectId, f.itemId, coderB, { frame: 'leader', impact: 1 });
    expect(await rowsOf(f.itemId, coderB.userId)).toEqual([{ status: 'submitted', blind: true }, { status: 'submitted', blind: true }]);
  });
});
