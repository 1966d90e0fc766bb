/**
 * The reliability verb on the demo study (30 items, 3 coders, 10 fields) in an in-memory
 * PGlite: median time of the whole report (database read + every coefficient + the
 * bootstrap of each main coefficient), and of the read alone. Prints one JSON line.
 * Usage: pnpm exec tsx bench/reliability-api.ts [replicates]
 */
import { createDb, migrate, users } from '@concord/db';
import { reliabilityQuery } from '@concord/shared';
import { createLogger } from '../apps/server/src/logger.ts';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { getReliability } from '../apps/server/src/services/reliability/get-reliability.ts';
import { loadRevealedCodings } from '../apps/server/src/services/reliability/revealed-codings.ts';

const replicates = Number(process.argv[2] ?? 1000);
const RUNS = 15;
const database = await createDb({ kind: 'pglite', dataDir: 'memory://' });
await migrate(database);
const logger = createLogger({ logLevel: 'silent' });
const { projectId } = await seedDemo(database.db, logger, 'bench password 1');
const owner = (await database.db.select().from(users)).find((u) => u.email === 'owner@demo.concord');
const ctx = { db: database.db, actor: { userId: owner!.id, isAdmin: false }, logger };
const query = reliabilityQuery.parse({ bootstrap: String(replicates) });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown>): Promise<{ first: number; median: number }> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return { first: runs[0]!, median: median(runs.slice(1)) };
}
const report = await time(() => getReliability({ ctx, projectId, query }));
const read = await time(() => loadRevealedCodings({ ctx, projectId, filters: {} }));
console.log(JSON.stringify({ bench: 'reliability-api', replicates, fields: 10, units: 24, coders: 3, first_ms: +report.first.toFixed(1), median_ms: +report.median.toFixed(1), read_median_ms: +read.median.toFixed(1) }));
await database.close();
