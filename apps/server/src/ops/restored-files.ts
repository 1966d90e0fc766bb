/**
 * Attachment files a restore writes beside their final names (`<name>.restoring`, see
 * restore.ts) until its transaction commits, then renames. What may be left under that suffix:
 * - files of a restore that did not commit and could not clean up (its process was killed):
 *   no attachment row names them with their bytes' SHA-256, so they are removed;
 * - files of a restore that committed but whose rename failed (something in the way, a
 *   permission): their row names them with the same SHA-256, so they are the restored data
 *   and take their names (never removed: the database already points at them).
 * `settleRestoredFiles` does that at every server start and before every restore, so a
 * restore the operator had to repair finishes without running it again.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@concord/db';

type Tx = Pick<Db, 'execute'>;

/** Suffix of an attachment file restored but not yet under its name. */
export const PENDING = '.restoring';

/** A rename is tried this many times, RETRY_MS apart (more each time): a lock held by a virus scanner or a backup tool passes. */
const RENAME_ATTEMPTS = 3;
const RETRY_MS = 200;

const pause = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, RETRY_MS * attempt));

/** Renames, retrying after `wait` (a pause; a test clears the obstacle there); the last error is thrown. */
export async function renameWithRetry(from: string, to: string, wait: (attempt: number) => Promise<void> = pause): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (err) {
      if (attempt >= RENAME_ATTEMPTS) throw err;
      await wait(attempt);
    }
  }
}

/** Restored files that could not take their names: the database is restored, the files are kept under PENDING. */
export class RestoredFilesError extends Error {
  constructor(readonly files: readonly { file: string; error: string }[]) {
    super(
      `the database is restored, but ${files.length} attachment file(s) could not take their names: ` +
        files.map((f) => `${f.file} (${f.error})`).join('; ') +
        `. They are kept: clear what is in the way, then start the server (or restore again), which moves them into place after checking their SHA-256.`,
    );
  }
}

export interface SettledFiles {
  /** Files of a committed restore, now under their names. */
  placed: string[];
  /** Files no row names with their bytes (a restore that did not commit), removed. */
  removed: string[];
  /** Files of a committed restore that still cannot take their names. */
  failed: { file: string; error: string }[];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Finishes or removes what earlier restores left under PENDING in `dir` (see the file's comment). */
export async function settleRestoredFiles(db: Tx, dir: string): Promise<SettledFiles> {
  const settled: SettledFiles = { placed: [], removed: [], failed: [] };
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  for (const name of names.filter((n) => n.endsWith(PENDING))) {
    const file = path.join(dir, name);
    // Only files are ours; a directory under that name is someone else's (left alone).
    if (!(await lstat(file).catch(() => null))?.isFile()) continue;
    const final = name.slice(0, -PENDING.length);
    const [row] = await queryRows<{ sha256: string | null }>(db, sql`select sha256 from attachments where path = ${final}`);
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) continue; // gone meanwhile (another process settled it)
    if (row?.sha256 && createHash('sha256').update(bytes).digest('hex') === row.sha256) {
      try {
        await renameWithRetry(file, path.join(dir, final));
        settled.placed.push(final);
      } catch (err) {
        settled.failed.push({ file, error: message(err) });
      }
    } else {
      await rm(file, { force: true });
      settled.removed.push(name);
    }
  }
  return settled;
}
