/**
 * `pnpm concord backup FILE` / `pnpm concord restore FILE [--force]`, run as real CLI
 * processes against real data directories (and PostgreSQL when TEST_DATABASE_URL is set):
 * a seeded project (the demo study's codings, plus a comment, an adjudication and an item
 * document edited live) round-trips with byte-identical exports and the same live documents;
 * a running server's directory (for a backup and for a restore), a non-empty target and damaged
 * files are refused, and a server does not start on a directory a backup holds.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import postgres from 'postgres';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startServerProcess, TEST_DEMO_PASSWORD, type ServerProcess } from '../helpers/server.ts';
import { demoEmail, signIn } from '../helpers/sessions.ts';

// The `concord` bin, as `pnpm concord` runs it: the bundled CLI.
const CLI = fileURLToPath(new URL('../../apps/server/bin/concord.mjs', import.meta.url));
// The server's launcher, as `pnpm start` and the systemd unit run it.
const SERVE = fileURLToPath(new URL('../../apps/server/bin/serve', import.meta.url));
const PG_URL = process.env.TEST_DATABASE_URL;

type Target = { dataDir: string } | { databaseUrl: string };

function concord(args: string[], target: Target, extraEnv: Record<string, string> = {}) {
  const { DATABASE_URL: _db, CONCORD_DATA_DIR: _dir, CONCORD_ATTACHMENTS_DIR: _files, ...env } = process.env;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...env, CONCORD_DEMO: '0', LOG_LEVEL: 'warn', ...extraEnv, ...('dataDir' in target ? { CONCORD_DATA_DIR: target.dataDir } : { DATABASE_URL: target.databaseUrl }) },
    encoding: 'utf8',
    // A fresh PGlite directory (initdb) takes minutes on a loaded machine.
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const exportsOf = (field: string) => ['codings.csv', `codings.csv?layout=wide&field=${field}`, 'gold.csv', 'discussion.csv', 'discussion.json', 'codebook.json', `irr.csv?field=${field}`];

interface Snapshot {
  exports: Record<string, string>;
  docs: Record<string, { vector: string; state: string; memo: string }>;
}

async function api(server: ServerProcess, cookie: string, urlPath: string, init: RequestInit = {}) {
  const res = await fetch(`${server.url}${urlPath}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...init.headers } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${urlPath}: ${res.status} ${await res.text()}`);
  return res;
}

function connect(server: ServerProcess, docName: string, cookie: string) {
  const CookieSocket = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  };
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace('http', 'ws')}/yjs`, docName, doc, { WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  const synced = new Promise<void>((resolve) => provider.once('sync', (ok: boolean) => ok && resolve()));
  return { doc, provider, synced };
}

/** Exports of the project and the state of the given live documents, read through a running server. */
async function snapshot(server: ServerProcess, projectId: string, docNames: string[]): Promise<Snapshot> {
  const owner = await signIn(server.url, demoEmail('owner'), TEST_DEMO_PASSWORD);
  const exports: Record<string, string> = {};
  for (const e of exportsOf(fieldKey)) exports[e] = await (await api(server, owner.cookie, `/api/projects/${projectId}/export/${e}`)).text();
  const docs: Snapshot['docs'] = {};
  for (const name of docNames) {
    const peer = connect(server, name, owner.cookie);
    await peer.synced;
    const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    docs[name] = { vector: base64(Y.encodeStateVector(peer.doc)), state: base64(Y.encodeStateAsUpdate(peer.doc)), memo: peer.doc.getText('memo').toString() };
    peer.provider.destroy();
  }
  return { exports, docs };
}

let work: string;
let source: string;
let projectId: string;
let fieldKey: string;
let docNames: string[];
let before: Snapshot;
const backupFile = () => path.join(work, 'concord.backup');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'concord-backup-'));
  source = path.join(work, 'source');
  await cp(inject('demoDataDir'), source, { recursive: true });
  const server = await startServerProcess({ dataDir: source, env: { CONCORD_DEMO: '0' } });
  try {
    const editor = await signIn(server.url, demoEmail('editor'), TEST_DEMO_PASSWORD);
    const owner = await signIn(server.url, demoEmail('owner'), TEST_DEMO_PASSWORD);
    const projects = (await (await api(server, owner.cookie, '/api/projects')).json()) as { id: string }[];
    projectId = projects[0]!.id;
    const { disagreements } = (await (await api(server, owner.cookie, `/api/projects/${projectId}/disagreements`)).json()) as {
      disagreements: { itemId: string; fieldKey: string; values: { value: unknown }[] }[];
    };
    const d = disagreements[0]!;
    fieldKey = d.fieldKey;
    await api(server, editor.cookie, `/api/projects/${projectId}/items/${d.itemId}/adjudications/${d.fieldKey}`, {
      method: 'PUT',
      body: JSON.stringify({ value: d.values[0]!.value, rationale: 'the first coder read the caption right' }),
    });
    await api(server, editor.cookie, `/api/projects/${projectId}/items/${d.itemId}/comments`, { method: 'POST', body: JSON.stringify({ body: 'Decided: see the caption, @coder1' }) });
    // An item document edited live: its rows are in doc_updates until the room unloads.
    const itemDoc = `item:${d.itemId}`;
    const peer = connect(server, itemDoc, editor.cookie);
    await peer.synced;
    peer.doc.getText('memo').insert(0, 'memo written before the backup');
    const check = connect(server, itemDoc, owner.cookie);
    await vi.waitFor(() => expect(check.doc.getText('memo').toString()).toBe('memo written before the backup'), { timeout: 20_000, interval: 100 });
    peer.provider.destroy();
    check.provider.destroy();
    const codings = (await (await api(server, owner.cookie, `/api/projects/${projectId}/export/codings.csv`)).text()).split('\n');
    expect(codings.length).toBeGreaterThan(10);

    // While the server runs, its PGlite directory is refused, clearly.
    const busy = concord(['backup', backupFile()], { dataDir: source });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/the data directory .* is in use by a running Concord server \(pid \d+\): stop it first/);
    docNames = [itemDoc];
  } finally {
    await server.stop();
  }
  // Coding documents the demo seed wrote through the live documents (coder1 coded every item).
  const server2 = await startServerProcess({ dataDir: source, env: { CONCORD_DEMO: '0' } });
  try {
    const coder = await signIn(server2.url, demoEmail('coder1'), TEST_DEMO_PASSWORD);
    const { items } = (await (await api(server2, coder.cookie, `/api/projects/${projectId}/items?limit=3&coder=${coder.id}`)).json()) as { items: { id: string }[] };
    docNames.push(...items.map((i) => `coding:${i.id}:${coder.id}`));
    before = await snapshot(server2, projectId, docNames);
  } finally {
    await server2.stop();
  }
  expect(Object.keys(before.docs)).toHaveLength(4);
  expect(before.docs[docNames[0]!]!.memo).toBe('memo written before the backup');
}, 600_000);

afterAll(() => rm(work, { recursive: true, force: true }));

describe('concord backup and restore', () => {
  it('round-trips a PGlite data directory: byte-identical exports, the same live documents', { timeout: 600_000 }, async () => {
    const backedUp = concord(['backup', backupFile()], { dataDir: source });
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(/^backed up \d+ rows of \d+ tables at migration \d{4}_\w+ from PGlite at .* to .*concord\.backup\n$/);
    const header = JSON.parse(gunzipSync(await readFile(backupFile())).toString('utf8').split('\n')[0]!) as { tables: { name: string; rows: number }[] };
    const rows = Object.fromEntries(header.tables.map((t) => [t.name, t.rows]));
    for (const table of ['users', 'codings', 'comments', 'adjudications', 'audit_log', 'doc_snapshots']) expect(rows[table], table).toBeGreaterThan(0);
    // Rooms compact their log into the snapshot when the server stops; the table is backed up all the same.
    expect(rows).toHaveProperty('doc_updates');

    const target = path.join(work, 'restored');
    const restored = concord(['restore', backupFile()], { dataDir: target });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^restored \d+ rows of \d+ tables \(taken .* on pglite at migration \d{4}_\w+\) into PGlite at /);

    const server = await startServerProcess({ dataDir: target, env: { CONCORD_DEMO: '0' } });
    try {
      expect(await snapshot(server, projectId, docNames)).toEqual(before);
    } finally {
      await server.stop();
    }

    // A second restore into the now non-empty directory needs --force.
    const refused = concord(['restore', backupFile()], { dataDir: target });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the target database is not empty \(.*users.*\).*add --force/);
    const forced = concord(['restore', '--force', backupFile()], { dataDir: target });
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
  });

  it.skipIf(!PG_URL)('restores the PGlite backup into PostgreSQL, and round-trips from PostgreSQL, with the same exports and documents', { timeout: 600_000 }, async () => {
    const admin = postgres(PG_URL!, { max: 1, onnotice: () => {} });
    const names = [0, 1].map((i) => `concord_backup_${process.pid}_${i}_${Math.random().toString(36).slice(2, 8)}`);
    const urls = names.map((n) => Object.assign(new URL(PG_URL!), { pathname: `/${n}` }).toString());
    try {
      for (const n of names) await admin.unsafe(`CREATE DATABASE "${n}"`);
      const intoPg = concord(['restore', backupFile()], { databaseUrl: urls[0]! });
      expect(intoPg.stderr).toBe('');
      expect(intoPg.code).toBe(0);
      const pgFile = path.join(work, 'from-postgres.backup');
      const fromPg = concord(['backup', pgFile], { databaseUrl: urls[0]! });
      expect(fromPg.stderr).toBe('');
      expect(fromPg.stdout).toContain('from PostgreSQL (DATABASE_URL)');
      const again = concord(['restore', pgFile], { databaseUrl: urls[1]! });
      expect(again.code).toBe(0);
      for (const url of urls) {
        const server = await startServerProcess({ env: { CONCORD_DEMO: '0', DATABASE_URL: url } });
        try {
          expect(await snapshot(server, projectId, docNames)).toEqual(before);
        } finally {
          await server.stop();
        }
      }
    } finally {
      for (const n of names) await admin.unsafe(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('with CONCORD_ATTACHMENTS_DIR, carries the attachment files, SHA-256 checked, into a directory or into the rows', { timeout: 600_000 }, async () => {
    const dataDir = path.join(work, 'files-source');
    const filesDir = path.join(work, 'files-source-attachments');
    await cp(inject('demoDataDir'), dataDir, { recursive: true });
    const bytes = Buffer.from(`Archived post text, Қазақша, ${'x'.repeat(3 << 20)}\n`, 'utf8'); // more than three parts of a MiB
    let attachmentPath = '';
    const server = await startServerProcess({ dataDir, env: { CONCORD_DEMO: '0', CONCORD_ATTACHMENTS_DIR: filesDir } });
    try {
      const editor = await signIn(server.url, demoEmail('editor'), TEST_DEMO_PASSWORD);
      const { items } = (await (await api(server, editor.cookie, `/api/projects/${projectId}/items?limit=1`)).json()) as { items: { id: string }[] };
      const item = items[0]!.id;
      const res = await api(server, editor.cookie, `/api/projects/${projectId}/items/${item}/attachments?name=post.txt`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      attachmentPath = `/api/projects/${projectId}/items/${item}/attachments/${((await res.json()) as { id: string }).id}`;
      expect(Buffer.from(await (await api(server, editor.cookie, attachmentPath)).arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      await server.stop();
    }
    const file = path.join(work, 'files.backup');
    const withoutDir = concord(['backup', file], { dataDir });
    expect(withoutDir.code).toBe(1);
    expect(withoutDir.stderr).toContain('1 attachment(s) are stored in a directory: set CONCORD_ATTACHMENTS_DIR');
    const backedUp = concord(['backup', file], { dataDir }, { CONCORD_ATTACHMENTS_DIR: filesDir });
    expect(backedUp.stderr).toBe('');
    expect(backedUp.stdout).toContain(`and 1 attachment file(s) of ${filesDir} at migration`);

    const download = async (target: string, env: Record<string, string>) => {
      const restored = await startServerProcess({ dataDir: target, env: { CONCORD_DEMO: '0', ...env } });
      try {
        const editor = await signIn(restored.url, demoEmail('editor'), TEST_DEMO_PASSWORD);
        return Buffer.from(await (await api(restored, editor.cookie, attachmentPath)).arrayBuffer());
      } finally {
        await restored.stop();
      }
    };
    // Into another deployment's directory: the same file, the same download.
    const intoDir = path.join(work, 'files-restored');
    const intoFiles = path.join(work, 'files-restored-attachments');
    const restored = concord(['restore', file], { dataDir: intoDir }, { CONCORD_ATTACHMENTS_DIR: intoFiles });
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toContain('and 1 attachment file(s)');
    expect((await readFile(path.join(intoFiles, path.basename(attachmentPath)))).equals(bytes)).toBe(true);
    expect((await download(intoDir, { CONCORD_ATTACHMENTS_DIR: intoFiles })).equals(bytes)).toBe(true);
    // Into a deployment without a directory: the bytes go into the row.
    const intoRows = path.join(work, 'files-restored-rows');
    expect(concord(['restore', file], { dataDir: intoRows }).code).toBe(0);
    expect((await download(intoRows, {})).equals(bytes)).toBe(true);

    // A file changed on disk stops the backup; a changed byte in the backup's file stops the restore.
    await writeFile(path.join(filesDir, path.basename(attachmentPath)), Buffer.concat([bytes.subarray(0, -1), Buffer.from('!')]));
    const changed = concord(['backup', path.join(work, 'changed.backup')], { dataDir }, { CONCORD_ATTACHMENTS_DIR: filesDir });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('does not match the SHA-256 and size stored with it');
    const lines = gunzipSync(await readFile(file)).toString('utf8').split('\n');
    const part = lines.findIndex((l) => l.startsWith('{"data":'));
    lines[part] = lines[part]!.replace(/"data":"(.)/, (_m, c: string) => `"data":"${c === 'A' ? 'B' : 'A'}`);
    await writeFile(path.join(work, 'bad-file.backup'), gzipSync(lines.join('\n')));
    const bad = concord(['restore', path.join(work, 'bad-file.backup')], { dataDir: path.join(work, 'files-bad') }, { CONCORD_ATTACHMENTS_DIR: path.join(work, 'files-bad-attachments') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/its bytes do not match the SHA-256 recorded with them|checksum mismatch/);
  });

  it('refuses damaged or foreign files with exit code 2 and says what is wrong, leaving the target unchanged', { timeout: 300_000 }, async () => {
    const good = await readFile(backupFile());
    const target = { dataDir: path.join(work, 'damaged-target') };
    const cases: [string, Buffer, RegExp][] = [
      ['truncated.backup', good.subarray(0, Math.floor(good.length / 2)), /corrupt or truncated gzip data|truncated: the file ends/],
      ['not-gzip.backup', Buffer.from('users,codings\n1,2\n'), /corrupt or truncated gzip data: incorrect header check/],
      ['foreign.backup', gzipSync('{"hello":"world"}\n'), /not a Concord backup: the header does not name the concord-backup format/],
    ];
    const text = gunzipSync(good).toString('utf8');
    const lines = text.split('\n');
    // One changed character in a row: still valid JSON lines, caught by the checksum.
    const tampered = [lines[0], lines[1]!.replace(/\d/, (d) => String((Number(d) + 1) % 10)), ...lines.slice(2)].join('\n');
    expect(tampered).not.toBe(text);
    cases.push(['tampered.backup', gzipSync(tampered), /checksum mismatch: the file was changed or damaged/]);
    // The end record gone: a file cut at a line boundary.
    cases.push(['no-end.backup', gzipSync(lines.slice(0, -2).join('\n') + '\n'), /truncated: the file ends before its end record/]);
    for (const [name, content, message] of cases) {
      const file = path.join(work, name);
      await writeFile(file, content);
      const result = concord(['restore', file], target);
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toMatch(message);
    }
    const missing = concord(['restore', path.join(work, 'nope.backup')], target);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const usage = concord(['backup'], target);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: pnpm concord backup FILE');
  });

  it('refuses to restore into a PGlite directory a running server holds, and opens nothing there', async () => {
    // The lock file a running server writes (ops/data-dir-lock.ts), naming a live process: this test's.
    const dataDir = path.join(work, 'in-use-target');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'concord.pid'), JSON.stringify({ pid: process.pid, role: 'server', since: new Date().toISOString() }));
    const refused = concord(['restore', '--force', backupFile()], { dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `concord restore: the data directory ${dataDir} is in use by a running Concord server (pid ${process.pid}): stop it first (PGlite backups and restores run while the server is stopped)\n`,
    );
    expect(await readdir(dataDir)).toEqual(['concord.pid']);
  });

  it('a server does not start on a PGlite directory a backup or restore holds, and says so in one line', async () => {
    const dataDir = path.join(work, 'backup-running');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'concord.pid'), JSON.stringify({ pid: process.pid, role: 'backup', since: new Date().toISOString() }));
    const start = spawnSync('sh', [SERVE], {
      env: { PATH: process.env.PATH, CONCORD_DATA_DIR: dataDir, PORT: '0', CONCORD_DEMO: '0', LOG_LEVEL: 'warn', CONCORD_WEB_BUILD_DIR: 'none' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(start.status).toBe(1);
    expect(start.stderr).toBe(`the data directory ${dataDir} is in use by a running Concord backup (pid ${process.pid}): stop it first\n`);
    expect(await readdir(dataDir)).toEqual(['concord.pid']);
  });
});
