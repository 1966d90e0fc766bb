/**
 * Import throughput: a 100,000-row CSV (Airtable-like columns) through the real
 * import verb into a file-backed PGlite (or DATABASE_URL's PostgreSQL when
 * BENCH_DATABASE_URL is set). Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, migrate } from '@concord/db';
import { insertUser } from '../apps/server/src/services/auth/users.ts';
import { createProject } from '../apps/server/src/services/projects/projects.ts';
import { importItems } from '../apps/server/src/services/import/import-items.ts';
import { createLogger } from '../apps/server/src/logger.ts';

const ROWS = Number(process.argv[2] ?? 100_000);
const url = process.env.BENCH_DATABASE_URL;
const dir = mkdtempSync(path.join(tmpdir(), 'concord-bench-import-'));
const database = url ? await createDb({ kind: 'postgres', url }) : await createDb({ kind: 'pglite', dataDir: dir });
await migrate(database);
const logger = createLogger({ logLevel: process.env.BENCH_VERBOSE ? 'info' : 'silent' });
const user = await insertUser({ db: database.db, actor: null, logger }, { email: `bench-${Date.now()}@bench.concord`, name: 'bench', password: 'bench password 1' });
const ctx = { db: database.db, actor: { userId: user.id, isAdmin: false }, logger };
const project = await createProject(ctx, { name: 'bench', description: '' });

const header = 'External ID,Headline,Link,Media platform,Account,Date,Text,Reach,Likes,Incident\n';
const lines: string[] = [header];
for (let i = 0; i < ROWS; i++) {
  lines.push(`KZ-${i},"Item ${i}: a post about the arrest",https://example.org/p/${i},${['Facebook', 'Twitter', 'Instagram', 'Telegram', 'News'][i % 5]},account${i % 997},2022-01-${String((i % 28) + 1).padStart(2, '0')},"Synthetic body text for item ${i}, with a comma",${i * 7},${i % 500},${i % 2 ? 'Arrest' : 'Election'}\n`);
}
const csv = lines.join('');
async function* chunks() {
  for (let i = 0; i < csv.length; i += 64 * 1024) yield csv.slice(i, i + 64 * 1024);
}

const started = performance.now();
const result = await importItems(ctx, project.id, {
  format: 'csv',
  body: chunks(),
  mapping: { externalId: 'External ID', title: 'Headline', platform: 'Media platform', author: 'Account', body: 'Text' },
});
const seconds = (performance.now() - started) / 1000;
await database.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'import',
    db: database.kind,
    rows: result.inserted,
    bytes: csv.length,
    seconds: Number(seconds.toFixed(3)),
    rowsPerSecond: Math.round(result.inserted / seconds),
    goalRowsPerSecond: 20000,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
