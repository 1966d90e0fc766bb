/** Bad input to reliability, the inbox, adjudication and comments: 4xx with the error body, nothing written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
});
afterAll(() => h.close());

const base = () => `/api/projects/${f.projectId}`;
async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status).toBe(status);
  const body = await json<{ error: { code: string; message: string; requestId: string } }>(res);
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBeTruthy();
  if (message) expect(body.error.message).toMatch(message);
  return body.error;
}

describe('reliability and inbox queries', () => {
  it.each([
    ['/reliability?field=nope', /unknown field "nope"/],
    ['/reliability?field=Not-A-Key', /field/],
    ['/reliability?bootstrap=5001', /bootstrap/],
    ['/reliability?bootstrap=-1', /bootstrap/],
    ['/reliability?incident=inc_aaaaaaaaaaaaaaaa', /unknown incident/],
    ['/reliability?round=rnd_aaaaaaaaaaaaaaaa', /unknown round/],
    ['/reliability?coders=nobody@test.concord', /not a member/],
    ['/disagreements?field=nope', /unknown field "nope"/],
    ['/disagreements?status=closed', /status/],
    ['/disagreements?coder=nobody@test.concord', /not a member/],
    ['/adjudications?status=maybe', /status/],
  ])('GET %s is a 400', async (path, message) => {
    await expectError(await h.request(members.owner, 'GET', `${base()}${path}`), 400, 'VALIDATION_FAILED', message);
  });
});

describe('adjudication', () => {
  const put = (fieldKey: string, body: unknown, itemId = f.itemId) => h.request(members.editor, 'PUT', `${base()}/items/${itemId}/adjudications/${fieldKey}`, body);

  it('refuses an item that is not revealed yet (409), and writes nothing', async () => {
    await expectError(await put('impact', { value: 1, rationale: 'too early' }), 409, 'CONFLICT', /independent phase/);
    expect(await json(await h.request(members.owner, 'GET', `${base()}/adjudications?status=all`))).toEqual([]);
  });

  it('checks the field, the value against the current codebook, and the rationale', async () => {
    await h.request(members.coder, 'PUT', `${base()}/items/${f.itemId}/codings/me`, { values: { frame: 'security', impact: 1 } });
    await h.request(members.coder, 'POST', `${base()}/items/${f.itemId}/codings/me/submit`);
    await expectError(await put('nope', { value: 1, rationale: 'r' }), 404, 'NOT_FOUND', /field "nope"/);
    const bad = await expectError(await put('impact', { value: 7, rationale: 'r' }), 400, 'VALIDATION_FAILED', /7 is not a point of the "impact" scale/);
    expect(bad).toMatchObject({ details: [{ path: ['value'] }] });
    await expectError(await put('frame', { value: 'nonsense', rationale: 'r' }), 400, 'VALIDATION_FAILED', /not an option/);
    await expectError(await put('impact', { value: { na: true }, rationale: 'r' }), 400, 'VALIDATION_FAILED', /does not allow N\/A/);
    await expectError(await put('impact', { value: 1, rationale: '   ' }), 400, 'VALIDATION_FAILED', /rationale/);
    await expectError(await put('impact', { value: 1 }), 400, 'VALIDATION_FAILED');
    await expectError(await put('impact', { value: 1, rationale: 'r' }, 'itm_aaaaaaaaaaaaaaaa'), 404, 'NOT_FOUND', /item/);
    expect(await json(await h.request(members.owner, 'GET', `${base()}/adjudications?status=all`))).toEqual([]);
    expect((await put('frame', { value: { na: true }, rationale: 'Not about a frame at all.' })).status).toBe(200);
  });

  it('reopens only a decided adjudication', async () => {
    const reopen = (fieldKey: string) => h.request(members.editor, 'POST', `${base()}/items/${f.itemId}/adjudications/${fieldKey}/reopen`);
    await expectError(await reopen('impact'), 404, 'NOT_FOUND', /adjudication/);
    expect((await reopen('frame')).status).toBe(200);
    await expectError(await reopen('frame'), 409, 'CONFLICT', /already reopened/);
  });
});

describe('comments', () => {
  it('need a body and a known field', async () => {
    const post = (body: unknown) => h.request(members.coder, 'POST', `${base()}/items/${f.itemId}/comments`, body);
    await expectError(await post({ body: '' }), 400, 'VALIDATION_FAILED');
    await expectError(await post({ body: 'x', fieldKey: 'nope' }), 400, 'VALIDATION_FAILED', /unknown field "nope"/);
    await expectError(await h.request(members.coder, 'POST', `${base()}/items/itm_aaaaaaaaaaaaaaaa/comments`, { body: 'x' }), 404, 'NOT_FOUND');
  });
});
