/**
 * The `concord` bin: the bundled command line that `pnpm concord`, `pnpm exec concord` and the
 * bin link run. It must compute what the library computes (Krippendorff 2011's worked example),
 * load no TypeScript at run time, and rebuild itself when a source is newer than the bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(repo, 'apps/server/bin/concord.mjs');
const BUNDLE = path.join(repo, 'apps/server/dist/concord.mjs');
const k2011 = JSON.parse(readFileSync(path.join(repo, 'packages/reliability/src/__fixtures__/krippendorff-2011.json'), 'utf8')) as {
  rows: (number | null)[][];
  numpy_krippendorff: Record<'nominal' | 'ordinal' | 'interval' | 'ratio', number>;
};

const dir = mkdtempSync(path.join(tmpdir(), 'concord-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const csv = path.join(dir, 'k2011.csv');
writeFileSync(csv, `unit,A,B,C,D\n${k2011.rows.map((row, i) => [i + 1, ...row.map((x) => (x === null ? '' : String(x)))].join(',')).join('\n')}\n`);

function concord(args: string[], options: { execArgv?: string[] } = {}) {
  const run = spawnSync(process.execPath, [...(options.execArgv ?? []), BIN, ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the concord bin', () => {
  it('computes the worked example at every level, from the bundle alone', () => {
    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      // A loader hook that fails on any .ts module proves nothing is transpiled at run time.
      const run = concord(['reliability', csv, '--level', level, '--json'], { execArgv: ['--import', `data:text/javascript,${encodeURIComponent(NO_TYPESCRIPT_HOOK)}`] });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as { value: number; n_units: number };
      expect(report.n_units).toBe(12);
      expect(report.value).toBeCloseTo(k2011.numpy_krippendorff[level], 12);
    }
  });

  it('exits 2 naming the line of a ragged row, and on an unknown command', () => {
    const bad = path.join(dir, 'ragged.csv');
    writeFileSync(bad, 'unit,A,B\n1,a,b\n2,a\n');
    const ragged = concord(['reliability', bad]);
    expect(ragged.code).toBe(2);
    expect(ragged.stderr).toMatch(/line 3/);
    const unknown = concord(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('rebuilds the bundle when a source file is newer than it', () => {
    expect(concord(['--help']).code).toBe(0);
    // Older than any checkout's files (an hour ago was not, in a checkout over an hour old with no edit since).
    const past = new Date(2000, 0, 1);
    utimesSync(BUNDLE, past, past);
    const run = concord(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/usage: pnpm concord/);
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThan(past.getTime() + 1000);
  });
});

/** Registers a module hook that throws on any TypeScript module. */
const NO_TYPESCRIPT_HOOK = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
export async function load(url, context, next) {
  if (/\\\\.(c|m)?tsx?$/.test(new URL(url).pathname)) throw new Error('TypeScript loaded at run time: ' + url);
  return next(url, context);
}\`));
`;
