/**
 * Where an attachment's bytes live: in its database row (`data`, the default: backups and
 * restores carry them) or, with CONCORD_ATTACHMENTS_DIR, in a file named by the attachment's
 * id under that directory (`path`), so a large collection stays out of the database.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.ts';

export interface AttachmentSettings {
  /** The directory for the bytes; null keeps them in the database. */
  dir: string | null;
  /** Largest file accepted (413 above). */
  maxBytes: number;
}

/** Writes the bytes under `dir` as `<id>`, whole or not at all (a temporary name, then a rename). */
export async function writeAttachmentFile(dir: string, id: string, bytes: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, id);
  await writeFile(`${file}.part`, bytes);
  await rename(`${file}.part`, file);
  return id;
}

/** A stored row's bytes, from the row or from its file. */
export async function readAttachmentBytes(settings: AttachmentSettings, row: { id: string; data: Uint8Array | null; path: string | null }): Promise<Uint8Array> {
  if (row.data) return row.data;
  if (!settings.dir) throw new AppError('INTERNAL', `attachment ${row.id} is stored in a directory, but CONCORD_ATTACHMENTS_DIR is not set`);
  return readFile(path.join(settings.dir, path.basename(row.path!)));
}

/**
 * Removes the files of deleted rows, after their transaction committed (a rollback keeps
 * them). A file that cannot be removed is only logged: the row is gone, nothing points at it.
 */
export async function removeAttachmentFiles(settings: AttachmentSettings, paths: readonly string[], log: (err: unknown, file: string) => void): Promise<void> {
  if (!settings.dir) return;
  for (const p of paths) {
    const file = path.join(settings.dir, path.basename(p));
    await rm(file, { force: true }).catch((err: unknown) => log(err, file));
  }
}

/** Collects a streamed upload, refusing it (413) as soon as it passes the limit. */
export async function collectBytes(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
