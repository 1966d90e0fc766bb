/**
 * Item attachments (issue 12, item 9) on the API: upload with a sniffed type, SHA-256 and size;
 * the size limit (413) and the allowed types (415) with nothing saved; who reads, adds and
 * deletes (authz); downloads that never render HTML on our origin; bytes in the database or in
 * CONCORD_ATTACHMENTS_DIR; the archived-copy URL; attachment links from an import.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { attachments, auditLog } from '@concord/db';
import type { Attachment, AttachmentList, ErrorBody, Item, Role } from '@concord/shared';
import { addToProject, createHarness, createProjectFixture, createTeamHarness, json, signUp, signUpTeam, type Harness, type ProjectFixture, type Session } from './harness.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
const HTML = new TextEncoder().encode('<!DOCTYPE html><html><body><script>alert(document.cookie)</script>Saved post</body></html>');
/** FIPS 180-2, appendix B.1: SHA-256("abc"). */
const ABC = new TextEncoder().encode('abc');
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const LIMIT = 4096;

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;
let base: string;

/** POSTs the bytes as the file; `stream` sends them without a Content-Length, as a browser may. */
function upload(who: Session | null, name: string, bytes: Uint8Array, options: { itemBase?: string; type?: string; stream?: boolean; harness?: Harness } = {}) {
  const headers: Record<string, string> = { 'content-type': options.type ?? 'application/octet-stream' };
  if (who) headers.cookie = who.cookie;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const body = options.stream ? stream : bytes;
  const init = { method: 'POST', headers, body, duplex: 'half' } as RequestInit;
  return (options.harness ?? h).app.request(`${options.itemBase ?? `${base}/items/${f.itemId}`}/attachments?name=${encodeURIComponent(name)}`, init);
}
const list = async (who = members.coder, harness = h, itemPath = `${base}/items/${f.itemId}`) =>
  (await json<AttachmentList>(await harness.request(who, 'GET', `${itemPath}/attachments`))).attachments;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness([], { attachments: { dir: null, maxBytes: LIMIT } }));
  f = await createProjectFixture(h, members);
  base = `/api/projects/${f.projectId}`;
}, 180_000);
afterAll(() => h.close());

describe('uploading and reading attachments', () => {
  it('stores a screenshot with its sniffed type, size and SHA-256; every member lists and downloads it, inline', async () => {
    const res = await upload(members.editor, 'Скриншот поста.png', PNG);
    expect(res.status).toBe(201);
    const a = await json<Attachment>(res);
    expect(a).toMatchObject({ kind: 'file', name: 'Скриншот поста.png', mediaType: 'image/png', size: PNG.byteLength, url: null, itemId: f.itemId });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);

    for (const who of [members.coder, members.methodologist, members.owner]) expect((await list(who)).map((x) => x.id)).toContain(a.id);
    const file = await h.request(members.coder, 'GET', `${base}/items/${f.itemId}/attachments/${a.id}`);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-disposition')).toBe(
      `inline; filename="________ _____.png"; filename*=UTF-8''${encodeURIComponent('Скриншот поста.png')}`,
    );
  });

  it('records the SHA-256 of the bytes (the FIPS 180-2 "abc" vector) and reads text as text/plain', async () => {
    const a = await json<Attachment>(await upload(members.owner, 'abc.txt', ABC, { stream: true }));
    expect(a).toMatchObject({ mediaType: 'text/plain', size: 3, sha256: ABC_SHA256 });
  });

  it('serves an HTML snapshot as a download under a CSP that runs nothing, whatever its name says', async () => {
    const a = await json<Attachment>(await upload(members.editor, 'looks-like-an-image.png', HTML, { type: 'image/png' }));
    expect(a.mediaType).toBe('text/html');
    const file = await h.request(members.coder, 'GET', `${base}/items/${f.itemId}/attachments/${a.id}`);
    expect(file.headers.get('content-type')).toBe('text/html');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="looks-like-an-image.png"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('cuts a path off the name and refuses an empty one', async () => {
    expect((await json<Attachment>(await upload(members.editor, 'C:\\fakepath\\shot.png', PNG))).name).toBe('shot.png');
    const res = await upload(members.editor, '  ', PNG);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.code).toBe('VALIDATION_FAILED');
  });
});

describe('browser caching (SECURITY.md, fourth review)', () => {
  it('is private, no-cache with the SHA-256 as ETag: a 304 while the caller may read it, 404 once removed, 401 once signed out', async () => {
    const a = await json<Attachment>(await upload(members.editor, 'kept.png', PNG));
    const path = `${base}/items/${f.itemId}/attachments/${a.id}`;
    const coder = await signUp(h, 'cache-coder');
    await addToProject(h, members.owner, f.projectId, coder, 'coder');
    const first = await h.request(coder, 'GET', path);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${a.sha256}"`);

    // Revalidation: authorized and unchanged, no bytes; a list naming it (or a weak tag) too; another tag gets the file.
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await h.request(coder, 'GET', path, undefined, { 'if-none-match': tag });
      expect(again.status).toBe(304);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('private, no-cache');
    }
    expect((await h.request(coder, 'GET', path, undefined, { 'if-none-match': '"other"' })).status).toBe(200);

    // Access gone: the browser's copy is not confirmed.
    expect((await h.request(members.owner, 'DELETE', `${base}/members/${coder.userId}`)).status).toBe(200);
    expect((await h.request(coder, 'GET', path, undefined, { 'if-none-match': etag })).status).toBe(404);
    expect((await h.request(members.coder, 'GET', path, undefined, { 'if-none-match': etag })).status).toBe(304);
    const out = await signUp(h, 'cache-signed-out');
    await addToProject(h, members.owner, f.projectId, out, 'coder');
    expect((await h.request(out, 'POST', '/api/auth/logout')).status).toBe(200);
    expect((await h.request(out, 'GET', path, undefined, { 'if-none-match': etag })).status).toBe(401);
  });
});

describe('refusals, with nothing saved', () => {
  it('refuses a file over CONCORD_ATTACHMENT_MAX_BYTES with 413, declared or streamed', async () => {
    const before = (await list()).length;
    const big = new Uint8Array(LIMIT + 1).fill(0x61);
    for (const stream of [false, true]) {
      const res = await upload(members.editor, 'big.txt', big, { stream });
      expect(res.status).toBe(413);
      expect((await json<ErrorBody>(res)).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(String(LIMIT)) });
    }
    expect(await list()).toHaveLength(before);
  });

  it('refuses types other than images, PDF, HTML and text with 415, read from the bytes', async () => {
    const before = (await list()).length;
    for (const [name, bytes] of [
      ['archive.png', new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0])],
      ['tool.pdf', new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0])],
      ['empty.txt', new Uint8Array()],
    ] as const) {
      const res = await upload(members.editor, name, bytes);
      expect(res.status).toBe(415);
      expect((await json<ErrorBody>(res)).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const asJson = await upload(members.editor, 'x.png', PNG, { type: 'application/json' });
    expect(asJson.status).toBe(415);
    expect(await list()).toHaveLength(before);
  });

  it('lets owners and editors add and delete, other members only read; outsiders get 404, anonymous callers 401', async () => {
    const before = (await list()).length;
    for (const who of [members.coder, members.methodologist]) {
      const res = await upload(who, 'x.png', PNG);
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('FORBIDDEN');
    }
    const a = await json<Attachment>(await upload(members.editor, 'kept.png', PNG));
    const one = `${base}/items/${f.itemId}/attachments/${a.id}`;
    expect((await h.request(members.coder, 'DELETE', one)).status).toBe(403);
    expect((await h.request(members.methodologist, 'DELETE', one)).status).toBe(403);

    const outsider = await signUp(h, 'outsider');
    for (const res of [await h.request(outsider, 'GET', `${base}/items/${f.itemId}/attachments`), await h.request(outsider, 'GET', one), await upload(outsider, 'x.png', PNG)]) {
      expect(res.status).toBe(404);
    }
    expect((await h.request(null, 'GET', one)).status).toBe(401);
    expect((await upload(null, 'x.png', PNG)).status).toBe(401);

    // Another project's item, and this attachment under another project's item, do not exist here.
    const other = await createProjectFixture(h, members);
    expect((await h.request(members.owner, 'GET', `/api/projects/${other.projectId}/items/${f.itemId}/attachments`)).status).toBe(404);
    expect((await h.request(members.owner, 'GET', `/api/projects/${other.projectId}/items/${other.itemId}/attachments/${a.id}`)).status).toBe(404);
    expect((await upload(members.owner, 'x.png', PNG, { itemBase: `/api/projects/${other.projectId}/items/${f.itemId}` })).status).toBe(404);
    expect((await list()).length).toBe(before + 1);
  });

  it('deletes for an editor, audited with name, type, size and hash; the file is gone', async () => {
    const a = await json<Attachment>(await upload(members.editor, 'gone.txt', ABC));
    const one = `${base}/items/${f.itemId}/attachments/${a.id}`;
    const res = await h.request(members.editor, 'DELETE', one);
    expect(res.status).toBe(200);
    expect((await list()).map((x) => x.id)).not.toContain(a.id);
    expect((await h.request(members.coder, 'GET', one)).status).toBe(404);
    expect((await h.request(members.editor, 'DELETE', one)).status).toBe(404);
    const entries = await h.deps.database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'attachment'), eq(auditLog.entityId, a.id)));
    expect(entries.map((e) => e.action).sort()).toEqual(['create', 'delete']);
    expect(entries.find((e) => e.action === 'delete')!.before).toMatchObject({ name: 'gone.txt', mediaType: 'text/plain', size: 3, sha256: ABC_SHA256 });
    // The owner's audit page says what went, with its hash.
    const listed = await json<{ entries: { entityId: string; summary: string }[] }>(await h.request(members.owner, 'GET', `${base}/audit?entity=attachment`));
    expect(listed.entries.filter((e) => e.entityId === a.id).map((e) => e.summary)).toEqual([
      'delete attachment "gone.txt" (sha256 ba7816bf8f01…)',
      'create attachment "gone.txt" (sha256 ba7816bf8f01…; size 3)',
    ]);
  });
});

describe('bytes in a directory (CONCORD_ATTACHMENTS_DIR)', () => {
  let dh: Harness;
  let dir: string;
  let team: Record<Role, Session>;
  let df: ProjectFixture;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'concord-attachments-'));
    dh = await createHarness({ attachments: { dir, maxBytes: LIMIT } });
    team = await signUpTeam(dh);
    df = await createProjectFixture(dh, team);
  }, 180_000);
  afterAll(async () => {
    await dh.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one file per attachment, serves it, and removes it with the attachment or its item', async () => {
    const itemBase = `/api/projects/${df.projectId}/items/${df.itemId}`;
    const a = await json<Attachment>(await upload(team.editor, 'shot.png', PNG, { harness: dh, itemBase }));
    expect(await readFile(path.join(dir, a.id))).toEqual(Buffer.from(PNG));
    const [row] = await dh.deps.database.db.select().from(attachments).where(eq(attachments.id, a.id));
    expect(row).toMatchObject({ data: null, path: a.id });
    const file = await dh.request(team.coder, 'GET', `${itemBase}/attachments/${a.id}`);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);

    expect((await dh.request(team.editor, 'DELETE', `${itemBase}/attachments/${a.id}`)).status).toBe(200);
    expect(await readdir(dir)).not.toContain(a.id);

    // An item nobody worked on is deleted with its attachments, and their files with them.
    const item = await json<Item>(await dh.request(team.editor, 'POST', `/api/projects/${df.projectId}/items`, { title: 'Deleted with its file' }));
    const b = await json<Attachment>(await upload(team.editor, 'b.txt', ABC, { harness: dh, itemBase: `/api/projects/${df.projectId}/items/${item.id}` }));
    expect(await readdir(dir)).toContain(b.id);
    expect(await json(await dh.request(team.editor, 'DELETE', `/api/projects/${df.projectId}/items/${item.id}`))).toMatchObject({ outcome: 'deleted' });
    expect(await readdir(dir)).not.toContain(b.id);
  });
});

describe('the archived-copy URL', () => {
  it('is saved, returned and cleared on the item; a non-http link is a 400 and nothing changes', async () => {
    const item = await json<Item>(await h.request(members.editor, 'POST', `${base}/items`, { title: 'Taken down later', archivedUrl: 'https://web.archive.org/web/2024/https://example.org/post' }));
    expect(item.archivedUrl).toBe('https://web.archive.org/web/2024/https://example.org/post');
    const bad = await h.request(members.editor, 'PATCH', `${base}/items/${item.id}`, { title: 'Changed', archivedUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error.details?.[0]?.path).toEqual(['archivedUrl']);
    const kept = await json<Item>(await h.request(members.coder, 'GET', `${base}/items/${item.id}`));
    expect(kept).toMatchObject({ title: 'Taken down later', archivedUrl: 'https://web.archive.org/web/2024/https://example.org/post' });
    const cleared = await json<Item>(await h.request(members.editor, 'PATCH', `${base}/items/${item.id}`, { archivedUrl: null }));
    expect(cleared.archivedUrl).toBeNull();
  });
});

describe('attachment cells in an import', () => {
  const importCsv = (csv: string) => h.request(members.editor, 'POST', `${base}/import?filename=a.csv`, csv, { 'content-type': 'text/csv' });
  const itemByExternalId = async (externalId: string) =>
    (await json<{ items: Item[] }>(await h.request(members.coder, 'GET', `${base}/items?q=${externalId}`))).items.find((i) => i.externalId === externalId)!;

  it('records `name (url)` cells as attachment links, never fetched; a re-import keeps them, a changed cell replaces them', async () => {
    const csv = (cell: string) => `Record ID,Title,Attachments\nrecATT1,Post with a screenshot,"${cell}"\n`;
    const cell = 'shot 1.png (https://dl.airtable.com/x/shot1.png),page.pdf (https://example.org/files/page.pdf)';
    expect((await importCsv(csv(cell))).status).toBe(201);
    const item = await itemByExternalId('recATT1');
    const links = await list(members.coder, h, `${base}/items/${item.id}`);
    expect(links.map((l) => [l.kind, l.name, l.url, l.mediaType, l.size, l.sha256])).toEqual([
      ['link', 'shot 1.png', 'https://dl.airtable.com/x/shot1.png', null, null, null],
      ['link', 'page.pdf', 'https://example.org/files/page.pdf', null, null, null],
    ]);
    // A link has no bytes here.
    expect((await h.request(members.coder, 'GET', `${base}/items/${item.id}/attachments/${links[0]!.id}`)).status).toBe(409);

    // An uploaded file stays through re-imports; the same file changes nothing; a new cell replaces the links.
    await upload(members.editor, 'mine.png', PNG, { itemBase: `${base}/items/${item.id}` });
    expect((await json<{ unchanged: number }>(await importCsv(csv(cell)))).unchanged).toBe(1);
    expect(await list(members.coder, h, `${base}/items/${item.id}`)).toHaveLength(3);
    expect((await json<{ updated: number }>(await importCsv(csv('new.png (https://dl.airtable.com/y/new.png)')))).updated).toBe(1);
    expect((await list(members.coder, h, `${base}/items/${item.id}`)).map((l) => l.name)).toEqual(['mine.png', 'new.png']);
  });

  it('fails the row of a cell that is neither, and imports nothing', async () => {
    const res = await importCsv('Record ID,Title,Attachments\nrecATT2,Bad cell,javascript:alert(1)\n');
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.details?.[0]).toMatchObject({ row: 1, column: 'Attachments' });
    expect(await itemByExternalId('recATT2')).toBeUndefined();
  });
});
