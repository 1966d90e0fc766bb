/**
 * What a PostgreSQL-lane test file waits for to get its database and give it back: `cycles` times
 * `createTestDb()`, a pause standing in for the file's tests (`testMs`), then `close()`; prints the
 * milliseconds awaited in createTestDb + close per cycle (the pause excluded) as one JSON line.
 * These waits are mostly the PostgreSQL server's disk work (CREATE DATABASE, and DROP DATABASE's
 * checkpoint), not CPU: compare builds in alternated runs.
 *
 *   CONCORD_TEST_TARGET=postgres TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     pnpm exec tsx bench/test-db-cycle.ts [cycles] [testMs]
 */
import { createTestDb } from '../packages/db/src/testing.ts';

const cycles = Number(process.argv[2] ?? 10);
const testMs = Number(process.argv[3] ?? 2000);

await (await createTestDb()).close(); // the template exists, the first spare is under way
const waits: number[] = [];
for (let i = 0; i < cycles; i++) {
  await new Promise((resolve) => setTimeout(resolve, testMs));
  const start = performance.now();
  const database = await createTestDb();
  const opened = performance.now();
  await new Promise((resolve) => setTimeout(resolve, testMs));
  const closing = performance.now();
  await database.close();
  waits.push(opened - start + (performance.now() - closing));
}
waits.sort((a, b) => a - b);
const median = waits[Math.floor(waits.length / 2)]!;
console.log(JSON.stringify({ bench: 'test-db-cycle', cycles, testMs, medianWaitMs: Math.round(median), totalWaitMs: Math.round(waits.reduce((a, b) => a + b, 0)) }));
process.exit(0); // background drops of this build may still run: the next start drops the leftovers
