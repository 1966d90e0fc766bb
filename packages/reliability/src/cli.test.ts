import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import k2011 from './__fixtures__/krippendorff-2011.json';
import { runReliabilityCli } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'concord-reliability-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
function csv(text: string): string {
  const file = join(dir, `input-${fileCounter++}.csv`);
  writeFileSync(file, text);
  return file;
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runReliabilityCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const K2011_CSV = csv(
  `unit,A,B,C,D\n${k2011.rows.map((row, i) => [i + 1, ...row.map((x) => (x === null ? '' : String(x)))].join(',')).join('\n')}\n`,
);

const JSON_KEYS = [
  'metric',
  'level',
  'weights',
  'value',
  'n_units',
  'n_coders',
  'n_pairable',
  'observed_disagreement',
  'expected_disagreement',
  'ci',
  'reason',
];

describe('concord reliability --json contract', () => {
  for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
    it(`prints one JSON object for alpha at the ${level} level`, async () => {
      const { code, stdout, stderr } = await run([K2011_CSV, '--level', level, '--json']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      const report = JSON.parse(stdout) as Record<string, unknown>;
      expect(Object.keys(report)).toEqual(JSON_KEYS);
      expect(report).toMatchObject({ metric: 'krippendorff-alpha', level, weights: null, n_units: 12, n_coders: 4, n_pairable: 40, ci: null, reason: null });
      expect(report.value).toBeCloseTo(k2011.numpy_krippendorff[level], 12);
    });
  }

  it('defaults to nominal alpha', async () => {
    const report = JSON.parse((await run([K2011_CSV, '--json'])).stdout) as { metric: string; level: string; value: number };
    expect(report.metric).toBe('krippendorff-alpha');
    expect(report.level).toBe('nominal');
    expect(report.value).toBeCloseTo(0.743421052631579, 12);
  });

  it('adds a bootstrap interval, reproducible with --seed', async () => {
    const first = await run([K2011_CSV, '--bootstrap', '500', '--seed', '3', '--json']);
    const second = await run([K2011_CSV, '--bootstrap=500', '--seed=3', '--json']);
    expect(first.stdout).toBe(second.stdout);
    const report = JSON.parse(first.stdout) as { value: number; ci: { low: number; high: number; level: number } };
    expect(report.ci.level).toBe(0.95);
    expect(report.ci.low).toBeLessThanOrEqual(report.value);
    expect(report.ci.high).toBeGreaterThanOrEqual(report.value);
  });

  it('value is null exactly when reason says why', async () => {
    const file = csv('unit,A,B\n1,x,x\n2,x,x\n3,x,\n');
    const report = JSON.parse((await run([file, '--json'])).stdout) as { value: unknown; reason: unknown };
    expect(report.value).toBeNull();
    expect(report.reason).toMatch(/expected disagreement is zero/);
  });

  it('computes every metric', async () => {
    const two = csv('unit,A,B\n1,1,1\n2,2,2\n3,3,2\n4,1,1\n5,2,3\n6,3,3\n');
    for (const metric of ['percent-agreement', 'holsti', 'cohen-kappa', 'scott-pi', 'fleiss-kappa', 'brennan-prediger', 'gwet-ac', 'krippendorff-alpha']) {
      const { code, stdout } = await run([two, '--metric', metric, '--json']);
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as { metric: string; value: number };
      expect(report.metric).toBe(metric);
      expect(typeof report.value).toBe('number');
    }
    const weighted = JSON.parse((await run([two, '--metric', 'cohen-kappa', '--weights', 'quadratic', '--json'])).stdout) as { weights: string };
    expect(weighted.weights).toBe('quadratic');
  });

  it('reads the long layout', async () => {
    const lines = ['unit,coder,value'];
    k2011.rows.forEach((row, u) => row.forEach((x, c) => lines.push(`${u + 1},${k2011.coders[c]},${x ?? ''}`)));
    const report = JSON.parse((await run([csv(lines.join('\n')), '--layout', 'long', '--level', 'interval', '--json'])).stdout) as { value: number };
    expect(report.value).toBeCloseTo(k2011.numpy_krippendorff.interval, 12);
  });

  it('computes alpha on set values with --distance', async () => {
    const file = csv('unit,A,B,C\n1,a|b,a|b,a\n2,c,c,c|d\n3,b,a,b\n4,d,d,\n');
    const report = JSON.parse((await run([file, '--distance', 'masi', '--json'])).stdout) as { level: string; value: number };
    expect(report.level).toBe('masi');
    expect(report.value).toBeGreaterThan(0);
  });

  it('declares categories and their order with --categories', async () => {
    const file = csv('unit,A,B\n1,low,mid\n2,mid,mid\n3,high,mid\n4,low,low\n5,high,high\n');
    const ordered = JSON.parse((await run([file, '--level', 'ordinal', '--categories', 'low,mid,high', '--json'])).stdout) as { value: number };
    const alphabetic = JSON.parse((await run([file, '--level', 'ordinal', '--json'])).stdout) as { value: number };
    expect(ordered.value).not.toBeCloseTo(alphabetic.value, 6);
  });

  it('prints a human-readable summary without --json', async () => {
    const { code, stdout } = await run([K2011_CSV, '--bootstrap', '200']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Krippendorff's alpha \(nominal\): 0\.743/);
    expect(stdout).toMatch(/95% CI/);
    expect(stdout).toMatch(/P\(alpha < \.800\)/);
  });
});

describe('concord reliability on a file larger than its read window (256 KiB)', () => {
  // The Krippendorff (2011) rows again and again, in every spelling the scanner treats apart:
  // a byte-order mark, CRLF, quoted cells (one across a line break), blanks around codes,
  // empty cells for missing values, blank lines, and no line break at the end.
  const rows = k2011.rows.map((row) => row.map((x) => (x === null ? '' : String(x))));
  const REPEAT = 5000;
  const spelled: string[] = [];
  for (let r = 0; r < REPEAT; r++) {
    rows.forEach((row, i) => {
      const u = r * rows.length + i + 1;
      const cells = row.map((x, c) => (x === '' ? (c % 2 ? '' : '  ') : c === 0 ? `"${x}"` : c === 1 ? ` ${x} ` : x));
      spelled.push([u % 97 ? String(u) : `"unit\r\n${u}"`, ...cells].join(','));
      if (u % 50 === 0) spelled.push('');
    });
  }
  const big = `\uFEFFunit,A,"B",C,D\r\n${spelled.join('\r\n')}`;
  const plain = `unit,A,B,C,D\n${Array.from({ length: REPEAT }, () => rows.map((row, i) => [i + 1, ...row].join(',')).join('\n')).join('\n')}\n`;

  it('gives the numbers of the same codes written plainly', async () => {
    expect(big.length).toBeGreaterThan(3 * 256 * 1024);
    const fromBig = await run([csv(big), '--level', 'ordinal', '--json']);
    const fromPlain = await run([csv(plain), '--level', 'ordinal', '--json']);
    expect(fromBig.code).toBe(0);
    expect(fromBig.stderr).toBe('');
    expect(JSON.parse(fromBig.stdout)).toEqual(JSON.parse(fromPlain.stdout));
    expect(JSON.parse(fromBig.stdout)).toMatchObject({ n_units: REPEAT * rows.length, n_coders: 4 });
  });

  it('names the line of a bad row far into the file, exit 2 and nothing on stdout', async () => {
    const lines = plain.split('\n');
    expect(lines[50_000]?.split(',')).toHaveLength(5);
    lines[50_000] = '1,1,2'; // 483 KB in: in the second window
    const { code, stdout, stderr } = await run([csv(lines.join('\n')), '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('concord reliability: line 50001, column 4: csv requires 5 cells per row like the header, this row has 3\n');
  });

  it('a directory instead of a file', async () => {
    const { code, stderr } = await run([dir, '--json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^concord reliability: reliability requires a readable FILE, cannot read .*EISDIR/);
  });
});

describe('concord reliability bad input: exit 2 with line and column', () => {
  it('ragged rows', async () => {
    const { code, stderr, stdout } = await run([csv('unit,A,B\n1,a,b\n2,a\n'), '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/line 3, column 3/);
  });

  it('a non-number at the interval level', async () => {
    const { code, stderr } = await run([csv('unit,A,B\n1,1,2\n2,3,x\n'), '--level', 'interval']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 3, column 3: .*"x" is not a number/);
  });

  it('one coder only for cohen-kappa', async () => {
    const { code, stderr } = await run([csv('unit,A\n1,a\n2,b\n'), '--metric', 'cohen-kappa']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 1, column 2: cohenKappa requires exactly two coders, got 1/);
  });

  it('an undeclared category', async () => {
    const { code, stderr } = await run([csv('unit,A,B\n1,a,b\n2,a,c\n'), '--categories', 'a,b']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 3, column 3: "c" is not one of the declared categories/);
  });

  it('a set value without --distance', async () => {
    const { code, stderr } = await run([csv('unit,A,B\n1,a,b\n2,a|b,a\n')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 3, column 2/);
  });

  it('an unknown option', async () => {
    const { code, stderr } = await run([K2011_CSV, '--frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option --frobnicate/);
  });

  it('an invalid option value and a missing file', async () => {
    expect((await run([K2011_CSV, '--metric', 'kappa'])).code).toBe(2);
    expect((await run([K2011_CSV, '--level', 'interval', '--metric', 'fleiss-kappa'])).code).toBe(2);
    expect((await run([join(dir, 'missing.csv')])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('a duplicate unit and coder in the long layout', async () => {
    const { code, stderr } = await run([csv('unit,coder,value\n1,A,a\n1,B,a\n1,A,b\n'), '--layout', 'long']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 4, column 3/);
  });

  it('detects the long layout by its header and reads one field of a multi-field file with --field', async () => {
    const long = ['unit,coder,value'];
    k2011.rows.forEach((row, u) => row.forEach((x, c) => long.push(`${u + 1},${k2011.coders[c]},${x ?? ''}`)));
    const detected = JSON.parse((await run([csv(long.join('\n')), '--level', 'interval', '--json'])).stdout) as { value: number };
    expect(detected.value).toBeCloseTo(k2011.numpy_krippendorff.interval, 12);
    const multi = ['unit,coder,field,value'];
    k2011.rows.forEach((row, u) =>
      row.forEach((x, c) => {
        multi.push(`${u + 1},${k2011.coders[c]},impact,${x ?? ''}`);
        multi.push(`${u + 1},${k2011.coders[c]},other,${c}`);
      }),
    );
    const file = csv(multi.join('\n'));
    const picked = JSON.parse((await run([file, '--field', 'impact', '--level', 'interval', '--json'])).stdout) as { value: number; n_coders: number };
    expect(picked.value).toBeCloseTo(k2011.numpy_krippendorff.interval, 12);
    expect(picked.n_coders).toBe(k2011.coders.length);
    const refused = await run([file, '--level', 'interval', '--json']);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/^concord reliability: line 3, column 3: long layout requires one field or --field KEY, the field column holds 2 fields \("impact", "other"\)/);
  });

  it('refuses a header that fits neither layout as asked, saying what it saw', async () => {
    const wideAsked = await run([csv('unit,coder,field,value\n1,A,f,a\n1,B,f,a\n'), '--layout', 'wide', '--json']);
    expect(wideAsked).toMatchObject({ code: 2, stdout: '' });
    expect(wideAsked.stderr).toMatch(/line 1, column 2: .*"unit", "coder", "field", "value"/);
    const coderNamedValue = await run([csv('unit,coder,value\n1,a,a\n2,b,b\n3,a,b\n'), '--json']);
    expect(coderNamedValue).toMatchObject({ code: 2, stdout: '' });
    expect(coderNamedValue.stderr).toMatch(/wide file/);
    expect((await run([K2011_CSV, '--field', 'impact'])).code).toBe(2);
    expect((await run([K2011_CSV, '--field='])).code).toBe(2);
  });

  it('prints usage with --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/usage: pnpm concord reliability FILE/);
  });
});
