/**
 * Actors as linked records (issue 12, item 4), through the real routes: who may create, edit,
 * delete and merge them, the contract's list body, bad input as 4xx error bodies, and a merge
 * moving coded references (codings and decisions) to the actor kept, with aliases recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, AuditPage, Coding } from '@concord/shared';
import { createHarness, signUp, type Harness } from './harness.ts';
import { actorsFixture, expectError, type ActorsFixture } from './actors-fixture.ts';

let h: Harness;
let f: ActorsFixture;

beforeAll(async () => {
  h = await createHarness();
  f = await actorsFixture(h, 2);
}, 120_000);
afterAll(() => h.close());

describe('actors', () => {
  it('managers create, list and edit actors; coders read them but may not create or edit', async () => {
    const { team } = f;
    const kazinform = await f.create(team.editor, { name: 'Kazinform', kind: 'outlet', affiliation: 'State news agency', stance: 'pro-government', aliases: ['Казинформ'] });
    await f.create(team.methodologist, { name: 'Ministry of Information', kind: 'government' });
    await f.create(team.owner, { name: 'A. Activist', kind: 'person', notes: 'Blogger' });

    const listed = await f.list(team.coder);
    const mine = listed.find((a) => a.id === kazinform.id)!;
    // The contract's fields.
    expect(mine).toMatchObject({ id: kazinform.id, name: 'Kazinform', kind: 'outlet', affiliation: 'State news agency', stance: 'pro-government', aliases: ['Казинформ'] });
    expect(listed.map((a) => a.name)).toEqual(['A. Activist', 'Kazinform', 'Ministry of Information']);
    // Search-as-you-type matches names and aliases, case-insensitively.
    expect((await f.list(team.coder, 'казин')).map((a) => a.id)).toEqual([kazinform.id]);
    expect((await f.list(team.coder, 'MINISTRY')).map((a) => a.name)).toEqual(['Ministry of Information']);

    await expectError(await f.call(team.coder, 'POST', '/actors', { name: 'Coder made' }), 403, 'FORBIDDEN');
    await expectError(await f.call(team.coder, 'PATCH', `/actors/${kazinform.id}`, { stance: 'neutral' }), 403, 'FORBIDDEN');
    await expectError(await f.call(team.coder, 'DELETE', `/actors/${kazinform.id}`), 403, 'FORBIDDEN');
    expect((await f.list(team.owner)).some((a) => a.name === 'Coder made')).toBe(false);

    const edited = await f.ok<Actor>(team.editor, 'PATCH', `/actors/${kazinform.id}`, { stance: 'neutral' });
    expect(edited).toMatchObject({ name: 'Kazinform', stance: 'neutral', affiliation: 'State news agency' });

    const audit = await f.ok<AuditPage>(team.owner, 'GET', '/audit?entity=actor');
    expect(audit.entries.map((e) => e.action)).toEqual(['update', 'create', 'create', 'create']);
    expect(audit.entries[0]).toMatchObject({ entityId: kazinform.id, before: { stance: 'pro-government' }, after: { stance: 'neutral' } });
  });

  it('refuses bad input with the error body, and a second actor of the same name with 409', async () => {
    const { team } = f;
    for (const body of [{ name: '' }, { name: 'A | B' }, { name: 'X', kind: 'alien' }, { name: 'X', aliases: ['Y', 'y'] }, {}]) {
      await expectError(await f.call(team.editor, 'POST', '/actors', body), 400, 'VALIDATION_FAILED');
    }
    const first = await f.create(team.editor, { name: 'Vlast.kz' });
    const dup = await expectError(await f.call(team.owner, 'POST', '/actors', { name: 'VLAST.KZ' }), 409, 'CONFLICT');
    expect(dup.message).toContain('Vlast.kz');
    const other = await f.create(team.editor, { name: 'Orda.kz' });
    await expectError(await f.call(team.editor, 'PATCH', `/actors/${other.id}`, { name: 'vlast.kz' }), 409, 'CONFLICT');
    await expectError(await f.call(team.editor, 'PATCH', `/actors/${first.id}`, { name: '  ' }), 400, 'VALIDATION_FAILED');
    await expectError(await f.call(team.editor, 'PATCH', '/actors/act_aaaaaaaaaaaaaaaa', { name: 'Nobody' }), 404, 'NOT_FOUND');
    // Nothing of the refused requests was saved.
    expect((await f.list(team.owner)).filter((a) => a.name.toLowerCase() === 'vlast.kz')).toHaveLength(1);
  });

  it('answers 404 to people outside the project', async () => {
    const stranger = await signUp(h, 'stranger');
    const [any] = await f.list(f.team.owner);
    await expectError(await f.call(stranger, 'GET', '/actors'), 404, 'NOT_FOUND');
    await expectError(await f.call(stranger, 'POST', '/actors', { name: 'Intruder' }), 404, 'NOT_FOUND');
    await expectError(await f.call(stranger, 'PATCH', `/actors/${any!.id}`, { name: 'Intruder' }), 404, 'NOT_FOUND');
    await expectError(await f.call(stranger, 'DELETE', `/actors/${any!.id}`), 404, 'NOT_FOUND');
    await expectError(await f.call(null, 'GET', '/actors'), 401, 'UNAUTHENTICATED');
  });

  it('deletes an actor from the list and from what may be coded', async () => {
    const { team, coders, itemIds } = f;
    const gone = await f.create(team.editor, { name: 'Defunct outlet' });
    expect(await f.ok(team.editor, 'DELETE', `/actors/${gone.id}`)).toEqual({ ok: true });
    expect((await f.list(team.owner)).some((a) => a.id === gone.id)).toBe(false);
    await expectError(await f.call(coders[0], 'PUT', `/items/${itemIds[0]}/codings/me`, { values: { speakers: [gone.id] } }), 400, 'VALIDATION_FAILED');
    await expectError(await f.call(team.editor, 'DELETE', `/actors/${gone.id}`), 404, 'NOT_FOUND');
    // Its name is free again.
    await f.create(team.editor, { name: 'Defunct outlet' });
  });

  it('merges a duplicate: its codings and decisions move to the actor kept, its names become aliases', async () => {
    const { team, coders, itemIds } = f;
    const kept = await f.create(team.editor, { name: 'Tokayev', kind: 'person', aliases: ['President'] });
    const duplicate = await f.create(team.editor, { name: 'K.-J. Tokayev', affiliation: 'Amanat', aliases: ['Токаев', 'president'] });
    const other = await f.create(team.editor, { name: 'Smagulov' });
    await f.ok(coders[0], 'PUT', `/items/${itemIds[1]}/codings/me`, { values: { speakers: [duplicate.id, other.id] } });
    await f.ok(coders[1], 'PUT', `/items/${itemIds[1]}/codings/me`, { values: { speakers: [kept.id, duplicate.id] } });

    await expectError(await f.call(team.coder, 'POST', `/actors/${kept.id}/merge`, { duplicateId: duplicate.id }), 403, 'FORBIDDEN');
    await expectError(await f.call(team.editor, 'POST', `/actors/${kept.id}/merge`, { duplicateId: kept.id }), 400, 'VALIDATION_FAILED');
    await expectError(await f.call(team.editor, 'POST', `/actors/${kept.id}/merge`, { duplicateId: 'nope' }), 400, 'VALIDATION_FAILED');

    const merged = await f.ok<Actor>(team.editor, 'POST', `/actors/${kept.id}/merge`, { duplicateId: duplicate.id });
    expect(merged).toMatchObject({ name: 'Tokayev', kind: 'person', affiliation: 'Amanat', aliases: ['President', 'K.-J. Tokayev', 'Токаев'], mergedIds: [duplicate.id] });
    const listed = await f.list(team.owner);
    expect(listed.some((a) => a.id === duplicate.id)).toBe(false);
    expect((await f.list(team.owner, 'токаев')).map((a) => a.id)).toEqual([kept.id]);

    const valueOf = async (who: (typeof coders)[number]) =>
      (await f.ok<Coding[]>(who, 'GET', `/items/${itemIds[1]}/codings/me`)).find((c) => c.fieldKey === 'speakers')?.value;
    expect(await valueOf(coders[0])).toEqual([kept.id, other.id]);
    expect(await valueOf(coders[1])).toEqual([kept.id]);
    // A coder's live document may still hold the old id: it is accepted and means the kept actor.
    await f.ok(coders[0], 'PUT', `/items/${itemIds[1]}/codings/me`, { values: { speakers: [duplicate.id], impact: 1 } });
    expect(await valueOf(coders[0])).toEqual([kept.id]);

    const audit = await f.ok<AuditPage>(team.owner, 'GET', '/audit?action=merge-actor');
    // Both coders' rows moved; the item is independent, so the owner sees no values.
    expect(audit.entries).toHaveLength(2);
    expect(audit.entries.every((e) => e.entity === 'coding' && e.redacted)).toBe(true);
    const mergeEntry = (await f.ok<AuditPage>(team.owner, 'GET', '/audit?action=merge')).entries[0]!;
    expect(mergeEntry).toMatchObject({ entity: 'actor', entityId: kept.id, after: { aliases: ['President', 'K.-J. Tokayev', 'Токаев'] } });

    // Merging into an actor that was itself merged away is a 404 (it is no longer listed).
    await expectError(await f.call(team.editor, 'POST', `/actors/${duplicate.id}/merge`, { duplicateId: other.id }), 404, 'NOT_FOUND');
  });
});
