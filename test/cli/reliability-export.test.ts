/**
 * `concord reliability` on the project's own long export (`codings.csv?layout=long`, one row
 * per unit, coder and field), downloaded from a real server with the demo study: with
 * `--field KEY` it gives the reliability API's value for that field; without it, it refuses
 * the multi-field file (exit 2, naming the line where the second field starts) and prints no
 * number. The wide export of a field (its item columns after the unit id) gives the same value.
 * Run as `pnpm --silent concord`, the command the README gives.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReliabilityReport } from '@concord/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { signInDemo } from '../helpers/sessions.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'concord-reliability-export-'));

function concord(args: string[]) {
  const run = spawnSync('pnpm', ['--silent', 'concord', ...args], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The CLI options that name the API's coefficient for a field (its metric and level). */
function optionsFor(level: string | null): string[] | null {
  switch (level) {
    case 'nominal':
    case 'ordinal':
    case 'interval':
    case 'ratio':
      return ['--level', level];
    case 'masi':
    case 'jaccard':
      return ['--distance', level];
    default:
      return null;
  }
}

describe('concord reliability on the long codings export', () => {
  let server: ServerProcess;
  let exportFile: string;
  let exported: string;
  let report: ReliabilityReport;
  let cookie: string;
  let projectId: string;

  const get = async (urlPath: string) => {
    const res = await fetch(new URL(urlPath, server.url), { headers: { cookie } });
    if (!res.ok) throw new Error(`GET ${urlPath}: ${res.status} ${await res.text()}`);
    return res;
  };

  beforeAll(async () => {
    server = await startServerProcess({ env: { CONCORD_DEMO: '1' } });
    ({ cookie } = await signInDemo(server.url, 'owner'));
    const projects = (await (await get('/api/projects')).json()) as { id: string }[];
    projectId = projects[0]!.id;
    exported = await (await get(`/api/projects/${projectId}/export/codings.csv?layout=long`)).text();
    exportFile = path.join(dir, 'codings-long.csv');
    writeFileSync(exportFile, exported);
    report = (await (await get(`/api/projects/${projectId}/reliability`)).json()) as ReliabilityReport;
    // Downloaded here, not between CLI runs: spawnSync blocks the event loop, and a kept-alive
    // socket the server closed meanwhile fails the next fetch.
    for (const field of report.fields) {
      if (field.value === null) continue;
      const wide = await (await get(`/api/projects/${projectId}/export/codings.csv?layout=wide&field=${field.key}`)).text();
      writeFileSync(path.join(dir, `wide-${field.key}.csv`), wide);
    }
  });

  afterAll(async () => {
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a multi-field long file: without --field the CLI exits 2, says what it saw and prints no number', () => {
    const header = exported.split('\n')[0]!.replace(/^\uFEFF/, '').trim().toLowerCase().split(',');
    expect(header).toEqual(expect.arrayContaining(['unit', 'coder', 'field', 'value']));
    const run = concord(['reliability', exportFile, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // The line where a second field starts, the fields found, and the way out.
    expect(run.stderr).toMatch(/^concord reliability: line \d+, column \d+: long layout requires one field or --field KEY, the field column holds \d+ fields/);
    for (const field of report.fields.filter((f) => f.n_units > 0)) expect(run.stderr).toContain(`"${field.key}"`);
  });

  it("gives the reliability API's value for each field with --field KEY", () => {
    // Compared where the file holds what the API computed on: no N/A in ordinal or interval
    // fields (the API leaves N/A out of those; the CLI has no option for that).
    const comparable = report.fields.filter((f) => {
      if (f.value === null || optionsFor(f.level) === null) return false;
      const na = exported.split('\n').some((line) => line.includes(`,${f.key},NA`));
      return f.level === 'nominal' || f.level === 'masi' || f.level === 'jaccard' || !na;
    });
    expect(comparable.length).toBeGreaterThanOrEqual(3);
    for (const field of comparable) {
      const run = concord(['reliability', exportFile, '--field', field.key, ...optionsFor(field.level)!, '--json']);
      expect(run.stderr, field.key).toBe('');
      expect(run.code, field.key).toBe(0);
      const cli = JSON.parse(run.stdout) as { value: number; n_units: number; n_coders: number };
      expect(cli.value, field.key).toBeCloseTo(field.value!, 12);
      expect(cli.n_coders, field.key).toBe(field.n_coders);
    }
  });

  it('gives the same value on the wide export of a field, whose item columns are no coders', () => {
    const comparable = report.fields.filter((f) => f.value !== null && (f.level === 'nominal' || f.level === 'masi'));
    expect(comparable.length).toBeGreaterThanOrEqual(2);
    for (const field of comparable) {
      const run = concord(['reliability', path.join(dir, `wide-${field.key}.csv`), ...optionsFor(field.level)!, '--json']);
      expect(run.stderr, field.key).toBe('');
      const cli = JSON.parse(run.stdout) as { value: number; n_coders: number };
      expect(cli.value, field.key).toBeCloseTo(field.value!, 12);
      expect(cli.n_coders, field.key).toBe(field.n_coders);
    }
  });

  it('refuses a field the file does not hold', () => {
    const run = concord(['reliability', exportFile, '--field', 'no_such_field', '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--field no_such_field requires rows of that field/);
  });
});
