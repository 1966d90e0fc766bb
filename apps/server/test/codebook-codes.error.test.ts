/**
 * Option codes and field keys are identifiers (packages/shared codes.ts): a new or changed code
 * that is not one is refused with a message naming the field and option by label, nothing saved;
 * codes saved before the rule keep working. Submit and value errors name fields by label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { codebookFields } from '@concord/db';
import { DEMO_CODEBOOK } from '../src/demo/codebook.ts';
import { codebookInput, newCodeIssues, slugify, type Codebook, type FieldDefinition, type Role, type ErrorBody } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, SMALL_CODEBOOK, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
});
afterAll(() => h.close());

const getCodebook = async (f: ProjectFixture) => json<Codebook>(await h.request(members.coder, 'GET', `/api/projects/${f.projectId}/codebook`));
const putField = (f: ProjectFixture, baseVersion: number, field: unknown) =>
  h.request(members.methodologist, 'PUT', `/api/projects/${f.projectId}/codebook/fields/${(field as { key: string }).key}`, { baseVersion, field });
const actorField = (values: string[]) => ({
  key: 'actor',
  label: 'Main actor',
  type: 'single_choice',
  options: values.map((value, i) => ({ value, label: `Actor ${i}` })),
});

describe('option codes', () => {
  it('refuses a new code that is not an identifier, naming field and option by label, and saves nothing', async () => {
    const f = await createProjectFixture(h, members);
    const res = await putField(f, 1, actorField(['state_media', 'Journalists media!']));
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain('Main actor: option "Actor 1" has code "Journalists media!"');
    expect(body.error.message).toContain('lowercase letters, digits and _');
    expect((await getCodebook(f)).fields.map((x) => x.key)).not.toContain('actor');
  });

  it('refuses the same code on a whole-codebook replace', async () => {
    const f = await createProjectFixture(h, members);
    const cb = await getCodebook(f);
    const res = await h.request(members.methodologist, 'PUT', `/api/projects/${f.projectId}/codebook`, {
      name: cb.name,
      baseVersion: cb.version,
      fields: [...cb.fields, actorField(['Journalists media!'])],
    });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.message).toContain('"Journalists media!"');
    expect((await getCodebook(f)).fields).toEqual(cb.fields);
  });

  it('keeps codes saved before the rule, and refuses a new non-identifier next to them', async () => {
    const f = await createProjectFixture(h, members);
    const cb = await getCodebook(f);
    // An imported codebook from before the rule: its codes are whatever the spreadsheet held.
    const legacy = actorField(['State media', 'state_media']) as FieldDefinition;
    const withDefaults = codebookInput.parse({ name: 'x', fields: [legacy] }).fields[0] as Extract<FieldDefinition, { type: 'single_choice' }>;
    await h.database.db.insert(codebookFields).values({ id: `fld_legacy_${f.projectId}`, versionId: cb.versionId, key: 'actor', position: 9, type: 'single_choice', definition: withDefaults });

    const relabelled = { ...withDefaults, label: 'Main actor (renamed)' };
    expect((await putField(f, 1, relabelled)).status).toBe(200);
    const added = { ...relabelled, options: [...relabelled.options, { value: 'Civil society', label: 'Civil society', parent: null, help: '' }] };
    const refused = await putField(f, 1, added);
    expect(refused.status).toBe(400);
    expect((await json<ErrorBody>(refused)).error.message).toContain('"Civil society"');
    const saved = await h.database.db.select().from(codebookFields).where(eq(codebookFields.versionId, cb.versionId));
    expect(saved.find((r) => r.key === 'actor')?.definition).toMatchObject({ label: 'Main actor (renamed)', options: [{ value: 'State media' }, { value: 'state_media' }] });
  });

  it('accepts the CMO template and the test codebook as they are', () => {
    expect(newCodeIssues([], codebookInput.parse(DEMO_CODEBOOK).fields)).toEqual([]);
    expect(newCodeIssues([], SMALL_CODEBOOK.fields)).toEqual([]);
  });

  it('makes unique identifiers from labels', () => {
    expect(slugify('Journalists’ media!')).toBe('journalists_media');
    expect(slugify('Été 2022 — Protests', ['ete_2022_protests'])).toBe('ete_2022_protests_2');
    expect(slugify('2022 protests')).toBe('code_2022_protests');
    expect(slugify('!!!', [], 'frame')).toBe('frame');
    expect(slugify('x'.repeat(100), ['x'.repeat(63)])).toMatch(/^x{61}_2$/);
  });
});

describe('messages name fields by label', () => {
  it('lists missing required fields by label on submit', async () => {
    const f = await createProjectFixture(h, members);
    const res = await h.request(members.coder, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me/submit`);
    expect(res.status).toBe(400);
    const message = (await json<ErrorBody>(res)).error.message;
    expect(message).toBe('required fields are not coded: "Frame", "Civic impact"');
  });

  it('names the field by label when a value does not fit', async () => {
    const f = await createProjectFixture(h, members);
    const res = await h.request(members.coder, 'PUT', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`, { values: { impact: 7 } });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.message).toMatch(/^some values do not fit the codebook: Civic impact: /);
  });
});
