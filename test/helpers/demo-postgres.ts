/**
 * Fresh PostgreSQL databases holding the demo study, for tests of several processes. Seeding
 * the demo (30 items coded through live documents) is the slowest part of such a test's start,
 * so it runs once per server bundle and migration set: a real server seeds a template database
 * (`concord_e2e_demo_<hash>`, kept across runs and replaced when the bundle or drizzle/
 * changes), and each test gets a copy of it (`CREATE DATABASE … TEMPLATE`, a file copy).
 * An advisory lock keeps concurrent runs from seeding it twice.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startServerProcess } from './server.ts';
import { freshPostgres, postgresBaseUrl, type FreshDatabase } from './services.ts';

const SERVER_MAIN = fileURLToPath(new URL('../../apps/server/dist/main.mjs', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('../../drizzle/', import.meta.url));
const TEMPLATE_PREFIX = 'concord_e2e_demo_';
const SEED_TIMEOUT_MS = 240_000;

/** What the seeded data depends on: the server bundle (the seed code) and the migrations. */
async function seedVersion(): Promise<string> {
  const hash = createHash('sha256').update(await readFile(SERVER_MAIN));
  for (const file of (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort()) hash.update(await readFile(MIGRATIONS + file));
  return hash.digest('hex').slice(0, 16);
}

async function ensureTemplate(admin: postgres.Sql): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${await seedVersion()}`;
  await admin`select pg_advisory_lock(hashtext(${TEMPLATE_PREFIX}))`;
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (found) return name;
    const stale = await admin`select datname from pg_database where datname like ${`${TEMPLATE_PREFIX}%`}`;
    for (const { datname } of stale) await admin.unsafe(`drop database if exists "${datname as string}" with (force)`);
    const seeding = `${name}_seeding`;
    await admin.unsafe(`drop database if exists "${seeding}" with (force)`);
    await admin.unsafe(`create database "${seeding}"`);
    const url = new URL(postgresBaseUrl());
    url.pathname = `/${seeding}`;
    const server = await startServerProcess({ env: { DATABASE_URL: url.toString(), CONCORD_DEMO: '1' }, startTimeoutMs: SEED_TIMEOUT_MS });
    const exit = await server.stop();
    await server.dispose();
    if (!/Demo study ready\. Sign in as /.test(server.output()) || exit.code !== 0) {
      throw new Error(`seeding the demo template failed (${JSON.stringify(exit)}):\n${server.output()}`);
    }
    // Renamed only once complete: a crashed seed never passes for a template.
    await admin.unsafe(`alter database "${seeding}" rename to "${name}"`);
    return name;
  } finally {
    await admin`select pg_advisory_unlock(hashtext(${TEMPLATE_PREFIX}))`;
  }
}

/** A new database with the demo study on TEST_DATABASE_URL's server; null (or a throw with CI=true) when it is unreachable. */
export async function freshDemoPostgres(): Promise<FreshDatabase | null> {
  const admin = postgres(postgresBaseUrl(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin`select 1`;
  } catch {
    await admin.end({ timeout: 1 }).catch(() => {});
    return freshPostgres(); // reports the unreachable server as every PostgreSQL test does
  }
  try {
    return await freshPostgres({ template: await ensureTemplate(admin) });
  } finally {
    await admin.end({ timeout: 5 });
  }
}
