/**
 * Live-document test helpers: a real server (startConcord on port 0) over a database that
 * survives restarts, real y-websocket providers and raw ws clients (`eventually`, for
 * retried assertions, is in testing.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Database } from '@concord/db';
import { createTestDb, type TestDatabase } from '@concord/db/testing';
import { ITEM_DOC, ROLES, type Role } from '@concord/shared';
import { createApp } from '../src/app.ts';
import { testConfig, type Config } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startConcord, type RunningServer } from '../src/server.ts';
import { clientVia, createProjectFixture, requestVia, signUp, type Harness, type ProjectFixture, type Session } from './harness.ts';
import { eventually } from './testing.ts';
import { mulberry32 } from '../src/services/assignments/sampling.ts';

/**
 * A test database that can be opened by one server after another: PGlite on a temporary
 * directory (closed between servers), or a fresh PostgreSQL database on the test:pg lane.
 */
export interface TestStore {
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

export async function createTestStore(): Promise<TestStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'concord-collab-'));
  const db: TestDatabase = await createTestDb({ dataDir: dir });
  if (db.label === 'pglite') await db.close();
  return {
    open: () => db.reopen(),
    async dispose() {
      if (db.label !== 'pglite') await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CollabServer {
  server: RunningServer;
  /** The test harness API (signUp, fixtures) on this server's deps. */
  h: Harness;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startCollabServer(store: TestStore, overrides: Partial<Config> = {}): Promise<CollabServer> {
  const database = await store.open();
  const config = testConfig({ port: 0, ...overrides });
  const logger = createLogger(config);
  const server = await startConcord(config, { database, logger });
  const app = createApp(server.deps);
  const h: Harness = {
    app,
    deps: server.deps,
    database: database as TestDatabase,
    config,
    close: () => server.close(),
    request: requestVia(app),
    client: clientVia(app),
    ctx: (actor) => ({ db: server.deps.database.db, actor, logger, collab: server.deps.collab }),
  };
  return { server, h, wsUrl: `ws://127.0.0.1:${server.port}/yjs`, close: () => server.close() };
}

export interface Team {
  members: Record<Role, Session>;
  coderB: Session;
  outsider: Session;
}

export async function createTeam(h: Harness): Promise<Team> {
  const sessions = await Promise.all(ROLES.map((r) => signUp(h, r)));
  const members = Object.fromEntries(ROLES.map((r, i) => [r, sessions[i]!])) as Record<Role, Session>;
  return { members, coderB: await signUp(h, 'coderB'), outsider: await signUp(h, 'outsider') };
}

/** A project with one item assigned to the team's coder and coderB. */
export const createFixture = (h: Harness, team: Team): Promise<ProjectFixture> => createProjectFixture(h, team.members, { extraCoders: [team.coderB] });

/**
 * Opens stock y-websocket clients and destroys them after each test. Every live provider
 * holds a process 'exit' listener (y-websocket broadcasts its departure on exit): clients
 * kept to the end of a file pile up past Node's limit of 10 and print
 * MaxListenersExceededWarning, so a test's clients end with the test.
 */
export function clientsPerTest() {
  const open: Client[] = [];
  afterEach(() => closeAll());
  afterAll(() => closeAll());
  function closeAll() {
    for (const c of open.splice(0)) c.destroy();
  }
  return {
    connect(...args: Parameters<typeof connectClient>): Client {
      const c = connectClient(...args);
      open.push(c);
      return c;
    },
    closeAll,
  };
}

/** One collab test file's world: a database, a server on it, the team, projects, and per-test clients. */
export interface CollabSuite {
  store: TestStore;
  s: CollabServer;
  team: Team;
  fixtures: ProjectFixture[];
  /** The first fixture. */
  f: ProjectFixture;
  /** A stock y-websocket client on this suite's server, destroyed after the test. */
  client(docName: string, credentials: Credentials): Client;
  /** Closes the clients and the server, and starts a new server on the same database. */
  restart(overrides?: Partial<Config>): Promise<void>;
}

/**
 * Registers the file's hooks: before all, a server on a fresh store, the team and
 * `fixtures` projects (items in a joint session with `joint`); after each test, its clients
 * are closed; after all, the server and the store.
 */
export function collabSuite(options: { fixtures?: number; joint?: boolean; config?: Partial<Config> } = {}): CollabSuite {
  const clients = clientsPerTest();
  const suite = {
    client: (docName: string, credentials: Credentials) => clients.connect(suite.s.wsUrl, docName, credentials),
    async restart(overrides: Partial<Config> = {}) {
      clients.closeAll();
      await suite.s.close();
      suite.s = await startCollabServer(suite.store, { ...options.config, ...overrides });
    },
  } as CollabSuite;
  beforeAll(async () => {
    suite.store = await createTestStore();
    suite.s = await startCollabServer(suite.store, options.config);
    suite.team = await createTeam(suite.s.h);
    suite.fixtures = [];
    for (let i = 0; i < (options.fixtures ?? 1); i++) suite.fixtures.push(await createFixture(suite.s.h, suite.team));
    suite.f = suite.fixtures[0]!;
    // Coders write the shared item documents in joint sessions (during blind coding only editors do).
    for (const f of options.joint ? suite.fixtures : []) {
      const res = await suite.s.h.request(suite.team.members.editor, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/phase`, { phase: 'joint' });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    clients.closeAll();
    await suite.s?.close();
    await suite.store?.dispose();
  });
  return suite;
}

/** What an item document holds, for comparing replicas. */
export const contentOf = (doc: Y.Doc) => ({
  text: doc.getText('memo').toString(),
  annotations: doc.getArray(ITEM_DOC.annotations).toJSON(),
  memos: doc.getMap(ITEM_DOC.memos).toJSON(),
});

/**
 * Seeded random edits of item documents: `rounds` rounds in which every peer of every
 * document may disconnect, makes 1 to `maxEdits` edits (text, annotations, memos) and may
 * reconnect; then every peer reconnects. `authors[i]` is the user id of each document's
 * i-th peer: entries carry it, and each peer replaces only its own memos (the server's rule).
 */
export function randomItemEdits(docs: Client[][], random: () => number, options: { rounds: number; maxEdits: number; authors: string[] }) {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  for (let round = 0; round < options.rounds; round++) {
    for (const peers of docs) {
      for (const [p, peer] of peers.entries()) {
        const authorId = options.authors[p]!;
        if (random() < 0.15) peer.provider.disconnect();
        const edits = 1 + Math.floor(random() * options.maxEdits);
        for (let i = 0; i < edits; i++) {
          const text = peer.doc.getText('memo');
          const op = random();
          if (op < 0.45) text.insert(Math.floor(random() * (text.length + 1)), pick(['a', 'frame ', 'ZZ', '\n']));
          else if (op < 0.6 && text.length > 0) {
            const at = Math.floor(random() * text.length);
            text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 3)));
          } else if (op < 0.8) peer.doc.getArray(ITEM_DOC.annotations).push([{ from: Math.floor(random() * 50), frame: pick(['security', 'leader']), authorId }]);
          else peer.doc.getMap(ITEM_DOC.memos).set(`${authorId}:${pick(['m1', 'm2', 'm3'])}`, { text: pick(['x', 'y', 'z']), round, authorId });
        }
        if (!peer.provider.wsconnected && random() < 0.7) peer.provider.connect();
      }
    }
  }
  for (const peers of docs) for (const peer of peers) if (!peer.provider.shouldConnect) peer.provider.connect();
}

/** Every peer of each document ends with the same content, and none was closed. */
export async function expectConverged(docs: Client[][], seed: number, timeoutMs: number) {
  for (const peers of docs) {
    await eventually(() => {
      const first = contentOf(peers[0]!.doc);
      for (const peer of peers.slice(1)) expect(contentOf(peer.doc), `seed ${seed}`).toEqual(first);
      for (const peer of peers) expect(peer.closes, `seed ${seed}`).toEqual([]);
    }, timeoutMs);
  }
}

export type Credentials = { cookie: string } | { token: string } | null;

function socketClass(credentials: Credentials) {
  const cookie = credentials && 'cookie' in credentials ? credentials.cookie : null;
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  };
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/** A stock y-websocket provider, authenticated by cookie or token. */
export function connectClient(wsUrl: string, docName: string, credentials: Credentials, doc = new Y.Doc()): Client {
  const closes: { code: number; reason: string }[] = [];
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    WebSocketPolyfill: socketClass(credentials) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: credentials && 'token' in credentials ? { token: credentials.token } : {},
  });
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface RawClient {
  ws: WebSocket;
  received: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare ws client: records every frame the server sends and how the connection ended. */
export function connectRaw(wsUrl: string, docName: string, credentials: Credentials): RawClient {
  const query = credentials && 'token' in credentials ? `?token=${encodeURIComponent(credentials.token)}` : '';
  const ws = new WebSocket(`${wsUrl}/${docName}${query}`, credentials && 'cookie' in credentials ? { headers: { cookie: credentials.cookie } } : {});
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, received, opened, closed };
}

/** A seeded PRNG; tests print their seed and accept `CONCORD_TEST_SEED` to replay one. */
export const seededRandom = mulberry32;

/** The seed to replay (CONCORD_TEST_SEED, passed in by the test file), or a fresh one. */
export function testSeed(replay: string | undefined): number {
  const fromEnv = Number(replay);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}

/** A channel prefix of its own, so tests (and developers' servers) on one Redis never hear each other. */
export const uniqueRedisPrefix = (label: string) => `concord-test:${label}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
