/**
 * A restore's attachment files when something goes wrong (src/ops/restore.ts,
 * restored-files.ts), on PGlite and on PostgreSQL: a failure before the commit leaves none of
 * its `.restoring` files; a rename that fails after the commit keeps the file, names it, and
 * the next restore or server start moves it into place; files no row names with their SHA-256
 * are removed. Failures come from real file-system obstacles: a directory in the way.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { attachments, docUpdates } from '@concord/db';
import { itemDocName } from '@concord/shared';
import { createTestDb, type TestDatabase } from '@concord/db/testing';
import type { Attachment } from '@concord/shared';
import { backupDatabase } from '../src/ops/backup.ts';
import { restoreDatabase } from '../src/ops/restore.ts';
import { PENDING, renameWithRetry, RestoredFilesError, settleRestoredFiles } from '../src/ops/restored-files.ts';
import { prepareInstance } from '../src/instance.ts';
import { appendDocUpdates, loadDocUpdates } from '../src/services/collab/store.ts';
import { createHarness, createProjectFixture, json, signUpTeam, type Harness } from './harness.ts';

const BYTES = [new TextEncoder().encode('first attachment'), new TextEncoder().encode('second attachment, a little longer')];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let work: string;
let source: Harness;
let target: TestDatabase;
let backup: string;
/** The attachments' ids (their file names), in upload order, and their bytes by id. */
const ids: string[] = [];
const bytesOf = new Map<string, Uint8Array>();

const attachmentCount = async () => (await target.db.select({ id: attachments.id }).from(attachments)).length;
/** A fresh attachments directory for one restore. */
const freshDir = async (name: string) => {
  const dir = path.join(work, name);
  await mkdir(dir, { recursive: true });
  return dir;
};

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'concord-restore-files-'));
  const sourceDir = path.join(work, 'source');
  source = await createHarness({ attachments: { dir: sourceDir, maxBytes: 1 << 20 } });
  const team = await signUpTeam(source);
  const f = await createProjectFixture(source, team);
  for (const [i, bytes] of BYTES.entries()) {
    const res = await source.app.request(`/api/projects/${f.projectId}/items/${f.itemId}/attachments?name=a${i}.txt`, {
      method: 'POST',
      headers: { cookie: team.editor.cookie, 'content-type': 'text/plain' },
      body: bytes,
    });
    const a = await json<Attachment>(res);
    ids.push(a.id);
    bytesOf.set(a.id, bytes);
  }
  backup = path.join(work, 'files.backup');
  const header = await backupDatabase(source.deps.database, backup, { attachmentsDir: sourceDir });
  expect(header.files?.count).toBe(2);
  target = await createTestDb();
}, 180_000);

afterAll(async () => {
  await source?.close();
  await target?.close();
  await rm(work, { recursive: true, force: true });
});

describe('restored attachment files', () => {
  it('a failure before the commit removes every file it wrote and leaves the target as it was', async () => {
    // Each file's pending name blocked in turn: when the second is blocked, the first was written before the failure.
    for (const blocked of ids) {
      const dir = await freshDir(`before-commit-${blocked}`);
      await mkdir(path.join(dir, `${blocked}${PENDING}`, 'in-the-way'), { recursive: true });
      await expect(restoreDatabase(target, backup, { force: true, attachmentsDir: dir })).rejects.toThrow(/EISDIR|illegal operation on a directory/);
      expect(await readdir(dir)).toEqual([`${blocked}${PENDING}`]); // only the obstacle, a directory
      expect(await attachmentCount()).toBe(0);
    }
  });

  it('a rename that fails after the commit keeps the file, names it, and the next start puts it in place', async () => {
    const dir = await freshDir('after-commit');
    const [stuck, other] = ids as [string, string];
    await mkdir(path.join(dir, stuck, 'in-the-way'), { recursive: true });
    // What a restore killed before its commit left: no row names it with these bytes.
    await writeFile(path.join(dir, `att_never_committed${PENDING}`), 'half a file');

    const failure = await restoreDatabase(target, backup, { force: true, attachmentsDir: dir }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RestoredFilesError);
    expect((failure as RestoredFilesError).files.map((f) => f.file)).toEqual([path.join(dir, `${stuck}${PENDING}`)]);
    expect((failure as Error).message).toContain(`${stuck}${PENDING}`);
    expect(await attachmentCount()).toBe(2); // committed
    expect(await readFile(path.join(dir, other))).toEqual(Buffer.from(bytesOf.get(other)!));
    expect(await readFile(path.join(dir, `${stuck}${PENDING}`))).toEqual(Buffer.from(bytesOf.get(stuck)!));
    expect((await readdir(dir)).sort()).toEqual([other, stuck, `${stuck}${PENDING}`].sort()); // the stale one went before the restore

    // While the obstacle stays, a start says so and keeps the file.
    expect((await settleRestoredFiles(target.db, dir)).failed.map((f) => f.file)).toEqual([path.join(dir, `${stuck}${PENDING}`)]);
    expect(await readdir(dir)).toContain(`${stuck}${PENDING}`);

    // The operator clears the way; the server's start moves the file into place.
    await rm(path.join(dir, stuck), { recursive: true });
    await prepareInstance({ ...source.deps, config: { ...source.deps.config, attachments: { dir, maxBytes: 1 << 20 } }, database: target });
    expect((await readdir(dir)).sort()).toEqual([...ids].sort());
    expect(sha256(await readFile(path.join(dir, stuck)))).toBe(sha256(bytesOf.get(stuck)!));
  });

  it('a rename is retried: an obstacle gone by the next attempt does not fail it; one that stays does, after three', async () => {
    const dir = await freshDir('retry');
    const from = path.join(dir, `x${PENDING}`);
    await writeFile(from, 'bytes');
    await mkdir(path.join(dir, 'x', 'in-the-way'), { recursive: true });
    const waits: number[] = [];
    await renameWithRetry(from, path.join(dir, 'x'), async (attempt) => {
      waits.push(attempt);
      await rm(path.join(dir, 'x'), { recursive: true });
    });
    expect(waits).toEqual([1]);
    expect(await readFile(path.join(dir, 'x'), 'utf8')).toBe('bytes');

    await writeFile(from, 'bytes');
    await rm(path.join(dir, 'x'));
    await mkdir(path.join(dir, 'x', 'in-the-way'), { recursive: true });
    waits.length = 0;
    await expect(renameWithRetry(from, path.join(dir, 'x'), async (attempt) => void waits.push(attempt))).rejects.toThrow();
    expect(waits).toEqual([1, 2]);
  });

  it('settling keeps only files whose row names them with their SHA-256', async () => {
    const dir = await freshDir('settle');
    const [wrong, right] = ids as [string, string];
    await writeFile(path.join(dir, `${wrong}${PENDING}`), 'not the bytes the row was restored with');
    await writeFile(path.join(dir, `${right}${PENDING}`), bytesOf.get(right)!);
    await writeFile(path.join(dir, `att_unknown${PENDING}`), 'no row at all');
    await mkdir(path.join(dir, `att_directory${PENDING}`)); // not a file: not ours
    const settled = await settleRestoredFiles(target.db, dir);
    expect(settled).toEqual({ placed: [right], removed: expect.arrayContaining([`${wrong}${PENDING}`, `att_unknown${PENDING}`]) as string[], failed: [] });
    expect(settled.removed).toHaveLength(2);
    expect((await readdir(dir)).sort()).toEqual([`att_directory${PENDING}`, right].sort());
    expect(await readFile(path.join(dir, right))).toEqual(Buffer.from(bytesOf.get(right)!));
    // A directory that does not exist holds nothing to settle.
    expect(await settleRestoredFiles(target.db, path.join(work, 'missing'))).toEqual({ placed: [], removed: [], failed: [] });
  });
});

describe('bytes kept in the database', () => {
  // A harness, a second database, sign-ups, a backup and a restore: minutes on a loaded machine.
  it('round-trips attachment bytes stored in their rows and a live document log not yet compacted, byte for byte; new rows follow the restored ids', { timeout: 300_000 }, async () => {
    const inRows = await createHarness();
    const restored = await createTestDb();
    try {
      const team = await signUpTeam(inRows);
      const f = await createProjectFixture(inRows, team);
      // A PNG signature (uploads are sniffed), then every byte value: an escaping or encoding slip in the JSON lines shows.
      const binary = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...Array.from({ length: 1024 }, (_, i) => i % 256)]);
      const res = await inRows.app.request(`/api/projects/${f.projectId}/items/${f.itemId}/attachments?name=all-bytes.png`, {
        method: 'POST',
        headers: { cookie: team.editor.cookie, 'content-type': 'image/png' },
        body: binary,
      });
      expect(res.status).toBe(201);
      const attachment = await json<Attachment>(res);
      // Two log rows of an item document, as a room appends them before it unloads (no snapshot yet).
      const docName = itemDocName(f.itemId);
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      doc.getText('memo').insert(0, 'logged, not compacted');
      doc.getText('memo').insert(0, 'Ж ');
      await appendDocUpdates({ ctx: { db: inRows.deps.database.db }, input: { docName, itemId: f.itemId, updates } });

      const file = path.join(work, 'in-rows.backup');
      const header = await backupDatabase(inRows.deps.database, file);
      expect(header.files).toBeUndefined();
      expect(header.tables.find((t) => t.name === 'doc_updates')?.rows).toBe(2);
      expect(header.tables.find((t) => t.name === 'attachments')?.rows).toBe(1);
      await restoreDatabase(restored, file, { force: true });

      const [row] = await restored.db.select({ data: attachments.data, path: attachments.path, sha256: attachments.sha256 }).from(attachments).where(eq(attachments.id, attachment.id));
      expect(row?.path).toBeNull();
      expect(Buffer.from(row!.data!).equals(Buffer.from(binary))).toBe(true);
      expect(row?.sha256).toBe(sha256(binary));
      const log = await loadDocUpdates({ ctx: { db: restored.db }, docName });
      expect(log.tailCount).toBe(2);
      expect(log.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(updates.map((u) => Buffer.from(u).toString('hex')));
      const reloaded = new Y.Doc();
      for (const u of log.updates) Y.applyUpdate(reloaded, u);
      expect(reloaded.getText('memo').toString()).toBe('Ж logged, not compacted');

      // The id sequences were moved past the restored rows: the next append gets a new id.
      const before = (await restored.db.select({ id: docUpdates.id }).from(docUpdates)).map((r) => r.id);
      await appendDocUpdates({ ctx: { db: restored.db }, input: { docName, itemId: f.itemId, updates: [Y.encodeStateAsUpdate(new Y.Doc())] } });
      const after = (await restored.db.select({ id: docUpdates.id }).from(docUpdates)).map((r) => r.id);
      expect(after).toHaveLength(3);
      expect(Math.min(...after.filter((id) => !before.includes(id)))).toBeGreaterThan(Math.max(...before));
    } finally {
      await inRows.close();
      await restored.close();
    }
  });
});
