/**
 * Import throughput: a 100,000-row CSV (Airtable-like columns) through the real
 * import verb into a file-backed PGlite (or DATABASE_URL's PostgreSQL when
 * BENCH_DATABASE_URL is set), then the same file again (every row matched by its
 * external id and unchanged). Prints one JSON line; `cpuSeconds` is this process'
 * CPU time for the first import, a steadier figure than wall time on a shared machine.
 *
 * On PGlite the data directory is created (initdb, migrations) by a child process first, and
 * this process opens it as a server does after its first start: initdb alone leaves about
 * 850 MB of RSS behind in the process that ran it, which is not the import's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, migrate } from '@concord/db';
import { insertUser } from '../apps/server/src/services/auth/users.ts';
import { createProject } from '../apps/server/src/services/projects/projects.ts';
import { importItems } from '../apps/server/src/services/import/import-items.ts';
import { createLogger } from '../apps/server/src/logger.ts';

const url = process.env.BENCH_DATABASE_URL;
if (process.argv[2] === '--prepare') {
  const prepared = await createDb({ kind: 'pglite', dataDir: process.argv[3]! });
  await migrate(prepared);
  await prepared.close();
  process.exit(0);
}
const ROWS = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(path.join(tmpdir(), 'concord-bench-import-'));
if (!url) execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--prepare', dir], { stdio: 'inherit' });
const database = url ? await createDb({ kind: 'postgres', url }) : await createDb({ kind: 'pglite', dataDir: dir });
await migrate(database);
const logger = createLogger({ logLevel: process.env.BENCH_VERBOSE ? 'info' : 'silent' });
const user = await insertUser({ ctx: { db: database.db, actor: null, logger }, input: { email: `bench-${Date.now()}@bench.concord`, name: 'bench', password: 'bench password 1' } });
const ctx = { db: database.db, actor: { userId: user.id, isAdmin: false }, logger };
const project = await createProject({ ctx, input: { name: 'bench', description: '' } });

const header = 'External ID,Headline,Link,Media platform,Account,Date,Text,Reach,Likes,Incident\n';
const line = (i: number) =>
  `KZ-${i},"Item ${i}: a post about the arrest",https://example.org/p/${i},${['Facebook', 'Twitter', 'Instagram', 'Telegram', 'News'][i % 5]},account${i % 997},2022-01-${String((i % 28) + 1).padStart(2, '0')},"Synthetic body text for item ${i}, with a comma",${i * 7},${i % 500},${i % 2 ? 'Arrest' : 'Election'}\n`;
let bytes = 0;
/**
 * The file as an upload arrives: about 64 KB at a time, never whole in memory (the process' RSS
 * is the import's), each chunk in an event-loop turn of its own as a request body's reads are
 * (BENCH_SYNC_BODY=1: all in one turn, as this bench fed it until 2026-12-07; V8 then finishes
 * no garbage collection cycle before the whole file is read, see bench/README.md).
 */
async function* chunks() {
  let chunk = header;
  for (let i = 0; i < ROWS; i++) {
    chunk += line(i);
    if (chunk.length >= 64 * 1024) {
      bytes += chunk.length;
      yield chunk;
      chunk = '';
      if (!process.env.BENCH_SYNC_BODY) await new Promise(setImmediate);
    }
  }
  bytes += chunk.length;
  yield chunk;
}

/** The file's length, declared as an upload's Content-Length is (the import then keeps summaries from its first row). */
let size = header.length;
for (let i = 0; i < ROWS; i++) size += line(i).length;
const source = () => ({
  format: 'csv' as const,
  body: chunks(),
  size,
  mapping: { externalId: 'External ID', title: 'Headline', platform: 'Media platform', author: 'Account', body: 'Text' },
});
/**
 * PostgreSQL's CPU seconds for this database's backends (utime + stime from /proc, when the
 * server runs on this host and its processes are readable; null otherwise): with the node
 * process' CPU time it tells where a first import's time goes on a loaded host.
 */
async function serverCpu(): Promise<Map<number, number> | null> {
  if (!url) return null;
  const rows = (await database.db.execute('select pid from pg_stat_activity where datname = current_database()')) as unknown as { pid: number }[];
  const ticks = new Map<number, number>();
  try {
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    }
  } catch {
    return null;
  }
  return ticks;
}
const serverSeconds = (before: Map<number, number> | null, after: Map<number, number> | null) =>
  before && after ? Number(([...after].reduce((sum, [pid, t]) => sum + t - (before.get(pid) ?? 0), 0) / 100).toFixed(2)) : null;

const serverBefore = await serverCpu();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await importItems({ ctx, projectId: project.id, source: source() });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const firstPeakRss = process.resourceUsage().maxRSS;
const serverAfter = await serverCpu();
const again = performance.now();
const reimport = await importItems({ ctx, projectId: project.id, source: source() });
const reimportSeconds = (performance.now() - again) / 1000;
if (reimport.unchanged !== ROWS || reimport.inserted + reimport.updated !== 0) throw new Error(`re-import changed rows: ${JSON.stringify(reimport)}`);
await database.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'import',
    db: database.kind,
    rows: result.inserted,
    bytes: bytes / 2,
    seconds: Number(seconds.toFixed(3)),
    rowsPerSecond: Math.round(result.inserted / seconds),
    goalRowsPerSecond: database.kind === 'pglite' ? 20000 : 50000,
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    serverCpuSeconds: serverSeconds(serverBefore, serverAfter),
    reimportSeconds: Number(reimportSeconds.toFixed(3)),
    goalReimportSeconds: 5,
    loadAverage: Number(loadavg()[0]!.toFixed(1)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    // The peak up to the end of the first import (the re-import may set the overall one).
    firstImportPeakRssMb: Math.round(firstPeakRss / 1024),
  }),
);
