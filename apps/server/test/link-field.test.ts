/**
 * The `link` field type: coders create actors on the fly only where the field allows it, and
 * such an actor is one of her codes (hidden from everyone else, audit included, while the item
 * is independent); values must name actors the coder may use; agreement is set-valued (MASI,
 * and Krippendorff & Craggs' multi-valued alpha on their published Table 8c); exports carry
 * the actors' ids and names.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, AuditPage, FinalDataset, ReliabilityReport } from '@concord/shared';
import { createHarness, type Harness } from './harness.ts';
import { actorsFixture, expectError, type ActorsFixture } from './actors-fixture.ts';

let h: Harness;
let f: ActorsFixture;
const records = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

beforeAll(async () => {
  h = await createHarness();
  f = await actorsFixture(h, 4);
}, 120_000);
afterAll(() => h.close());

describe('link fields', () => {
  it('lets a coder create an actor on the fly only where the field allows it, and keeps it hers while the item is independent', async () => {
    const { team, coders, itemIds } = f;
    const [first, second] = coders;
    const item = itemIds[3]!;
    await expectError(await f.call(first, 'POST', '/actors', { name: 'Unlisted', field: 'speakers', itemId: item }), 403, 'FORBIDDEN');
    await expectError(await f.call(first, 'POST', '/actors', { name: 'Unlisted', field: 'impact', itemId: item }), 400, 'VALIDATION_FAILED');
    await expectError(await f.call(first, 'POST', '/actors', { name: 'Unlisted', field: 'sources' }), 400, 'VALIDATION_FAILED');
    // An item not assigned to her.
    const other = await f.ok<{ id: string }>(team.editor, 'POST', '/items', { title: 'Not hers' });
    await expectError(await f.call(first, 'POST', '/actors', { name: 'Unlisted', field: 'sources', itemId: other.id }), 403, 'FORBIDDEN');

    const made = await f.create(first, { name: 'Anonymous Telegram channel', field: 'sources', itemId: item });
    expect(made.pending).toBe(true);
    await f.ok(first, 'PUT', `/items/${item}/codings/me`, { values: { sources: [made.id] } });
    expect((await f.list(first)).map((a) => a.id)).toContain(made.id);
    // Nobody else sees it: not the other coders, not the managers, not as a taken name.
    for (const who of [second, team.owner, team.editor]) expect((await f.list(who)).some((a) => a.id === made.id)).toBe(false);
    const same = await f.create(second, { name: 'Anonymous Telegram channel', field: 'sources', itemId: item });
    expect(same.id).not.toBe(made.id);
    await f.create(team.editor, { name: 'Anonymous Telegram channel' });
    // Nor may another coder code it.
    await expectError(await f.call(second, 'PUT', `/items/${item}/codings/me`, { values: { sources: [made.id] } }), 400, 'VALIDATION_FAILED');
    // The owner's audit withholds it like a coded value.
    const entry = (await f.ok<AuditPage>(team.owner, 'GET', '/audit?entity=actor&action=create')).entries.find((e) => e.entityId === made.id)!;
    expect(entry.redacted).toBe(true);
    expect(JSON.stringify(entry)).not.toContain('Anonymous Telegram channel');

    // Revealed: everyone sees it (and may merge the duplicates).
    await f.ok(team.editor, 'POST', `/items/${item}/phase`, { phase: 'revealed', confirmExcludeLate: true });
    const listed = await f.list(team.owner);
    expect(listed.find((a) => a.id === made.id)).toMatchObject({ name: 'Anonymous Telegram channel', pending: false });
    const revealedEntry = (await f.ok<AuditPage>(team.owner, 'GET', '/audit?entity=actor&action=create')).entries.find((e) => e.entityId === made.id)!;
    expect(revealedEntry).toMatchObject({ redacted: false, after: { value: { name: 'Anonymous Telegram channel' } } });
  });

  it('refuses values that name no actor the coder may use', async () => {
    const { coders, itemIds } = f;
    const bad = [['act_aaaaaaaaaaaaaaaa'], ['not-an-id'], 'a string', [f.projectId]];
    for (const sources of bad) {
      await expectError(await f.call(coders[0], 'PUT', `/items/${itemIds[0]}/codings/me`, { values: { sources } }), 400, 'VALIDATION_FAILED');
    }
    const listed = (await f.list(coders[0]))[0]!;
    await expectError(await f.call(coders[0], 'PUT', `/items/${itemIds[0]}/codings/me`, { values: { sources: [listed.id, listed.id] } }), 400, 'VALIDATION_FAILED');
    // N/A and the empty set are values like any other.
    await f.ok(coders[0], 'PUT', `/items/${itemIds[0]}/codings/me`, { values: { sources: { na: true }, speakers: [] } });
  });

  it('measures agreement on sets (MASI) and exports ids with names', async () => {
    const { team, coders, itemIds } = f;
    // Krippendorff & Craggs (2016), Table 8c: three observers, three units; multi-valued alpha .895.
    const names = { a: 'Akorda', b: 'Bayterek TV', d: 'Daryn Akhmet' } as const;
    const ids = {} as Record<keyof typeof names, string>;
    for (const [k, name] of Object.entries(names) as [keyof typeof names, string][]) ids[k] = (await f.create(team.editor, { name })).id;
    const table = [
      [['a'], ['a'], ['a']],
      [['b'], ['b'], ['b', 'd']],
      [['d'], ['d'], ['d']],
    ] as const;
    for (const [u, row] of table.entries()) {
      for (const [c, set] of row.entries()) {
        await f.ok(coders[c]!, 'PUT', `/items/${itemIds[u]}/codings/me`, { values: { frame: 'security', impact: 0, speakers: set.map((k) => ids[k]) } });
        await f.ok(coders[c]!, 'POST', `/items/${itemIds[u]}/codings/me/submit`);
      }
    }
    const report = await f.ok<ReliabilityReport>(team.methodologist, 'GET', '/reliability?field=speakers&bootstrap=0');
    const speakers = report.fields.find((x) => x.key === 'speakers')!;
    expect(speakers).toMatchObject({ type: 'link', metric: 'krippendorff-alpha', level: 'masi', n_units: 3, n_coders: 3 });
    expect(speakers.others.find((o) => o.metric === 'multi-valued-alpha')!.value).toBeCloseTo(0.895, 3);

    const long = records(await (await f.call(team.owner, 'GET', '/export/codings.csv?layout=long&field=speakers')).text());
    const unit2 = long.filter((r) => r.unit === itemIds[1]).map((r) => [r.value, r.value_names]);
    const bd = [ids.b, ids.d].sort();
    expect(unit2).toContainEqual([ids.b, names.b]);
    expect(unit2).toContainEqual([bd.join('|'), bd.map((id) => (id === ids.b ? names.b : names.d)).join('|')]);

    // Final dataset: two of three coders chose {b}, the majority set.
    const final = records(await (await f.call(team.owner, 'GET', '/export/final.csv')).text());
    const row = final.find((r) => r.unit === itemIds[1])!;
    expect([row.speakers, row.speakers_names, row.speakers_provenance]).toEqual([ids.b, names.b, 'majority']);
    expect(Object.keys(final[0]!)).toEqual(expect.arrayContaining(['sources', 'sources_names', 'sources_provenance']));
    const json = (await (await f.call(team.owner, 'GET', '/export/final.json')).json()) as FinalDataset;
    expect(json.items.find((i) => i.id === itemIds[0])!.values.speakers).toEqual({ value: [ids.a], provenance: 'unanimous', actors: [{ id: ids.a, name: names.a }] });

    // Renaming the actor renames it in the exports; its id stays.
    await f.ok<Actor>(team.editor, 'PATCH', `/actors/${ids.a}`, { name: 'Akorda (presidential office)' });
    const again = records(await (await f.call(team.owner, 'GET', '/export/final.csv')).text()).find((r) => r.unit === itemIds[0])!;
    expect([again.speakers, again.speakers_names]).toEqual([ids.a, 'Akorda (presidential office)']);

    // A decision names known actors; merging a duplicate moves it too.
    await expectError(await f.call(team.editor, 'PUT', `/items/${itemIds[1]}/adjudications/speakers`, { value: ['act_aaaaaaaaaaaaaaaa'], rationale: 'x' }), 400, 'VALIDATION_FAILED');
    const dup = await f.create(team.editor, { name: 'Bayterek' });
    await f.ok(team.editor, 'PUT', `/items/${itemIds[1]}/adjudications/speakers`, { value: [dup.id, ids.d], rationale: 'Both speak.' });
    await f.ok(team.editor, 'POST', `/actors/${ids.b}/merge`, { duplicateId: dup.id });
    const decided = records(await (await f.call(team.owner, 'GET', '/export/final.csv')).text()).find((r) => r.unit === itemIds[1])!;
    expect([decided.speakers, decided.speakers_names, decided.speakers_provenance]).toEqual([bd.join('|'), bd.map((id) => (id === ids.b ? names.b : names.d)).join('|'), 'decided']);
  });
});
