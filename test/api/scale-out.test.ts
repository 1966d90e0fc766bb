/**
 * Scale-out with real processes: two servers (`node apps/server/dist/main.mjs`) share one
 * fresh PostgreSQL database and one Redis. Stock y-websocket clients on both converge; one
 * process is killed (SIGKILL) in the middle of a burst of edits, its clients reconnect through
 * a fail-over proxy to the survivor, and every edit any client made is there; after a restart
 * both processes serve the same documents, stored once. Without PostgreSQL or Redis the
 * suite is skipped loudly (fails with CI=true).
 */
import net from 'node:net';
import { createApiClient } from '@concord/server/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { freshDemoPostgres } from '../helpers/demo-postgres.ts';
import { eventually, reachableRedis } from '@concord/server/testing';
import type { FreshDatabase } from '../helpers/services.ts';
import { signInDemo } from '../helpers/sessions.ts';

const redisUrl = await reachableRedis(process.env);
const database = redisUrl ? await freshDemoPostgres() : null;
/** The array each client appends its own numbered tokens to. */
const TOKENS = 'scale-out-tokens';

/** How long a condition may take across real processes (`eventually`'s default is for one process). */
const EVENTUALLY_MS = 30_000;

/** A TCP proxy standing in for a load balancer: new connections go to `target()`. */
async function failoverProxy(target: () => number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(target(), '127.0.0.1');
    for (const s of [downstream, upstream]) sockets.add(s);
    const end = () => {
      downstream.destroy();
      upstream.destroy();
      sockets.delete(downstream);
      sockets.delete(upstream);
    };
    downstream.pipe(upstream).on('error', end);
    upstream.pipe(downstream).on('error', end);
    for (const s of [downstream, upstream]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Peer {
  label: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Tokens this client appended. */
  made: string[];
}

const portOf = (url: string) => Number(new URL(url).port);

function disconnect(peers: Peer[]) {
  for (const p of peers) {
    p.provider.destroy();
    p.doc.destroy();
  }
}

describe.skipIf(!redisUrl || !database)('two server processes, one PostgreSQL database, one Redis', () => {
  const db = database as FreshDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let proxy: { port: number; close(): Promise<void> };
  let aAlive = true;
  const cookies: Record<string, string> = {};
  let docNames: string[] = [];
  const peers: Peer[] = [];

  function connect(label: string, port: number, docName: string, who: string, doc = new Y.Doc()): Peer {
    const cookie = cookies[who]!;
    const Socket = class extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    };
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/yjs`, docName, doc, {
      WebSocketPolyfill: Socket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 500,
    });
    const peer: Peer = { label, doc, provider, made: [] };
    peers.push(peer);
    return peer;
  }

  const tokensOf = (doc: Y.Doc) => doc.getArray<string>(TOKENS).toArray();
  const edit = (peer: Peer, count: number) => {
    for (let i = 0; i < count; i++) {
      const token = `${peer.label}#${peer.made.length}`;
      peer.made.push(token);
      peer.doc.getArray<string>(TOKENS).push([token]);
      peer.doc.getText('memo').insert(0, `${peer.label};`);
    }
  };

  beforeAll(async () => {
    const env = { DATABASE_URL: db.url, REDIS_URL: redisUrl!, CONCORD_REDIS_PREFIX: `concord-e2e:${process.pid}:${Date.now()}`, CONCORD_DEMO: '1' };
    // The database holds the demo study already (helpers/demo-postgres.ts); A starts first all the same.
    a = await startServerProcess({ env });
    b = await startServerProcess({ env });
    proxy = await failoverProxy(() => (aAlive ? portOf(a.url) : portOf(b.url)));
    for (const who of ['owner', 'editor']) cookies[who] = (await signInDemo(a.url, who)).cookie;
    const api = createApiClient(a.url, { headers: { cookie: cookies.owner! } });
    const projects = await api.api.projects.$get();
    if (!projects.ok) throw new Error(`projects: ${projects.status}`);
    const projectId = (await projects.json())[0]!.id;
    const items = await api.api.projects[':projectId'].items.$get({ param: { projectId }, query: {} });
    if (!items.ok) throw new Error(`items: ${items.status}`);
    docNames = (await items.json()).items.slice(0, 2).map((i) => `item:${i.id}`);
    expect(docNames).toHaveLength(2);
  });

  afterAll(async () => {
    disconnect(peers);
    await proxy?.close();
    await a?.dispose();
    await b?.dispose();
    await db?.drop();
  });

  it('converges with clients on both processes, survives SIGKILL of one of them mid-edit, and keeps every edit after a restart', async () => {
    // Per document: two clients behind the proxy (process A while it lives), two on B directly.
    const groups = docNames.map((name, d) => [
      connect(`d${d}-viaA-owner`, proxy.port, name, 'owner'),
      connect(`d${d}-viaA-editor`, proxy.port, name, 'editor'),
      connect(`d${d}-onB-owner`, portOf(b.url), name, 'owner'),
      connect(`d${d}-onB-editor`, portOf(b.url), name, 'editor'),
    ]);
    await eventually(() => expect(peers.every((p) => p.provider.synced)).toBe(true), EVENTUALLY_MS);
    const expectConverged = (timeoutMs?: number) =>
      eventually(() => {
        for (const group of groups) {
          const all = group.flatMap((p) => p.made).sort();
          for (const p of group) {
            expect([...tokensOf(p.doc)].sort(), p.label).toEqual(all);
            expect(p.doc.getText('memo').toString(), p.label).toBe(group[0]!.doc.getText('memo').toString());
          }
        }
      }, timeoutMs ?? EVENTUALLY_MS);

    for (let round = 0; round < 5; round++) for (const group of groups) for (const p of group) edit(p, 1 + ((round + p.label.length) % 4));
    await expectConverged();

    // A burst on every client, and process A dies in the middle of it.
    for (const group of groups) for (const p of group) edit(p, 5);
    const killed = a.stop('SIGKILL');
    for (const group of groups) for (const p of group) edit(p, 5);
    expect(await killed).toEqual({ code: null, signal: 'SIGKILL' });
    aAlive = false;
    // Edits while A's clients are cut off, then everyone converges through B.
    for (const group of groups) for (const p of group) edit(p, 3);
    await expectConverged(60_000);
    const viaA = groups.flatMap((g) => g.slice(0, 2));
    expect(viaA.every((p) => p.provider.wsconnected)).toBe(true);

    // A comes back on the same database; fresh clients on both processes see exactly what the clients hold.
    a = await a.restart();
    const expected = groups.map((g) => ({ tokens: [...tokensOf(g[0]!.doc)].sort(), memo: g[0]!.doc.getText('memo').toString() }));
    // The fresh clients learn it from the servers alone: the others leave first. (Each live
    // y-websocket provider also holds a process 'exit' listener: a dozen at once exceed Node's 10.)
    disconnect(peers.splice(0));
    for (const [d, name] of docNames.entries()) {
      for (const port of [portOf(a.url), portOf(b.url)]) {
        const fresh = connect(`fresh-${d}-${port}`, port, name, 'owner');
        await eventually(() => expect({ tokens: [...tokensOf(fresh.doc)].sort(), memo: fresh.doc.getText('memo').toString() }).toEqual(expected[d]), EVENTUALLY_MS);
        disconnect(peers.splice(0));
      }
    }
    // Each update was stored by the process that received it, and only there.
    expect(await db.query(`select count(*) - count(distinct (doc_name, md5(update))) from doc_updates`)).toBe('0');
  });
});
