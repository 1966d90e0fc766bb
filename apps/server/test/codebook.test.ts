import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog } from '@concord/db';
import { type Codebook, type Coding, type Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

const getCodebook = async (f: ProjectFixture, version?: number) =>
  json<Codebook>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/codebook${version ? `?version=${version}` : ''}`));
const putField = (f: ProjectFixture, baseVersion: number, field: unknown, key: string) =>
  h.request(members.methodologist, 'PUT', `/api/projects/${f.projectId}/codebook/fields/${key}`, { baseVersion, field });
const impactField = (labelOfZero: string) => ({
  key: 'impact',
  label: 'Civic impact',
  type: 'ordinal',
  required: true,
  scale: [-3, -2, -1, 0, 1, 2, 3].map((value) => ({ value, label: value === 0 ? labelOfZero : String(value) })),
});

describe('codebook versioning', () => {
  it('edits in place while no field has codings', async () => {
    const f = await createProjectFixture(h, members);
    const res = await putField(f, 1, impactField('Neutral'), 'impact');
    expect(res.status).toBe(200);
    const cb = await getCodebook(f);
    expect(cb.version).toBe(1);
    expect(cb.fields.find((x) => x.key === 'impact')).toMatchObject({ scale: expect.arrayContaining([{ value: 0, label: 'Neutral' }]) });
  });

  it('makes a new version when a coded field changes; old codings keep theirs', async () => {
    const f = await createProjectFixture(h, members);
    const saved = await h.request(members.coder, 'PUT', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`, { values: { impact: -1, frame: 'security' } });
    expect(saved.status).toBe(200);

    // Adding a new field touches no coded field: still version 1.
    const added = await putField(f, 1, { key: 'dimension', label: 'Dimension', type: 'single_choice', options: [{ value: 'speech', label: 'Speech' }] }, 'dimension');
    expect((await json<Codebook>(added)).version).toBe(1);

    const changed = await putField(f, 1, impactField('No effect'), 'impact');
    expect(changed.status).toBe(200);
    const v2 = await json<Codebook>(changed);
    expect(v2.version).toBe(2);
    expect((await getCodebook(f)).version).toBe(2);
    const v1 = await getCodebook(f, 1);
    expect(v1.fields.find((x) => x.key === 'impact')).toMatchObject({ scale: expect.arrayContaining([{ value: 0, label: '0' }]) });
    expect(v2.fields.map((x) => x.key)).toEqual(['frame', 'impact', 'notes', 'dimension']);

    const codings = await json<Coding[]>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`));
    expect(codings.map((c) => [c.fieldKey, c.codebookVersion])).toEqual([
      ['frame', 1],
      ['impact', 1],
    ]);

    // A later save of one field moves only that coding to the current version.
    await h.request(members.coder, 'PUT', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`, { values: { impact: 0 } });
    const after = await json<Coding[]>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`));
    expect(after.map((c) => [c.fieldKey, c.codebookVersion])).toEqual([
      ['frame', 1],
      ['impact', 2],
    ]);

    const versions = await json<{ version: number; note: string; current: boolean }[]>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/codebook/versions`));
    expect(versions).toEqual([expect.objectContaining({ version: 2, note: 'changed field "impact"', current: true }), expect.objectContaining({ version: 1, current: false })]);
  });

  it('answers a stale base version with 409 and changes nothing', async () => {
    const f = await createProjectFixture(h, members);
    await h.request(members.coder, 'PUT', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`, { values: { impact: 2 } });
    expect((await putField(f, 1, impactField('A'), 'impact')).status).toBe(200);
    const stale = await putField(f, 1, impactField('B'), 'impact');
    expect(stale.status).toBe(409);
    expect((await json<{ error: { code: string } }>(stale)).error.code).toBe('VERSION_CONFLICT');
    const cb = await getCodebook(f);
    expect(cb.version).toBe(2);
    expect(cb.fields.find((x) => x.key === 'impact')).toMatchObject({ scale: expect.arrayContaining([{ value: 0, label: 'A' }]) });
  });

  it('rejects invalid fields with details', async () => {
    const f = await createProjectFixture(h, members);
    const dupOptions = await putField(f, 1, { key: 'frame', label: 'F', type: 'single_choice', options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'A again' }] }, 'frame');
    expect(dupOptions.status).toBe(400);
    expect(JSON.stringify(await json(dupOptions))).toContain('duplicate option');
    const badParent = await putField(f, 1, { key: 'frame', label: 'F', type: 'multiple_choice', options: [{ value: 'a', label: 'A', parent: 'zzz' }] }, 'frame');
    expect(badParent.status).toBe(400);
    expect(JSON.stringify(await json(badParent))).toContain('unknown parent option');
    const mismatch = await putField(f, 1, impactField('x'), 'other_key');
    expect(mismatch.status).toBe(400);
    const badKey = await putField(f, 1, { ...impactField('x'), key: 'Bad Key' }, 'Bad Key');
    expect(badKey.status).toBe(400);
    expect((await getCodebook(f)).fields.map((x) => x.key)).toEqual(['frame', 'impact', 'notes']);
  });

  it('records every codebook change in the audit log, which cannot be rewritten', async () => {
    const f = await createProjectFixture(h, members);
    await putField(f, 1, impactField('Z'), 'impact');
    const rows = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, f.projectId), eq(auditLog.entity, 'codebook')))
      .orderBy(asc(auditLog.id));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.at(-1)).toMatchObject({ actorId: members.methodologist.userId, action: 'edit' });
    await expect(h.deps.database.db.update(auditLog).set({ action: 'forged' }).where(eq(auditLog.projectId, f.projectId))).rejects.toThrow();
    await expect(h.deps.database.db.delete(auditLog).where(eq(auditLog.projectId, f.projectId))).rejects.toThrow();
  });
});
