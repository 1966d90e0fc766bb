/**
 * Hostile input gets a 4xx with the error body, never a 500: NUL bytes (PostgreSQL refuses
 * `\u0000` in text) in titles, comments, coded values and import rows; bodies of the wrong
 * content type; and the import dry run takes what the import takes. Nothing is written, and
 * the logs carry codes and ids, never the text that was sent.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Role } from '@concord/shared';
import { createLogger } from '../src/logger.ts';
import { createHarness, createProjectFixture, json, signUpTeam, type Harness, type ProjectFixture, type Session } from './harness.ts';

const SECRET = 'TOP-SECRET-SOURCE-NAME';
const MAX_BODY = 4096;

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;
const logLines: string[] = [];

beforeAll(async () => {
  // The real app on a test database, logging at debug level into memory.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  h = await createHarness({ logLevel: 'debug', maxBodyBytes: MAX_BODY }, { logger: createLogger({ logLevel: 'debug' }, sink) });
  members = await signUpTeam(h);
  f = await createProjectFixture(h, members);
});
afterAll(() => h.close());

const base = () => `/api/projects/${f.projectId}`;

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await json<{ error: { code: string; message: string; details?: { path?: unknown[]; row?: number; column?: string }[] } }>(res);
  expect(body.error.code).toBe(code);
  return body.error;
}

const expectNoSecretInLogs = () => expect(logLines.join('\n')).not.toContain(SECRET);

describe('NUL bytes', () => {
  it('refuses a NUL in an item title with 400 naming the field, and changes nothing', async () => {
    const before = await json<{ title: string }>(await h.request(members.editor, 'GET', `${base()}/items/${f.itemId}`));
    const patched = await h.request(members.editor, 'PATCH', `${base()}/items/${f.itemId}`, { title: `${SECRET}\u0000x` });
    const error = await expectError(patched, 400, 'VALIDATION_FAILED');
    expect(error.details?.[0]?.path).toEqual(['title']);
    const link = await h.request(members.editor, 'PATCH', `${base()}/items/${f.itemId}`, { url: `https://example.org/${SECRET}\u0000` });
    expect((await expectError(link, 400, 'VALIDATION_FAILED')).details?.[0]?.path).toEqual(['url']);
    const created = await h.request(members.editor, 'POST', `${base()}/items`, { title: `new ${SECRET}\u0000` });
    await expectError(created, 400, 'VALIDATION_FAILED');
    expect(await json(await h.request(members.editor, 'GET', `${base()}/items/${f.itemId}`))).toEqual(before);
    const list = await json<{ total: number }>(await h.request(members.editor, 'GET', `${base()}/items`));
    expect(list.total).toBe(1);
    expectNoSecretInLogs();
  });

  it('refuses a NUL in a comment, and nothing is posted', async () => {
    const res = await h.request(members.editor, 'POST', `${base()}/items/${f.itemId}/comments`, { body: `${SECRET}\u0000` });
    const error = await expectError(res, 400, 'VALIDATION_FAILED');
    expect(error.details?.[0]?.path).toEqual(['body']);
    expect(await json(await h.request(members.editor, 'GET', `${base()}/items/${f.itemId}/comments`))).toEqual([]);
    expectNoSecretInLogs();
  });

  it('refuses a NUL in a coded text value, and the coder’s saved values stay as they were', async () => {
    const saved = await h.request(members.coder, 'PUT', `${base()}/items/${f.itemId}/codings/me`, { values: { notes: 'first note' } });
    expect(saved.status).toBe(200);
    const before = await json(await h.request(members.coder, 'GET', `${base()}/items/${f.itemId}/codings/me`));
    const res = await h.request(members.coder, 'PUT', `${base()}/items/${f.itemId}/codings/me`, { values: { notes: `${SECRET}\u0000` } });
    await expectError(res, 400, 'VALIDATION_FAILED');
    const multi = await h.request(members.coder, 'PUT', `${base()}/items/${f.itemId}/codings/me`, { values: { frame: `security\u0000` } });
    expect(multi.status).toBe(400);
    expect(await json(await h.request(members.coder, 'GET', `${base()}/items/${f.itemId}/codings/me`))).toEqual(before);
    expectNoSecretInLogs();
  });

  it('refuses an import row with a NUL, naming the row and column, and imports nothing', async () => {
    const csv = `title,author\nclean row,a\n${SECRET}\u0000 row,b\n`;
    for (const path of ['import', 'import/dry-run']) {
      const res = await h.request(members.editor, 'POST', `${base()}/${path}`, csv, { 'content-type': 'text/csv' });
      if (path === 'import') {
        const error = await expectError(res, 400, 'IMPORT_FAILED');
        expect(error.details).toEqual([expect.objectContaining({ row: 2, column: 'title' })]);
      } else {
        expect(res.status).toBe(200);
        const check = await json<{ problems: { row?: number; column?: string }[]; valid: number }>(res);
        expect(check.problems).toEqual([expect.objectContaining({ row: 2, column: 'title' })]);
        expect(check.valid).toBe(1);
      }
    }
    const asJson = await h.request(members.editor, 'POST', `${base()}/import?format=json`, JSON.stringify([{ title: `${SECRET}\u0000` }]), {
      'content-type': 'application/json',
    });
    expect((await expectError(asJson, 400, 'IMPORT_FAILED')).details).toEqual([expect.objectContaining({ row: 1 })]);
    const list = await json<{ total: number }>(await h.request(members.editor, 'GET', `${base()}/items`));
    expect(list.total).toBe(1);
    expectNoSecretInLogs();
  });
});

describe('the logs', () => {
  it('keep an invitation link’s token out of the request lines (it is the credential)', async () => {
    const before = logLines.length;
    const token = 'kq7Zr0aTnVb0ZL2-invitation-token-in-the-path';
    expect((await h.request(null, 'GET', `/api/invites/${token}`)).status).toBe(404);
    expect((await h.request(null, 'POST', `/api/invites/${token}/accept`, {})).status).toBe(404);
    const lines = logLines.slice(before).join('\n');
    expect(lines).toContain('/api/invites/…/accept');
    expect(lines).not.toContain(token);
  });

  it('keep a failed query’s code and SQL but neither its parameters nor the database’s quote of them', async () => {
    const before = logLines.length;
    const failure = await h.deps.database.db.execute(sql`select ${`${SECRET}\u0000`}::text as t`).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(Error);
    h.deps.logger.error({ err: failure }, 'unhandled error');
    const line = logLines.slice(before).join('\n');
    expect(line).toContain('unhandled error');
    expect(line).toContain('select $1::text');
    expect(line).not.toContain(SECRET);
  });
});

describe('content types', () => {
  it('answers 415 (not 500) to a JSON route sent text/plain or a form, and writes nothing', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await h.request(members.owner, 'POST', '/api/projects', JSON.stringify({ name: `Typed ${type}`, description: '' }), { 'content-type': type });
      await expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const names = (await json<{ name: string }[]>(await h.request(members.owner, 'GET', '/api/projects'))).map((p) => p.name);
    expect(names.filter((n) => n.startsWith('Typed'))).toEqual([]);
  });

  it('answers 400 (not 500) to a JSON route without a body', async () => {
    await expectError(await h.request(members.owner, 'POST', '/api/projects', undefined, { 'content-type': 'application/json' }), 400, 'BAD_REQUEST');
    const bare = await h.request(members.owner, 'POST', '/api/projects');
    expect(bare.status).toBe(400);
  });

  it('takes only the documented upload types on the import and its dry run', async () => {
    for (const path of ['import', 'import/dry-run']) {
      await expectError(await h.request(members.editor, 'POST', `${base()}/${path}`, 'title\nplain\n', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectError(await h.request(members.editor, 'POST', `${base()}/${path}?format=json`, '[]', { 'content-type': 'text/csv' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('lets logout carry no body or JSON, but not an arbitrary body', async () => {
    await expectError(await h.request(members.coder, 'POST', '/api/auth/logout', 'anything', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect((await h.request(members.coder, 'GET', '/api/auth/me')).status).toBe(200);
    expect((await h.request(members.coder, 'POST', '/api/auth/logout', {})).status).toBe(200);
  });
});

describe('the import dry run', () => {
  it('takes an upload larger than the JSON body limit, as the import does', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `Dry run row ${i} with some padding text`);
    const csv = `title\n${rows.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(MAX_BODY);
    const res = await h.request(members.editor, 'POST', `${base()}/import/dry-run`, csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect((await json<{ rows: number; valid: number }>(res)).valid).toBe(200);
  });
});
