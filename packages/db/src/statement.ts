import type { Db } from './client.ts';

/** What either driver's client offers for a statement given as text (drizzle's session holds it). */
interface DriverClient {
  /** postgres.js (the pool, or a transaction's connection). */
  unsafe?(text: string, params: unknown[], options: { prepare: boolean }): PromiseLike<unknown>;
  /** PGlite (the database, or a transaction). */
  query?(text: string, params: unknown[]): Promise<unknown>;
}

/**
 * Runs a fixed statement with positional parameters (`$1`, `$2`, …) in the caller's database
 * or transaction, as a **named prepared statement** on PostgreSQL. For a hot statement:
 * drizzle hands postgres.js every statement unprepared, and postgres.js sends an unprepared
 * statement with parameters in two round trips (Parse + Describe, then, once the parameter
 * types are back, Bind + Execute), each its own socket write; prepared (once per pool
 * connection, then kept), it is one write and one round trip. The text must not change between
 * calls (one prepared statement per text and connection). PGlite runs in this process: the
 * statement goes to it directly, without the query builder.
 */
export async function executeStatement(db: Db, text: string, params: unknown[]): Promise<void> {
  const client = (db as unknown as { session: { client: DriverClient } }).session.client;
  if (client.unsafe) await client.unsafe(text, params, { prepare: true });
  else if (client.query) await client.query(text, params);
  else throw new Error('executeStatement: unknown database driver');
}
