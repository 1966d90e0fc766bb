/**
 * The `concord` bin: the bundled command line that `pnpm concord`, `pnpm exec concord` and npx
 * (through the bin link) and a global install (`npm install -g apps/server`) run. It must compute
 * what the library computes (Krippendorff 2011's worked example), load no TypeScript at run time,
 * and rebuild itself when a source is newer than the bundle.
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

  it('runs as pnpm exec and npx run it (the bin link) and from a global install, in any directory', () => {
    const nominal = (run: ReturnType<typeof spawnSync>) => {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      return (JSON.parse(String(run.stdout)) as { value: number }).value;
    };
    const args = ['reliability', csv, '--json'];
    const elsewhere = { cwd: dir, encoding: 'utf8', timeout: 60_000 } as const;
    // `pnpm exec concord` and `npx concord` from the repository (npx told never to fetch a package of that name).
    expect(nominal(spawnSync('pnpm', ['exec', 'concord', ...args], { ...elsewhere, cwd: repo }))).toBeCloseTo(k2011.numpy_krippendorff.nominal, 12);
    expect(nominal(spawnSync('npx', ['--no', '--offline', 'concord', ...args], { ...elsewhere, cwd: repo }))).toBeCloseTo(k2011.numpy_krippendorff.nominal, 12);
    // The link pnpm exec and npx find in node_modules/.bin (a shell script running node on the bin), from another directory.
    expect(nominal(spawnSync(path.join(repo, 'node_modules/.bin/concord'), args, elsewhere))).toBeCloseTo(k2011.numpy_krippendorff.nominal, 12);
    // `npm install -g apps/server` (here into a prefix of its own): a link to the checkout's bin on PATH.
    const prefix = path.join(dir, 'global');
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, path.join(repo, 'apps/server'), '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], elsewhere);
    expect(install.status, install.stderr).toBe(0);
    expect(nominal(spawnSync('concord', args, { ...elsewhere, env: { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH}` } }))).toBeCloseTo(
      k2011.numpy_krippendorff.nominal,
      12,
    );
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
