/**
 * The database factory. Each driver (PGlite or postgres.js, with its drizzle adapter) is
 * imported when a database of its kind is opened, not when this module loads: a server on
 * PostgreSQL never holds PGlite's JavaScript, and one on PGlite no postgres.js (the server's
 * memory at start, bench/README.md "Memory at start").
 */
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** Either driver's drizzle instance: services are written once against this type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
  /**
   * Holds a database-wide lock until the returned release is called: processes starting
   * together on one PostgreSQL database migrate one after the other (the migrator reads the
   * applied level outside its transaction, so two at once would both apply). PGlite has
   * one process: a no-op.
   */
  exclusive(): Promise<() => Promise<void>>;
}

/** pg_advisory_lock key of the migrations ("concord" as a 32-bit number). */
const MIGRATION_LOCK_KEY = 0x636f6e63;

export type DbOptions =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  /**
   * `dataDir` is a directory path, or `memory://` for a throwaway database. `loadDataDir`
   * starts an empty `dataDir` from a `dumpDataDir()` tarball instead of running initdb
   * (test databases start from a migrated template: initdb alone takes seconds).
   */
  | {
      kind: 'pglite';
      dataDir: string;
      loadDataDir?: Blob;
      /** Extra initdb arguments for a new, empty `dataDir` (the test template's smaller WAL segments, testing.ts). */
      initdbArgs?: string[];
    };

/**
 * PGlite's server settings beyond its defaults. Its shared memory is touched whole when it
 * starts (RSS 333 MB just opened with PostgreSQL's default 128 MB of buffers, 214 MB with 16 MB),
 * and its files are read through the operating system's page cache anyway, so a small buffer
 * pool costs a system call per page read, not a disk read. WAL buffers stay at what 128 MB gave.
 *
 * Tables grow by writing zeros, not by posix_fallocate: PostgreSQL 18 extends a table by many
 * pages at once (COPY, bulk inserts) with fallocate, which PGlite's in-memory file system serves
 * by copying the whole file into a new buffer of the exact new size, each time, so a growing
 * table costs the square of its size (29 % of the 100,000-row import test's CPU). A write past
 * the end grows the buffer by doubling instead. Either way the pages are zeros, and PostgreSQL
 * 15 and older always wrote them (bench/README.md, "Test suite, 2026-12-07 evening").
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=32MB', '-c', 'wal_buffers=4MB', '-c', 'file_extend_method=write_zeros'];

/**
 * A PostgreSQL URL as postgres.js takes it. libpq's `?host=` (`postgres://user@localhost/db?host=/var/run/postgresql`:
 * a Unix socket directory, or a host name) becomes postgres.js's `host` option: postgres.js
 * itself sends every query parameter it does not know to the server as a setting, and the
 * server refuses the connection ("unrecognized configuration parameter host").
 */
export function postgresTarget(url: string): { url: string; host?: string } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host');
  if (host === null) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), host };
}

export async function createDb(options: DbOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
    const target = postgresTarget(options.url);
    const connect = (max: number) => postgres(target.url, { max, onnotice: () => {}, ...(target.host ? { host: target.host } : {}) });
    const client = connect(options.maxConnections ?? 10);
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    const exclusive = async () => {
      // Its own connection: a session lock must be taken and released on the same one, and
      // the pool may have a single connection, which the migrations need.
      const locker = connect(1);
      await locker`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      return async () => {
        await locker`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        await locker.end({ timeout: 5 });
      };
    };
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }), exclusive };
  }
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir, {
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    ...(options.initdbArgs ? { initDbStartParams: options.initdbArgs } : {}),
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', close: () => client.close(), exclusive: async () => async () => {} };
}
