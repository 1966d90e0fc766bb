/**
 * What the reliability dashboard asks of the API on the demo study (30 items, 24 revealed,
 * 3 coders, 10 fields), through the real Hono app with a signed-in owner, in an in-memory
 * PGlite: the report (`GET …/reliability`, 1,000 bootstrap replicates by default) and one
 * field's drill-down (`GET …/reliability/fields/civic_impact`).
 *
 * cold: a fresh app (empty cache), i.e. the first request after a coding is submitted;
 * warm: the same request again (data unchanged: the data-version query, authorization and
 * the cached result); version: the data-version query alone. Medians of repeated runs.
 * Prints one JSON line. Usage: pnpm exec tsx bench/reliability-dashboard.ts [replicates]
 */
import { createDb, users } from '@concord/db';
import { createApp } from '../apps/server/src/app.ts';
import { testConfig } from '../apps/server/src/config.ts';
import { createDeps } from '../apps/server/src/deps.ts';
import { createLogger } from '../apps/server/src/logger.ts';
import { seedDemo } from '../apps/server/src/demo/seed.ts';
import { reliabilityDataVersion } from '../apps/server/src/services/reliability/data-version.ts';

const replicates = Number(process.argv[2] ?? 1000);
const RUNS = 11;
const PASSWORD = 'bench password 1';
const config = testConfig();
const logger = createLogger({ logLevel: 'silent' });
const database = await createDb({ kind: 'pglite', dataDir: 'memory://' });
const deps = await createDeps(config, { database, logger });
const { projectId } = await seedDemo(database.db, logger, PASSWORD, { collab: deps.collab });

const login = await createApp(deps).request('/api/auth/login', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'owner@demo.concord', password: PASSWORD }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
const reportPath = `/api/projects/${projectId}/reliability?bootstrap=${replicates}`;
const drilldownPath = `/api/projects/${projectId}/reliability/fields/civic_impact?bootstrap=${replicates}`;

async function call(app: ReturnType<typeof createApp>, path: string): Promise<number> {
  const t = performance.now();
  const res = await app.request(path, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  await res.json();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => +x.toFixed(1);

// One throw-away pass so module loading and JIT do not count as "cold".
await call(createApp(deps), reportPath);
await call(createApp(deps), drilldownPath);

const cold = { report: [] as number[], drilldown: [] as number[] };
const warm = { report: [] as number[], drilldown: [] as number[] };
for (let i = 0; i < RUNS; i++) {
  const app = createApp(deps);
  cold.report.push(await call(app, reportPath));
  cold.drilldown.push(await call(app, drilldownPath));
  warm.report.push(await call(app, reportPath));
  warm.drilldown.push(await call(app, drilldownPath));
}
const owner = (await database.db.select().from(users)).find((u) => u.email === 'owner@demo.concord')!;
const ctx = { db: database.db, actor: { userId: owner.id, isAdmin: false }, logger };
const version: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  await reliabilityDataVersion({ ctx, projectId });
  version.push(performance.now() - t);
}

console.log(
  JSON.stringify({
    bench: 'reliability-dashboard',
    replicates,
    fields: 10,
    units: 24,
    coders: 3,
    report_cold_ms: round(median(cold.report)),
    report_warm_ms: round(median(warm.report)),
    drilldown_cold_ms: round(median(cold.drilldown)),
    drilldown_warm_ms: round(median(warm.drilldown)),
    version_query_ms: round(median(version)),
    loadavg_1m: round((await import('node:os')).loadavg()[0]!),
  }),
);
await deps.close();
