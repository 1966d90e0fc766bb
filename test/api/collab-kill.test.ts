/**
 * Live documents survive a crash of the real server process: SIGKILL while clients edit,
 * restart on the same PGlite data directory. Every edit the server acknowledged (relayed to
 * another client, which it does only after the edit is stored) is there without any client's
 * help; once the writers reconnect, every edit they made is there too.
 */
import { createServer } from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@concord/server/testing';
import { startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { loginCookie } from '../helpers/sessions.ts';

const EDITOR = 'editor@demo.concord';
const MAP = 'kill-test';
const DOCS = 3;
const WRITERS_PER_DOC = 2;
/** Kill once observers have seen this many edits: the crash lands mid-stream, not after it. */
const ACKED_BEFORE_KILL = 150;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** How long a condition may take across real processes (`eventually`'s default is for one process). */
const EVENTUALLY_MS = 20_000;

async function getJson<T>(url: string, path: string, cookie: string): Promise<T> {
  const res = await fetch(new URL(path, url), { headers: { cookie } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

interface Peer {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

function connect(wsUrl: string, docName: string, cookie: string, doc = new Y.Doc()): Peer {
  const CookieSocket = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  };
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
    },
  };
}

const synced = (peer: Peer) =>
  new Promise<void>((resolve) => {
    if (peer.provider.synced) resolve();
    else peer.provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });

const keysOf = (doc: Y.Doc) => new Set(doc.getMap(MAP).keys());

describe('live documents across a crash of the server process', () => {
  let server: ServerProcess;
  let wsUrl: string;
  let cookie: string;
  let docNames: string[];

  beforeAll(async () => {
    const port = await freePort();
    server = await startServerProcess({ env: { CONCORD_DEMO: '1', PORT: String(port) } });
    wsUrl = `${server.url.replace('http', 'ws')}/yjs`;
    cookie = await loginCookie(server.url, EDITOR, TEST_DEMO_PASSWORD);
    const projects = await getJson<{ id: string }[]>(server.url, '/api/projects', cookie);
    const items = await getJson<{ items: { id: string }[] }>(server.url, `/api/projects/${projects[0]!.id}/items`, cookie);
    docNames = items.items.slice(0, DOCS).map((i) => `item:${i.id}`);
    expect(docNames).toHaveLength(DOCS);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('keeps every acknowledged edit after SIGKILL, and every edit once the writers reconnect', async () => {
    const writers = docNames.flatMap((name) => Array.from({ length: WRITERS_PER_DOC }, () => ({ name, peer: connect(wsUrl, name, cookie) })));
    const observers = docNames.map((name) => ({ name, peer: connect(wsUrl, name, cookie) }));
    await Promise.all([...writers, ...observers].map((w) => synced(w.peer)));

    // What each observer has received is what the server stored and relayed.
    const acked = new Map(docNames.map((n) => [n, new Set<string>()]));
    for (const o of observers) {
      o.peer.doc.getMap(MAP).observe((event) => {
        for (const key of event.keysChanged) acked.get(o.name)!.add(key);
      });
    }
    const ackedCount = () => [...acked.values()].reduce((sum, s) => sum + s.size, 0);

    let n = 0;
    const timer = setInterval(() => {
      for (const [w, { peer }] of writers.entries()) peer.doc.getMap(MAP).set(`w${w}-${n}`, n);
      n++;
    }, 5);
    await eventually(() => expect(ackedCount()).toBeGreaterThanOrEqual(ACKED_BEFORE_KILL), EVENTUALLY_MS);
    await expect(server.stop('SIGKILL')).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    clearInterval(timer);
    // The writers keep their unacknowledged edits; hold them back while the server restarts.
    for (const w of writers) w.peer.provider.disconnect();
    for (const o of observers) o.peer.destroy();
    const snapshot = new Map([...acked].map(([name, keys]) => [name, [...keys]]));
    expect(ackedCount()).toBeGreaterThan(0);

    server = await server.restart();
    cookie = await loginCookie(server.url, EDITOR, TEST_DEMO_PASSWORD);

    // Without any writer: every acknowledged edit is in the stored document.
    for (const name of docNames) {
      const fresh = connect(wsUrl, name, cookie);
      await synced(fresh);
      const stored = keysOf(fresh.doc);
      const missing = snapshot.get(name)!.filter((k) => !stored.has(k));
      expect(missing, `${name}: acknowledged edits lost`).toEqual([]);
      fresh.destroy();
    }

    // The writers reconnect and hand over what the server never acknowledged.
    for (const w of writers) w.peer.provider.connect();
    for (const name of docNames) {
      const written = new Set(writers.filter((w) => w.name === name).flatMap((w) => [...keysOf(w.peer.doc)]));
      const fresh = connect(wsUrl, name, cookie);
      await eventually(() => {
        const stored = keysOf(fresh.doc);
        expect([...written].filter((k) => !stored.has(k))).toEqual([]);
      }, EVENTUALLY_MS);
      fresh.destroy();
    }
    for (const w of writers) w.peer.destroy();
  }, 120_000);
});
