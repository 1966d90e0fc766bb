/**
 * The backup file: gzip'd JSON lines, the same for PGlite and PostgreSQL.
 *
 *   line 1      header  {format: "concord-backup", version, createdAt, source, migration, tables: [{name, columns, rows}]}
 *   then        each table's rows in header order, one JSON object per line (PostgreSQL's
 *               row_to_json: timestamps with offset, bytea as "\x…" hex, jsonb nested)
 *   then        (version 2, `files` in the header) each attachment file of CONCORD_ATTACHMENTS_DIR:
 *               {attachment: id, sha256, size, parts}, then `parts` lines {data: base64} of at most
 *               FILE_PART_BYTES each
 *   last line   {end: true, sha256}: SHA-256 of every byte before it (uncompressed)
 *
 * Row counts come from the header, so a reader knows where each table ends; the end record
 * tells a complete file from a truncated one, its checksum a whole one from a damaged one.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';

export const BACKUP_FORMAT = 'concord-backup';
/** Version 1 has no attachment files; a backup holding some is version 2 (older Concords refuse it rather than miss them). */
export const BACKUP_VERSION = 1;
export const BACKUP_VERSION_WITH_FILES = 2;
/** Bytes of an attachment file per line (base64 makes a third more). */
export const FILE_PART_BYTES = 1 << 20;

export interface BackupTable {
  name: string;
  columns: string[];
  rows: number;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: 'pglite' | 'postgres';
  /** The latest migration applied to the database the backup was taken from. */
  migration: { tag: string; createdAt: number; hash: string };
  tables: BackupTable[];
  /** Attachment files stored in a directory (CONCORD_ATTACHMENTS_DIR), carried after the rows. */
  files?: { count: number; bytes: number };
}

/** An attachment file read back from a backup, its bytes checked against the SHA-256 recorded with them. */
export interface BackupAttachmentFile {
  id: string;
  sha256: string;
  bytes: Buffer;
}

/** A file that is not a whole, valid backup (exit code 2). */
export class BackupFileError extends Error {}

export interface BackupWriter {
  /** Writes one line (no newline in it); resolves when the stream can take more. */
  line(text: string): Promise<void>;
  /** Writes the end record and closes the file. */
  finish(): Promise<void>;
}

/**
 * The file holds password, session and token hashes and every coded value (SECURITY.md,
 * Operations): created for its owner only (0600, whatever the umask lets through beyond that)
 * and exclusively, so nothing already at the path (a planted symlink) is followed or reused.
 */
export const BACKUP_FILE_MODE = 0o600;

export function writeBackupFile(file: string): BackupWriter {
  const gzip = createGzip();
  const out = createWriteStream(file, { flags: 'wx', mode: BACKUP_FILE_MODE });
  gzip.pipe(out);
  const hash = createHash('sha256');
  const failed = new Promise<never>((_, reject) => {
    gzip.once('error', reject);
    out.once('error', reject);
  });
  failed.catch(() => {});
  const write = async (text: string, hashed: boolean) => {
    const data = `${text}\n`;
    if (hashed) hash.update(data);
    if (!gzip.write(data)) await Promise.race([once(gzip, 'drain'), failed]);
  };
  return {
    line: (text) => write(text, true),
    async finish() {
      await write(JSON.stringify({ end: true, sha256: hash.digest('hex') }), false);
      gzip.end();
      await Promise.race([once(out, 'close'), failed]);
    },
  };
}

function parseHeader(text: string | undefined): BackupHeader {
  let header: BackupHeader;
  try {
    header = JSON.parse(text ?? '') as BackupHeader;
  } catch {
    throw new BackupFileError('not a Concord backup: the first line is not a JSON header');
  }
  if (header?.format !== BACKUP_FORMAT) throw new BackupFileError('not a Concord backup: the header does not name the concord-backup format');
  if (header.version !== BACKUP_VERSION && header.version !== BACKUP_VERSION_WITH_FILES) {
    throw new BackupFileError(`backup format version ${String(header.version)} is not supported (this Concord reads versions ${BACKUP_VERSION} and ${BACKUP_VERSION_WITH_FILES})`);
  }
  const files = header.files;
  if (files !== undefined && !(Number.isInteger(files?.count) && files.count >= 0 && Number.isInteger(files.bytes))) throw new BackupFileError('the backup header is malformed (files)');
  const tablesOk =
    Array.isArray(header.tables) &&
    header.tables.every((t) => typeof t.name === 'string' && Array.isArray(t.columns) && t.columns.every((c) => typeof c === 'string') && Number.isInteger(t.rows) && t.rows >= 0);
  if (!tablesOk || typeof header.migration?.createdAt !== 'number' || typeof header.migration.tag !== 'string') {
    throw new BackupFileError('the backup header is malformed (tables or migration)');
  }
  return header;
}

export interface BackupReader {
  header: BackupHeader;
  /** Each table's rows (JSON object text) in header order, in chunks; then, without files, checks the end record and checksum. */
  tables(): AsyncGenerator<{ table: BackupTable; rows: string[] }>;
  /** After `tables()`: the attachment files, each checked against its SHA-256; then the end record and checksum. */
  files(): AsyncGenerator<BackupAttachmentFile>;
  close(): void;
}

/** Opens a backup and reads its header; bad gzip data, a truncated file or a checksum mismatch throw BackupFileError. */
export async function readBackupFile(file: string, chunkRows = 500): Promise<BackupReader> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  let streamError: Error | null = null;
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  const onError = (err: Error) => {
    streamError = err;
    lines.close();
  };
  input.once('error', onError);
  gunzip.once('error', onError);
  const iterator = lines[Symbol.asyncIterator]();
  const hash: Hash = createHash('sha256');
  let lineNo = 0;
  const next = async (): Promise<string | undefined> => {
    let result: IteratorResult<string>;
    try {
      result = await iterator.next();
    } catch (err) {
      // readline passes the gunzip stream's error on to its iterator.
      throw gzipError(err as Error);
    }
    const { value, done } = result;
    if (streamError) throw gzipError(streamError);
    if (done) return undefined;
    lineNo++;
    return value as string;
  };
  const hashed = (text: string) => {
    hash.update(`${text}\n`);
    return text;
  };
  const first = await next();
  const header = parseHeader(first === undefined ? undefined : hashed(first));

  async function* tables(): AsyncGenerator<{ table: BackupTable; rows: string[] }> {
    for (const table of header.tables) {
      let rows: string[] = [];
      for (let i = 0; i < table.rows; i++) {
        const line = await next();
        if (line === undefined) throw new BackupFileError(`truncated: the file ends in table ${table.name} after ${i} of its ${table.rows} rows`);
        if (!line.startsWith('{')) throw new BackupFileError(`line ${lineNo}: not a row of table ${table.name}`);
        rows.push(hashed(line));
        if (rows.length === chunkRows) {
          yield { table, rows };
          rows = [];
        }
      }
      yield { table, rows };
    }
    if (!header.files?.count) await end();
  }

  async function* files(): AsyncGenerator<BackupAttachmentFile> {
    const count = header.files?.count ?? 0;
    // Without files, tables() has read the end record already.
    if (count === 0) return;
    for (let n = 0; n < count; n++) {
      const head = await record(`attachment file ${n + 1} of ${count}`);
      const { attachment: id, sha256, size, parts } = head as { attachment?: unknown; sha256?: unknown; size?: unknown; parts?: unknown };
      if (typeof id !== 'string' || typeof sha256 !== 'string' || !Number.isInteger(size) || !Number.isInteger(parts)) throw new BackupFileError(`line ${lineNo}: not an attachment file record`);
      const chunks: Buffer[] = [];
      for (let p = 0; p < (parts as number); p++) {
        const { data } = (await record(`attachment file ${id}`)) as { data?: unknown };
        if (typeof data !== 'string') throw new BackupFileError(`line ${lineNo}: not a part of attachment file ${id}`);
        chunks.push(Buffer.from(data, 'base64'));
      }
      const bytes = Buffer.concat(chunks);
      if (bytes.length !== size || createHash('sha256').update(bytes).digest('hex') !== sha256) throw new BackupFileError(`attachment file ${id}: its bytes do not match the SHA-256 recorded with them`);
      yield { id, sha256, bytes };
    }
    await end();
  }

  /** The next line as a JSON record of the files section (hashed). */
  async function record(what: string): Promise<unknown> {
    const line = await next();
    if (line === undefined) throw new BackupFileError(`truncated: the file ends in ${what}`);
    try {
      return JSON.parse(hashed(line)) as unknown;
    } catch {
      throw new BackupFileError(`line ${lineNo}: not a record of ${what}`);
    }
  }

  async function end(): Promise<void> {
    const last = await next();
    if (last === undefined) throw new BackupFileError('truncated: the file ends before its end record');
    let tail: { end?: boolean; sha256?: string };
    try {
      tail = JSON.parse(last) as typeof tail;
    } catch {
      throw new BackupFileError(`line ${lineNo}: expected the end record, found something else (the row counts do not match the header)`);
    }
    if (tail.end !== true) throw new BackupFileError(`line ${lineNo}: expected the end record, found a row (the row counts do not match the header)`);
    if (tail.sha256 !== hash.digest('hex')) throw new BackupFileError('checksum mismatch: the file was changed or damaged');
    if ((await next()) !== undefined) throw new BackupFileError(`line ${lineNo}: data after the end record`);
  }

  return { header, tables, files, close: () => lines.close() };
}

function gzipError(err: Error): BackupFileError | Error {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') return new BackupFileError(err.message);
  if (code.startsWith('Z_') || /unexpected end of file|incorrect header check|invalid/.test(err.message)) {
    return new BackupFileError(`corrupt or truncated gzip data: ${err.message}`);
  }
  return err;
}
