import { sql } from 'drizzle-orm';
import { migrationState, type Database } from '@concord/db';
import { AppError } from '../errors.ts';

/** How long readiness waits for the database or Redis before calling it unreachable. */
export const READINESS_TIMEOUT_MS = 3_000;

/** What readiness pings when REDIS_URL is set (the live-document fan-out's connection). */
export interface RedisProbe {
  ping(): Promise<unknown>;
}

/** Round-trips a trivial query, so health reports a reachable database, not just a live process. */
export async function checkDatabase(database: Database): Promise<Database['kind']> {
  await database.db.execute(sql`select 1`);
  return database.kind;
}

async function within<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('NOT_READY', `${what} did not answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // The driver's words stay in the log (the cause, logged with the request id): readiness is
    // public, and they can name internal hosts, addresses, database and user names.
    throw new AppError('NOT_READY', `${what} is unreachable (the server log has the error)`, undefined, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness: the database answers, holds exactly the committed migrations, and Redis (when
 * configured) answers PING. Throws NOT_READY (503) naming the first thing that is not ready.
 */
export async function checkReadiness(deps: { database: Database; redis: RedisProbe | null }) {
  const db = await within('the database', checkDatabase(deps.database));
  const migrations = await within('the database', migrationState(deps.database.db));
  if (!migrations.current) throw new AppError('NOT_READY', `the database schema is not current: ${migrations.reason}`);
  if (deps.redis) await within('redis', deps.redis.ping());
  return { status: 'ready' as const, db, migration: migrations.tag, redis: deps.redis ? ('ok' as const) : ('off' as const) };
}
