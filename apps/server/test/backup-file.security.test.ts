/**
 * A backup holds password hashes, session and token hashes and every coded value (SECURITY.md,
 * Operations): the file `concord backup` writes is readable by its owner only (mode 0600),
 * whatever the umask, and so is the `.partial` file it writes first. A file already at that
 * path (an older backup, world-readable) is replaced by one that is not; a symlink planted at
 * the `.partial` path is not followed. On PGlite and on PostgreSQL.
 */
import { lstat, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/ops/backup.ts';
import { createHarness, createProjectFixture, signUpTeam, type Harness } from './harness.ts';

let work: string;
let h: Harness;
let umask: number;

beforeAll(async () => {
  // A permissive umask, as on many servers: the backup must not depend on it.
  umask = process.umask(0o022);
  work = await mkdtemp(path.join(tmpdir(), 'concord-backup-mode-'));
  h = await createHarness();
  await createProjectFixture(h, await signUpTeam(h));
});

afterAll(async () => {
  process.umask(umask);
  await h?.close();
  await rm(work, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('the backup file', () => {
  it('is readable and writable by its owner only', async () => {
    const file = path.join(work, 'fresh.backup');
    await backupDatabase(h.deps.database, file);
    expect((await modeOf(file)).toString(8)).toBe('600');
  });

  it('replaces a world-readable file at its path with an owner-only one', async () => {
    const file = path.join(work, 'existing.backup');
    await writeFile(file, 'an older backup', { mode: 0o644 });
    await backupDatabase(h.deps.database, file);
    expect((await modeOf(file)).toString(8)).toBe('600');
  });

  it('does not write through a symlink planted at its .partial path', async () => {
    const file = path.join(work, 'planted.backup');
    const elsewhere = path.join(work, 'elsewhere.txt');
    await writeFile(elsewhere, 'not a backup', { mode: 0o644 });
    await symlink(elsewhere, `${file}.partial`);
    await backupDatabase(h.deps.database, file);
    // (compared as a boolean: a failure would print the gzip'd backup otherwise)
    expect((await readFile(elsewhere, 'utf8')) === 'not a backup').toBe(true);
    expect((await lstat(file)).isFile()).toBe(true);
    expect((await modeOf(file)).toString(8)).toBe('600');
  });
});
