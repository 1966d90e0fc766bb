/**
 * Scale-out: two server processes' worth of Concord (two servers in this test process) on
 * one PostgreSQL database and one real Redis, each with its own connections. Project events
 * published on one reach sockets on the other through @socket.io/redis-adapter, presence
 * lists include sockets of both, and the blind rule holds across them.
 * Needs PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and
 * Redis (REDIS_URL, default redis://127.0.0.1:6379): without them the suite is skipped with
 * a loud warning, or fails when CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createDb } from '@concord/db';
import { newId, type Comment } from '@concord/shared';
import { json, type ProjectFixture } from './harness.ts';
import { createFixture, createTeam, startCollabServer, type CollabServer, type Team, type TestStore } from './collab-helpers.ts';
import { eventually, missingService, reachableRedis } from './testing.ts';
import { connectSocket, type Listener } from './realtime-helpers.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SUITE = 'realtime.redis.test.ts (scale-out: Redis and PostgreSQL)';

async function reachablePostgres(): Promise<boolean> {
  const sql = postgres(PG_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (err) {
    missingService(process.env, `PostgreSQL at ${PG_URL} is unreachable (${(err as Error).message})`, SUITE);
    return false;
  } finally {
    await sql.end();
  }
}

const REDIS_URL = await reachableRedis(process.env, SUITE);
const skip = !REDIS_URL || !(await reachablePostgres());

/** A fresh PostgreSQL database; every `open()` is a new connection pool on it (one per server). */
async function createPgStore(): Promise<TestStore> {
  const name = `concord_rt_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    open: () => createDb({ kind: 'postgres', url: url.toString(), maxConnections: 5 }),
    async dispose() {
      const dropper = postgres(PG_URL, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

describe.skipIf(skip)('two servers, one database, one Redis', () => {
  let store: TestStore;
  let one: CollabServer;
  let two: CollabServer;
  let team: Team;
  let f: ProjectFixture;
  const sockets: Listener[] = [];
  const prefix = `concord-test-${newId('project')}`;

  async function on(server: CollabServer, session: { cookie: string }): Promise<Listener> {
    const l = connectSocket(`http://127.0.0.1:${server.server.port}`, { cookie: session.cookie });
    sockets.push(l);
    await l.connected;
    expect(await l.join(f.projectId)).toEqual({ ok: true });
    return l;
  }

  beforeAll(async () => {
    store = await createPgStore();
    one = await startCollabServer(store, { redisUrl: REDIS_URL!, redisPrefix: prefix });
    two = await startCollabServer(store, { redisUrl: REDIS_URL!, redisPrefix: prefix });
    team = await createTeam(one.h);
    f = await createFixture(one.h, team);
  }, 240_000);
  afterAll(async () => {
    for (const l of sockets) l.close();
    await one?.close();
    await two?.close();
    await store?.dispose();
  });

  it('delivers project events and presence across servers, and keeps the blind rule', async () => {
    const a = await on(one, team.members.coder);
    const b = await on(two, team.coderB);
    const editor = await on(two, team.members.editor);
    const api = (path: string) => `/api/projects/${f.projectId}/items/${f.itemId}${path}`;

    // Presence: A on server one is seen on server two, and the editor on two is seen on one.
    expect(await a.socket.timeout(10_000).emitWithAck('presence:set', { projectId: f.projectId, itemId: f.itemId })).toEqual({ ok: true });
    await eventually(() =>
      expect(editor.of('project:presence').at(-1)?.users).toContainEqual({ userId: team.members.coder.userId, displayName: 'coder', itemId: f.itemId }),
    );
    expect(await editor.socket.timeout(10_000).emitWithAck('presence:set', { projectId: f.projectId, itemId: f.itemId })).toEqual({ ok: true });
    await eventually(() =>
      expect(a.of('project:presence').at(-1)?.users).toContainEqual({ userId: team.members.editor.userId, displayName: 'editor', itemId: f.itemId }),
    );

    // A comments on server one during the independent phase: the editor (server two) gets it, B (server two) does not.
    const secret = await json<Comment>(await one.h.request(team.members.coder, 'POST', api('/comments'), { body: `frame is security ${newId('comment')}` }));
    await eventually(() => expect(editor.of('comment:added').map((e) => e.comment)).toEqual([secret]));
    await one.server.realtime.idle();
    await b.barrier();
    expect(JSON.stringify(b.events)).not.toContain(secret.body);

    // The editor opens a joint session through server two: A on server one hears it, and so does B.
    expect((await two.h.request(team.members.editor, 'POST', api('/phase'), { phase: 'joint' })).status).toBe(200);
    await eventually(() => expect(a.of('session:opened')).toEqual([{ projectId: f.projectId, itemId: f.itemId }]));
    await eventually(() => expect(b.of('item:phase')).toEqual([{ projectId: f.projectId, itemId: f.itemId, phase: 'joint' }]));

    // A leaves: server two's lists drop A.
    a.close();
    await eventually(() => expect(editor.of('project:presence').at(-1)?.users.some((u) => u.userId === team.members.coder.userId)).toBe(false));
  });
});
