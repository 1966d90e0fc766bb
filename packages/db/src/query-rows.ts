import type { SQL } from 'drizzle-orm';
import type { Db } from './client.ts';

/**
 * Rows of a raw statement on either driver: postgres-js returns the rows array itself,
 * PGlite a result object with `rows`.
 */
export async function queryRows<Row>(db: Pick<Db, 'execute'>, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}
