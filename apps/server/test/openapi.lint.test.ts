/**
 * The OpenAPI document (issue 14, item 10): both security schemes, and every operation with an
 * operationId, a summary, a 4xx response and its security; `redocly lint` with its recommended
 * rules passes on it. Redocly runs from node_modules with telemetry and update checks off, so
 * the test needs no network. The document does not depend on the database, so the PostgreSQL
 * lane skips this file (the PGlite lane runs it).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { operationIdOf } from '../src/http/openapi.ts';

const run = promisify(execFile);
const REDOCLY = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
/** Warnings accepted, with the reason: Concord has not chosen a license yet, so the document names none. */
const ACCEPTED_WARNINGS = new Set(['info-license']);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes?: Record<string, { type: string; scheme?: string; in?: string; name?: string }> };
}

let h: Harness;
let doc: Document;
let raw: string;

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method]! })));

describe.skipIf(process.env.CONCORD_TEST_TARGET === 'postgres')('the OpenAPI document', () => {
  beforeAll(async () => {
    h = await createHarness();
    const res = await h.request(null, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    raw = await res.text();
    doc = JSON.parse(raw) as Document;
  });
  afterAll(() => h?.close());

  it('declares the session cookie and the bearer token', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'concord_session' },
      bearer: { type: 'http', scheme: 'bearer' },
    });
  });

  it('gives every operation a unique operationId, a summary, a 4xx response and its security', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(50);
    for (const { path, method, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(op.summary?.trim(), where).toBeTruthy();
      expect(Object.keys(op.responses).some((s) => /^4\d\d$/.test(s)), where).toBe(true);
      expect(op.security, where).toBeDefined();
    }
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('derives operationIds from method and path, and lets tokens (bearer) only on reads', () => {
    const find = (method: string, path: string) => doc.paths[path]![method]!;
    expect(find('get', '/api/projects/{projectId}/export/codings.csv').operationId).toBe('getProjectsExportCodingsCsv');
    expect(find('delete', '/api/auth/tokens/{tokenId}').operationId).toBe('deleteAuthTokensByTokenId');
    expect(operationIdOf('GET', '/api/projects')).toBe('getProjects');
    expect(find('get', '/api/projects/{projectId}/export/codings.csv').security).toEqual([{ session: [] }, { bearer: [] }]);
    expect(find('post', '/api/projects').security).toEqual([{ session: [] }]);
    expect(find('get', '/api/auth/tokens').security).toEqual([{ session: [] }]);
    expect(find('post', '/api/auth/login').security).toEqual([]);
    for (const { method, op } of operations()) {
      if (method !== 'get') expect(JSON.stringify(op.security)).not.toContain('bearer');
    }
  });

  it('passes redocly lint with the recommended rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'concord-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, raw);
      const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
      // Exit code 1 on errors: read the report either way.
      const result = await run(process.execPath, [REDOCLY, 'lint', file, '--extends=recommended', '--format=json', '--max-problems=1000'], { env, cwd: dir, maxBuffer: 16 << 20 }).catch(
        (err: { stdout: string; stderr: string }) => err,
      );
      const report = JSON.parse(result.stdout) as { problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
      const problems = report.problems.filter((p) => !(p.severity === 'warn' && ACCEPTED_WARNINGS.has(p.ruleId)));
      expect(problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
