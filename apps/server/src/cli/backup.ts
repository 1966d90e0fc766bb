/**
 * `concord backup FILE` and `concord restore FILE [--force]` on the configured database
 * (DATABASE_URL, else the PGlite CONCORD_DATA_DIR; on PGlite, with the server stopped).
 * Exit codes: 0 done; 1 refused (directory in use, target not empty) or failed; 2 bad input
 * (usage, a missing, damaged or incompatible backup file).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDb } from '@concord/db';
import { loadConfig, type Config } from '../config.ts';
import { BackupFileError, type BackupHeader } from '../ops/backup-file.ts';
import { backupDatabase } from '../ops/backup.ts';
import { DataDirInUseError, lockDataDir } from '../ops/data-dir-lock.ts';
import { restoreDatabase, TargetNotEmptyError, verifyBackupFile } from '../ops/restore.ts';

const USAGE = {
  backup: 'usage: pnpm concord backup FILE',
  restore: 'usage: pnpm concord restore FILE [--force]',
};

const where = (config: Config) => (config.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite at ${config.database.dataDir}`);
const rowCount = (header: BackupHeader) => header.tables.reduce((n, t) => n + t.rows, 0);

export async function runBackupCli(command: 'backup' | 'restore', argv: string[]): Promise<number> {
  const fail = (code: number, message: string) => {
    process.stderr.write(`concord ${command}: ${message}\n`);
    return code;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: command === 'restore' ? { force: { type: 'boolean', default: false } } : {} });
  } catch (err) {
    return fail(2, `${(err as Error).message}\n${USAGE[command]}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) return fail(2, USAGE[command]);
  if (command === 'restore' && !existsSync(file)) return fail(2, `no such file: ${file}`);

  const config = loadConfig();
  if (config.database.kind === 'pglite' && command === 'backup' && !existsSync(config.database.dataDir)) {
    return fail(2, `no PGlite data directory at ${config.database.dataDir} (set CONCORD_DATA_DIR or DATABASE_URL)`);
  }
  let lock: { release(): void } | null = null;
  try {
    // A bad file is reported before any database is opened (a fresh PGlite directory takes seconds to create).
    if (command === 'restore') await verifyBackupFile(file);
    // PGlite is one process's: the server must be stopped (the lock tells), and it cannot start meanwhile.
    if (config.database.kind === 'pglite') lock = lockDataDir(config.database.dataDir, command);
    const database = await createDb(config.database);
    try {
      if (command === 'backup') {
        const header = await backupDatabase(database, file, { attachmentsDir: config.attachments.dir });
        const files = header.files ? ` and ${header.files.count} attachment file(s) of ${config.attachments.dir}` : '';
        process.stdout.write(`backed up ${rowCount(header)} rows of ${header.tables.length} tables${files} at migration ${header.migration.tag} from ${where(config)} to ${file}\n`);
      } else {
        const { header, earlier } = await restoreDatabase(database, file, { force: parsed.values.force === true, attachmentsDir: config.attachments.dir });
        if (earlier?.placed.length || earlier?.removed.length) {
          process.stdout.write(`an earlier restore's files: ${earlier.placed.length} moved into place, ${earlier.removed.length} not committed and removed\n`);
        }
        process.stdout.write(
          `restored ${rowCount(header)} rows of ${header.tables.length} tables${header.files ? ` and ${header.files.count} attachment file(s)` : ''} (taken ${header.createdAt} on ${header.source} at migration ${header.migration.tag}) into ${where(config)}\n`,
        );
      }
      return 0;
    } finally {
      await database.close();
    }
  } catch (err) {
    if (err instanceof BackupFileError) return fail(2, `${file}: ${err.message}`);
    if (err instanceof DataDirInUseError) return fail(1, `${err.message} (PGlite backups and restores run while the server is stopped)`);
    if (err instanceof TargetNotEmptyError) return fail(1, err.message);
    return fail(1, err instanceof Error ? err.message : String(err));
  } finally {
    lock?.release();
  }
}
