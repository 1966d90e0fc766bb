import { sql } from 'drizzle-orm';
import type { Database } from '@concord/db';

/** Round-trips a trivial query, so health reports a reachable database, not just a live process. */
export async function checkDatabase(database: Database): Promise<Database['kind']> {
  await database.db.execute(sql`select 1`);
  return database.kind;
}
