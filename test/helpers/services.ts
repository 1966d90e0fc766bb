/**
 * PostgreSQL for multi-process tests. A fresh database is created on TEST_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test) and dropped afterwards. When it is
 * unreachable the caller gets null and a loud notice, except with CI=true, where it throws
 * (`missingService` in `@concord/server/testing`, which also holds the Redis check,
 * `reachableRedis(process.env)`).
 */
import { missingService } from '@concord/server/testing';
import postgres from 'postgres';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface FreshDatabase {
  url: string;
  /** Runs one statement and returns the first column of the first row as text. */
  query(statement: string): Promise<string>;
  drop(): Promise<void>;
}

export const postgresBaseUrl = () => process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;

/** A new database, empty or a copy of `template` (a database nobody is connected to). */
export async function freshPostgres(options: { template?: string } = {}): Promise<FreshDatabase | null> {
  const base = postgresBaseUrl();
  const name = `concord_e2e_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database "${name}"${options.template ? ` template "${options.template}"` : ''}`);
  } catch (err) {
    await admin.end({ timeout: 1 }).catch(() => {});
    return missingService(process.env, `PostgreSQL at ${base} is unreachable (${err instanceof Error ? err.message : String(err)})`);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    url: url.toString(),
    async query(statement) {
      const rows = await sql.unsafe(statement);
      const first = rows[0] as Record<string, unknown> | undefined;
      return first ? String(Object.values(first)[0]) : '';
    },
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
