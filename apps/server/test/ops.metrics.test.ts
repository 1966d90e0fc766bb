/**
 * Operator endpoints: `GET /metrics` (Prometheus text, only for the bearer of
 * CONCORD_METRICS_TOKEN, off without it) and `/api/health/live` / `/api/health/ready`.
 * Metrics are read from a real server on a real port, with real y-websocket clients (and a
 * real Redis for the publish lag). Readiness is 503 with the reason for pending or newer
 * migrations and for a database or Redis that refuses or does not answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrationFiles, queryRows, type Database } from '@concord/db';
import { itemDocName, type ErrorBody } from '@concord/shared';
import { createHarness, createProjectFixture, type Harness } from './harness.ts';
import { clientsPerTest, createTeam, createTestStore, startCollabServer, uniqueRedisPrefix, type CollabServer, type TestStore } from './collab-helpers.ts';
import { checkReadiness, READINESS_TIMEOUT_MS } from '../src/services/health.ts';
import { eventually, reachableRedis } from './testing.ts';
import { createRedisFanout, type DocMessage, type Fanout } from '../src/collab/fanout.ts';
import { createLogger } from '../src/logger.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
const clients = clientsPerTest();

/** The value of one series (`name{labels}` exactly as exposed), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let store: TestStore;
  let s: CollabServer;
  const scrape = async (authorization?: string) => fetch(`${s.server.url}/metrics`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    store = await createTestStore();
    s = await startCollabServer(store, { metricsToken: TOKEN });
  });
  afterAll(async () => {
    clients.closeAll();
    await s?.close();
    await store?.dispose();
  });

  it('answers 401 with the error body without the token or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `bearer  ${TOKEN}`]) {
      const res = await scrape(authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('gives Prometheus text with concord_ metrics: HTTP by route pattern, live documents, connections, commits, relays, imports, reliability', async () => {
    const team = await createTeam(s.h);
    const f = await createProjectFixture(s.h, team.members);
    // Through the real port, so the HTTP histogram sees the request.
    const items = await fetch(`${s.server.url}/api/projects/${f.projectId}/items`, { headers: { cookie: team.members.owner.cookie } });
    expect(items.status).toBe(200);
    const imported = await fetch(`${s.server.url}/api/projects/${f.projectId}/import`, {
      method: 'POST',
      headers: { cookie: team.members.editor.cookie, 'content-type': 'text/csv' },
      body: 'title,platform\nOne,telegram\nTwo,telegram\nThree,vk\n',
    });
    expect(imported.status).toBe(201);
    expect((await fetch(`${s.server.url}/api/projects/${f.projectId}/reliability?bootstrap=0`, { headers: { cookie: team.members.owner.cookie } })).status).toBe(200);

    const a = clients.connect(s.wsUrl, itemDocName(f.itemId), { cookie: team.members.owner.cookie });
    const b = clients.connect(s.wsUrl, itemDocName(f.itemId), { cookie: team.members.editor.cookie });
    await eventually(() => expect(a.provider.synced && b.provider.synced).toBe(true));
    a.doc.getText('memo').insert(0, 'relayed after commit');
    await eventually(() => expect(b.doc.getText('memo').toString()).toBe('relayed after commit'));

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const names = [...new Set(text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]!))];
    expect(names.every((n) => n.startsWith('concord_'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['concord_process_cpu_seconds_total', 'concord_nodejs_heap_size_used_bytes']));

    expect(sample(text, 'concord_http_request_duration_seconds_count{route="/api/projects/:projectId/items",method="GET",status="2xx"}')).toBe(1);
    expect(sample(text, 'concord_http_request_duration_seconds_count{route="/api/projects/:projectId/import",method="POST",status="2xx"}')).toBe(1);
    // Route patterns only: no project or item id ever becomes a label.
    expect(text).not.toContain(f.projectId);
    expect(text).not.toContain(f.itemId);
    expect(sample(text, 'concord_live_documents_open')).toBe(1);
    expect(sample(text, 'concord_yjs_connections')).toBe(2);
    expect(sample(text, 'concord_socketio_connections')).toBe(0);
    expect(sample(text, 'concord_live_commit_batch_updates_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'concord_live_commit_batch_updates_sum')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'concord_live_commit_duration_seconds_count')).toBe(sample(text, 'concord_live_commit_batch_updates_count'));
    expect(sample(text, 'concord_live_relay_latency_seconds_count')).toBe(sample(text, 'concord_live_commit_batch_updates_count'));
    // A delivery's phases: one observation each per batch, adding up to the relay latency.
    const batches = sample(text, 'concord_live_commit_batch_updates_count')!;
    const phases = ['room_wait', 'commit_queue', 'commit_driver', 'commit_siblings', 'relay'];
    for (const phase of phases) expect(sample(text, `concord_live_delivery_phase_seconds_count{phase="${phase}"}`), phase).toBe(batches);
    const phaseSum = phases.reduce((sum, phase) => sum + sample(text, `concord_live_delivery_phase_seconds_sum{phase="${phase}"}`)!, 0);
    expect(phaseSum).toBeCloseTo(sample(text, 'concord_live_relay_latency_seconds_sum')!, 9);
    expect(sample(text, 'concord_live_delivery_phase_seconds_sum{phase="commit_driver"}')).toBeGreaterThan(0);
    // Item documents' batches go through the group commit.
    expect(sample(text, 'concord_live_group_commit_batches_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'concord_live_group_commit_batches_sum')).toBe(sample(text, 'concord_live_commit_batch_updates_count'));
    expect(sample(text, 'concord_live_batches_behind_commit_total')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'concord_live_group_commits_overlapped_total')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'concord_live_updates_joined_total')).toBeGreaterThanOrEqual(0);
    // Buckets fine enough for a delivery of 1-2 ms.
    for (const le of ['0.00075', '0.0015', '0.003']) expect(sample(text, `concord_live_relay_latency_seconds_bucket{le="${le}"}`), le).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'concord_import_rows_total')).toBe(3);
    expect(sample(text, 'concord_reliability_computation_duration_seconds_count')).toBe(1);
    expect(sample(text, 'concord_redis_publish_lag_seconds_count')).toBe(0);
  });

  it('counts refused requests under their route with their status class, and unknown paths as unmatched', async () => {
    const team = await createTeam(s.h);
    const f = await createProjectFixture(s.h, team.members);
    // An outsider's request is refused by authz (404), an anonymous one by the session check (401).
    expect((await fetch(`${s.server.url}/api/projects/${f.projectId}/items`, { headers: { cookie: team.outsider.cookie } })).status).toBe(404);
    expect((await fetch(`${s.server.url}/api/projects/${f.projectId}/codebook`)).status).toBe(401);
    expect((await fetch(`${s.server.url}/api/no-such-route/${f.projectId}`)).status).toBe(404);
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(sample(text, 'concord_http_request_duration_seconds_count{route="/api/projects/:projectId/items",method="GET",status="4xx"}')).toBe(1);
    expect(sample(text, 'concord_http_request_duration_seconds_count{route="/api/projects/:projectId/codebook",method="GET",status="4xx"}')).toBe(1);
    expect(sample(text, 'concord_http_request_duration_seconds_count{route="unmatched",method="GET",status="4xx"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('no-such-route');
    expect(text).not.toContain(f.projectId);
  });

  it('keeps a registry per server: another app in the same process counts only its own requests', async () => {
    const other = await createHarness({ metricsToken: TOKEN });
    try {
      const res = await other.request(null, 'GET', '/metrics', undefined, { authorization: `Bearer ${TOKEN}` });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(sample(text, 'concord_import_rows_total')).toBe(0);
      expect(text).not.toContain('route="/api/projects/:projectId/items"');
    } finally {
      await other.close();
    }
  });
});

describe('GET /metrics with REDIS_URL', () => {
  let store: TestStore;
  let s: CollabServer | undefined;
  let redisUrl: string | null = null;
  let prefix = '';
  /** Another process's fan-out on the same Redis: a process publishes only to processes that have the document open. */
  let other: Fanout | undefined;

  beforeAll(async () => {
    redisUrl = await reachableRedis(process.env, 'the Redis metrics test');
    if (!redisUrl) return;
    store = await createTestStore();
    prefix = uniqueRedisPrefix('metrics');
    s = await startCollabServer(store, { metricsToken: TOKEN, redisUrl, redisPrefix: prefix });
    other = await createRedisFanout({ url: redisUrl, prefix, logger: createLogger({ logLevel: 'silent' }) });
  });
  afterAll(async () => {
    clients.closeAll();
    await other?.close();
    await s?.close();
    await store?.dispose();
  });

  it('times each fan-out publish until Redis acknowledges it (concord_redis_publish_lag_seconds)', async (context) => {
    if (!s) return context.skip();
    const team = await createTeam(s.h);
    const f = await createProjectFixture(s.h, team.members);
    const received: DocMessage[] = [];
    const channel = await other!.openDoc(itemDocName(f.itemId), (message) => received.push(message));
    const a = clients.connect(s.wsUrl, itemDocName(f.itemId), { cookie: team.members.owner.cookie });
    await eventually(() => expect(a.provider.synced).toBe(true));
    a.doc.getText('memo').insert(0, 'published after commit');
    const scrape = async () => (await fetch(`${s!.server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    // The publish is fire and forget after the commit; its acknowledgement comes a moment later.
    await eventually(async () => expect(sample(await scrape(), 'concord_redis_publish_lag_seconds_count')).toBeGreaterThanOrEqual(1));
    const text = await scrape();
    expect(sample(text, 'concord_redis_publish_lag_seconds_sum')).toBeGreaterThan(0);
    expect(sample(text, 'concord_redis_publish_lag_seconds_bucket{le="+Inf"}')).toBe(sample(text, 'concord_redis_publish_lag_seconds_count'));
    await eventually(() => expect(received.some((m) => m.type === 'update')).toBe(true));
    channel.close();
  });
});

describe('GET /metrics without CONCORD_METRICS_TOKEN', () => {
  it('is off: 404 with the error body, whatever the Authorization header', async () => {
    const h = await createHarness();
    try {
      for (const headers of [{}, { authorization: 'Bearer anything' }] as Record<string, string>[]) {
        const res = await h.request(null, 'GET', '/metrics', undefined, headers);
        expect(res.status).toBe(404);
        expect(((await res.json()) as ErrorBody).error.code).toBe('NOT_FOUND');
      }
    } finally {
      await h.close();
    }
  });
});

describe('health', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it('live answers while the process runs; /api/health is unchanged', async () => {
    const live = await h.request(null, 'GET', '/api/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'live' });
    const health = await h.request(null, 'GET', '/api/health');
    expect(await health.json()).toEqual({ status: 'ok', db: h.database.kind });
  });

  it('ready answers 200 with the database, its migration and no Redis', async () => {
    const res = await h.request(null, 'GET', '/api/health/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', db: h.database.kind, migration: migrationFiles().at(-1)!.tag, redis: 'off' });
  });

  it('ready answers 503 naming pending migrations when the database lags the migration files', async () => {
    const db = h.deps.database.db;
    const [row] = await queryRows<{ id: number; hash: string; created_at: string }>(db, sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${row!.id}`);
    try {
      const res = await h.request(null, 'GET', '/api/health/ready');
      expect(res.status).toBe(503);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('NOT_READY');
      expect(body.error.message).toBe(`the database schema is not current: pending migrations: ${migrationFiles().at(-1)!.tag}`);
    } finally {
      await db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${row!.id}, ${row!.hash}, ${row!.created_at})`);
    }
    expect((await h.request(null, 'GET', '/api/health/ready')).status).toBe(200);
  });

  it('ready answers 503 when the database has migrations newer than this server knows (an older version still running)', async () => {
    const db = h.deps.database.db;
    const newer = migrationFiles().at(-1)!.createdAt + 1;
    await db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${newer})`);
    try {
      const res = await h.request(null, 'GET', '/api/health/ready');
      expect(res.status).toBe(503);
      const body = (await res.json()) as ErrorBody;
      expect(body.error).toMatchObject({ code: 'NOT_READY', message: 'the database schema is not current: the database has migrations newer than this server knows (an older version is running)' });
    } finally {
      await db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${newer}`);
    }
    expect((await h.request(null, 'GET', '/api/health/ready')).status).toBe(200);
  });

  it('ready is NOT_READY naming the database when it refuses or does not answer in time', async () => {
    const database = (execute: () => Promise<never>) => ({ kind: 'postgres', db: { execute } }) as unknown as Database;
    // Readiness is public: the driver's words (hosts, addresses, user and database names) go to the log, not the answer.
    const driverError = new Error('connect ECONNREFUSED 10.20.30.40:5432 (password authentication failed for user "concord_prod")');
    const refused = checkReadiness({ database: database(() => Promise.reject(driverError)), redis: null });
    await expect(refused).rejects.toMatchObject({ code: 'NOT_READY', message: 'the database is unreachable (the server log has the error)', cause: driverError });
    const silent = checkReadiness({ database: database(() => new Promise<never>(() => {})), redis: null });
    await expect(silent).rejects.toMatchObject({ code: 'NOT_READY', message: `the database did not answer within ${READINESS_TIMEOUT_MS} ms` });
    // Redis is asked only once the database is ready; its refusal is named the same way.
    const redisDown = checkReadiness({ database: h.deps.database, redis: { ping: () => Promise.reject(new Error('WRONGPASS invalid username-password pair')) } });
    await expect(redisDown).rejects.toMatchObject({ code: 'NOT_READY', message: 'redis is unreachable (the server log has the error)' });
  });

  it('ready answers 503 when the configured Redis does not answer, 200 with a live one', async () => {
    // Port 1: nothing listens; ioredis keeps retrying and the PING never gets an answer.
    const down = await createHarness({ redisUrl: 'redis://127.0.0.1:1', redisPrefix: uniqueRedisPrefix('ready-down') });
    try {
      const res = await down.request(null, 'GET', '/api/health/ready');
      expect(res.status).toBe(503);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('NOT_READY');
      expect(body.error.message).toMatch(/^redis (did not answer within \d+ ms|is unreachable)/);
      expect((await down.request(null, 'GET', '/api/health/live')).status).toBe(200);
    } finally {
      await down.close();
    }
    const redisUrl = await reachableRedis(process.env);
    if (!redisUrl) return;
    const up = await createHarness({ redisUrl, redisPrefix: uniqueRedisPrefix('ready-up') });
    try {
      const res = await up.request(null, 'GET', '/api/health/ready');
      expect(await res.json()).toMatchObject({ status: 'ready', redis: 'ok' });
    } finally {
      await up.close();
    }
  }, 30_000);
});
