/**
 * PostgreSQL and Redis for multi-process tests. A fresh database is created on
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) with `psql` and dropped
 * afterwards; Redis is REDIS_URL (default redis://127.0.0.1:6379). When either is
 * unreachable the caller gets null and a loud notice, except with CI=true, where it throws
 * (as packages/db/src/testing.ts does for TEST_DATABASE_URL).
 */
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function unavailable(what: string, why: string): null {
  const message = `${what} is unreachable (${why})`;
  if (process.env.CI === 'true') throw new Error(`${message}: CI must run the scale-out tests`);
  console.warn(`\n\n*** ${message}: the scale-out tests are SKIPPED. ***\n\n`);
  return null;
}

function psql(url: string, statement: string): { ok: boolean; output: string } {
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', statement], { encoding: 'utf8', timeout: 30_000 });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

export interface FreshDatabase {
  url: string;
  /** Runs one statement and returns its rows as text (psql's unaligned output). */
  query(statement: string): string;
  drop(): void;
}

export function freshPostgres(): FreshDatabase | null {
  const base = process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = `concord_e2e_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const created = psql(base, `create database "${name}"`);
  if (!created.ok) return unavailable(`PostgreSQL at ${base}`, created.output || 'psql failed');
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    query(statement) {
      const result = psql(url.toString(), statement);
      if (!result.ok) throw new Error(`psql: ${result.output}`);
      return result.output;
    },
    drop() {
      psql(base, `drop database if exists "${name}" with (force)`);
    },
  };
}

export async function reachableRedis(): Promise<string | null> {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return url;
  } catch (err) {
    return unavailable(`Redis at ${url}`, err instanceof Error ? err.message : String(err));
  } finally {
    probe.disconnect();
  }
}
