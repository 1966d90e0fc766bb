/**
 * Who has a PGlite data directory open. PGlite lives inside one process and nothing stops a
 * second one from opening the same files (it would corrupt them), so the server, `backup` and
 * `restore` each hold `concord.pid` in the directory while they use it. A file left by a
 * killed process names a pid that no longer runs and is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'concord.pid';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; role: string },
  ) {
    super(`the data directory ${dataDir} is in use by a running Concord ${holder.role} (pid ${holder.pid}): stop it first`);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the directory, or null (no lock file, or a stale one). */
export function dataDirHolder(dataDir: string): { pid: number; role: string } | null {
  let holder: { pid: number; role: string };
  try {
    holder = JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number; role: string };
  } catch {
    return null;
  }
  return Number.isInteger(holder.pid) && holder.pid !== process.pid && isRunning(holder.pid) ? holder : null;
}

/** Takes the directory for `role` (server, backup, restore); throws DataDirInUseError when another process has it. */
export function lockDataDir(dataDir: string, role: string): { release(): void } {
  const holder = dataDirHolder(dataDir);
  if (holder) throw new DataDirInUseError(dataDir, holder);
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, role, since: new Date().toISOString() }));
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Only our own: a process that took over a stale lock meanwhile keeps its file.
      if (dataDirHolder(dataDir) === null) rmSync(file, { force: true });
    },
  };
}
