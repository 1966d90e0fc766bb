/**
 * Test databases: PGlite in memory by default; with CONCORD_TEST_TARGET=postgres (the
 * `test:pg` scripts) a fresh, uniquely named database on TEST_DATABASE_URL, dropped on
 * close. Either way the database holds the real migrations, so tests see the production schema.
 *
 * Each test database is a copy of a migrated template instead of a fresh initdb + migrate:
 * a PGlite initdb takes seconds (7 s on the loaded 2-core machine) and was the largest fixed
 * cost of every test file. The templates are keyed by a hash of the migration files (and the
 * PGlite version), so a changed or added migration makes a new template:
 * - PGlite: a `dumpDataDir()` tarball in the OS temp dir, loaded with `loadDataDir`.
 * - PostgreSQL: a database `concord_tpl_<hash>` on TEST_DATABASE_URL, copied by
 *   `CREATE DATABASE … TEMPLATE`, built once under an advisory lock (lanes and developers
 *   share the server).
 *
 * A file that needs more than the schema (the demo study, seeded through live documents: 8 s of
 * CPU) passes a `TestSeed`: the seeded database is built once per test process on top of the
 * migrated template and copied the same way. It is not kept across runs (the seed's code may
 * change without a migration): PGlite keeps its tarball in memory; PostgreSQL names the seeded
 * template after the process (`concord_seed_<name>_<pid>`), and a later build drops those of
 * processes that no longer run.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { createDb, type Database } from './client.ts';
import { migrate, MIGRATIONS_DIR } from './migrate.ts';

export interface TestDatabase extends Database {
  /** Human-readable target for test titles: "pglite" or "postgres". */
  label: string;
  /** Options that reopen the same database (for restart tests). */
  reopen(): Promise<Database>;
}

function resolveTestDatabaseUrl(env: Record<string, string | undefined>): string | undefined {
  if (env.CONCORD_TEST_TARGET !== 'postgres') return undefined;
  if (env.TEST_DATABASE_URL) return env.TEST_DATABASE_URL;
  if (env.CI === 'true') throw new Error('CONCORD_TEST_TARGET=postgres needs TEST_DATABASE_URL (CI must run the PostgreSQL lane)');
  console.warn('\n\n*** TEST_DATABASE_URL is not set: the PostgreSQL lane runs on PGlite instead. Set it to test on PostgreSQL. ***\n\n');
  return undefined;
}

// eslint-disable-next-line no-restricted-properties -- test harness: the one env read outside config.ts
export const testDatabaseUrl: string | undefined = resolveTestDatabaseUrl(process.env);

/** Identifies the schema a template holds: every migration file, and the PGlite build that wrote it. */
function templateKey(): string {
  const hash = createHash('sha256');
  for (const dir of [MIGRATIONS_DIR, path.join(MIGRATIONS_DIR, 'meta')]) {
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(sql|json)$/.test(name)) continue;
      hash.update(`${name}\0`).update(readFileSync(path.join(dir, name))).update('\0');
    }
  }
  const pglitePackage = path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json');
  hash.update((JSON.parse(readFileSync(pglitePackage, 'utf8')) as { version: string }).version);
  hash.update(PGLITE_TEMPLATE_INITDB_ARGS.join(' '));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The PGlite template's WAL segments are 1 MB instead of 16: every test database unpacks the
 * template's tarball, which is a quarter smaller (42 → 33 MB) and boots about 0.1 s of CPU faster
 * (0.51-0.59 s instead of 0.63-0.71 s, bench/README.md). WAL segment size changes nothing a test sees.
 */
const PGLITE_TEMPLATE_INITDB_ARGS = ['--wal-segsize=1'];

let pgliteTemplate: Promise<Blob> | null = null;

/** The migrated PGlite tarball: read from the temp dir, or made there (by whichever process gets there first). */
function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = path.join(tmpdir(), `concord-pglite-template-${templateKey()}.tar`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      const database = await createDb({ kind: 'pglite', dataDir: 'memory://', initdbArgs: PGLITE_TEMPLATE_INITDB_ARGS });
      await migrate(database);
      const client = (database.db as unknown as { $client: PGlite }).$client;
      const tarball = await client.dumpDataDir('none');
      await database.close();
      // Written aside and renamed: a concurrent reader never sees half a file.
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()));
      await rename(partial, file);
      return tarball;
    }
  })();
  return pgliteTemplate;
}

/**
 * Runs `statement`, again while PostgreSQL answers 55006 (object_in_use): renaming or copying
 * a database needs it unused, and a just-closed connection's backend may still be exiting.
 */
async function whenUnused(statement: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await statement();
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt === 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The migrated PostgreSQL template database's name, made on first use. */
async function migratedPostgresTemplate(admin: postgres.Sql, baseUrl: string): Promise<string> {
  const name = `concord_tpl_${templateKey()}`;
  const [{ exists }] = (await admin`select exists(select 1 from pg_database where datname = ${name}) as exists`) as unknown as [{ exists: boolean }];
  if (exists) return name;
  // One builder at a time across processes; the others wait, then find it.
  await admin`select pg_advisory_lock(hashtext(${name}))`;
  try {
    const [again] = (await admin`select exists(select 1 from pg_database where datname = ${name}) as exists`) as unknown as [{ exists: boolean }];
    if (again!.exists) return name;
    // Built under another name and renamed when complete, so a crash never leaves a half-migrated template.
    const building = `${name}_building`;
    await admin.unsafe(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${building}"`);
    const url = new URL(baseUrl);
    url.pathname = `/${building}`;
    const database = await createDb({ kind: 'postgres', url: url.toString(), maxConnections: 1 });
    await migrate(database);
    await database.close();
    await whenUnused(() => admin.unsafe(`ALTER DATABASE "${building}" RENAME TO "${name}"`));
    return name;
  } finally {
    await admin`select pg_advisory_unlock(hashtext(${name}))`;
  }
}

/** Data a test database starts with beyond the schema, built once per test process and copied. */
export interface TestSeed {
  /** Names the seeded template: one build per name and process. */
  name: string;
  /** Writes the data into a migrated database (left open: the caller copies and closes it). */
  build(database: Database): Promise<void>;
}

const pgliteSeeds = new Map<string, Promise<Blob>>();

/** The seed's PGlite tarball: the migrated template, seeded, dumped; once per process. */
function seededPgliteTemplate(seed: TestSeed): Promise<Blob> {
  let tarball = pgliteSeeds.get(seed.name);
  if (!tarball) {
    tarball = (async () => {
      const database = await createDb({ kind: 'pglite', dataDir: 'memory://', loadDataDir: await migratedPgliteTemplate() });
      try {
        await seed.build(database);
        return await (database.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
      } finally {
        await database.close();
      }
    })();
    pgliteSeeds.set(seed.name, tarball);
  }
  return tarball;
}

const postgresSeeds = new Map<string, Promise<string>>();

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
};

/** The seed's PostgreSQL template database, built by this process on first use. */
function seededPostgresTemplate(admin: postgres.Sql, baseUrl: string, migrated: string, seed: TestSeed): Promise<string> {
  let template = postgresSeeds.get(seed.name);
  if (!template) {
    template = (async () => {
      const prefix = `concord_seed_${seed.name.replace(/\W/g, '_')}_`;
      const stale = (await admin`select datname from pg_database where datname like ${`${prefix}%`}`) as unknown as { datname: string }[];
      for (const { datname } of stale) {
        const pid = datname.slice(prefix.length);
        if (/^\d+$/.test(pid) && !isRunning(Number(pid))) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      const name = `${prefix}${process.pid}`;
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await whenUnused(() => admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${migrated}"`));
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      const database = await createDb({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
      try {
        await seed.build(database);
      } finally {
        await database.close();
      }
      return name;
    })();
    postgresSeeds.set(seed.name, template);
  }
  return template;
}

const TEST_DATABASE_PREFIX = 'concord_test_';

/** The process that made a test database, from its name (`concord_test_<pid>_<random>`). */
const ownerPid = (name: string): number | null => {
  const match = /^concord_test_(\d+)_/.exec(name);
  return match ? Number(match[1]) : null;
};

/**
 * Drops the test databases of processes that no longer run: those whose drop had not finished
 * when their process ended (drops run in the background, below), and spares never taken.
 * `createTestDb` calls it once per process; a run's global teardown may call it at the end.
 */
export async function dropLeftoverTestDatabases(url: string | undefined = testDatabaseUrl): Promise<void> {
  if (!url) return;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = (await admin`select datname from pg_database where datname like ${`${TEST_DATABASE_PREFIX}%`}`) as unknown as { datname: string }[];
    for (const { datname } of rows) {
      const pid = ownerPid(datname);
      if (pid !== null && pid !== process.pid && !isRunning(pid)) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

let leftoversDropped: Promise<void> | null = null;

/** A new database copied from `template`, named after this process. */
async function copyTemplate(template: string): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
  try {
    await whenUnused(() => admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
    // A commit returns before its WAL reaches the disk. What a test can observe is unchanged:
    // a committed transaction is visible to every session at once; only a crash of PostgreSQL
    // itself could lose the last commits, and no test crashes it (they kill Concord's
    // processes). It spares each of the suite's many small commits an fsync.
    await admin.unsafe(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  return name;
}

/**
 * One copy of each template made ahead, while the test that took the previous one runs: a
 * CREATE DATABASE waits on the disk (0.5-0.9 s on the loaded host), and test files open their
 * databases one after another.
 */
const spares = new Map<string, Promise<string>>();

async function takeCopy(template: string): Promise<string> {
  const spare = spares.get(template);
  spares.delete(template);
  let name: string;
  try {
    name = spare ? await spare : await copyTemplate(template);
  } catch {
    name = await copyTemplate(template);
  }
  const next = copyTemplate(template);
  next.catch(() => {}); // taken (and retried) by the next call, or dropped as a leftover
  spares.set(template, next);
  return name;
}

/**
 * Drops running in the background: DROP DATABASE waits for a checkpoint (1.5-3 s on the loaded
 * host), which no test needs to wait for. One at a time, so they never pile up on the server.
 */
let drops: Promise<void> = Promise.resolve();

function dropLater(name: string): void {
  drops = drops.then(async () => {
    const dropper = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    try {
      await whenUnused(() => dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    } catch (err) {
      console.warn(`test database ${name} not dropped (a later run drops it): ${(err as Error).message}`);
    } finally {
      await dropper.end();
    }
  });
}

/** `seed`: start from a copy of that data instead of the empty schema (`TestSeed`). */
export async function createTestDb(options: { dataDir?: string; seed?: TestSeed } = {}): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const dataDir = options.dataDir ?? 'memory://';
    const template = options.seed ? await seededPgliteTemplate(options.seed) : await migratedPgliteTemplate();
    const database = await createDb({ kind: 'pglite', dataDir, loadDataDir: template });
    return { ...database, label: 'pglite', reopen: () => createDb({ kind: 'pglite', dataDir }) };
  }
  leftoversDropped ??= dropLeftoverTestDatabases().catch((err: Error) => console.warn(`leftover test databases not dropped: ${err.message}`));
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  let template: string;
  try {
    const migrated = await migratedPostgresTemplate(admin, testDatabaseUrl);
    template = options.seed ? await seededPostgresTemplate(admin, testDatabaseUrl, migrated, options.seed) : migrated;
  } finally {
    await admin.end();
  }
  const name = await takeCopy(template);
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
  return {
    ...database,
    label: 'postgres',
    reopen: () => createDb({ kind: 'postgres', url: url.toString(), maxConnections: 5 }),
    async close() {
      await database.close();
      dropLater(name);
    },
  };
}
