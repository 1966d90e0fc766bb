/**
 * `pnpm concord user create`: the operator's way to make the first owner when the demo
 * is off. Runs the real CLI process against a PGlite data directory, then signs in
 * through the real server process on that directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server.ts';

// The `concord` bin, as `pnpm concord` runs it: the bundled CLI, no TypeScript at run time.
const CLI = fileURLToPath(new URL('../../apps/server/bin/concord.mjs', import.meta.url));
let dataDir: string;

function concord(args: string[], input?: string) {
  const { DATABASE_URL: _db, ...env } = process.env;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...env, CONCORD_DATA_DIR: dataDir, CONCORD_DEMO: '0', LOG_LEVEL: 'warn' },
    input,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'concord-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('concord user create', () => {
  it('creates the first owner with a password from stdin, who can then sign in', async () => {
    const created = concord(['user', 'create', '--email', 'Founder@Example.org', '--name', 'Founder', '--owner', '--password-stdin'], 'a long enough password\n');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created founder@example\.org \(usr_[a-z2-7]{16}\) as instance owner\n$/);

    const server = await startServerProcess({ dataDir, env: { CONCORD_DEMO: '0' } });
    try {
      const setup = await (await fetch(`${server.url}/api/auth/setup`)).json();
      expect(setup).toEqual({ needsSetup: false, demo: false, demoAccounts: [] });
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'founder@example.org', password: 'a long enough password' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('generates and prints a password when none is given', () => {
    const created = concord(['user', 'create', '--email', 'second@example.org']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/password: [A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}\n/);
  });

  it('refuses bad input with a message on stderr and exit code 2, changing nothing', () => {
    const duplicate = concord(['user', 'create', '--email', 'founder@example.org', '--password-stdin'], 'another long password\n');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('already exists');
    const badEmail = concord(['user', 'create', '--email', 'not-an-email']);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toContain('--email must be an email address');
    const shortPassword = concord(['user', 'create', '--email', 'third@example.org', '--password-stdin'], 'short\n');
    expect(shortPassword.code).toBe(2);
    expect(shortPassword.stderr).toContain('at least 10 characters');
    const unknownFlag = concord(['user', 'create', '--email', 'x@example.org', '--bogus']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("Unknown option '--bogus'");
    const unknownCommand = concord(['frobnicate']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('unknown command "frobnicate"');
  });
});
