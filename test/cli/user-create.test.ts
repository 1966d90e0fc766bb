/**
 * `pnpm concord user create` and `user reset-password`: the operator's way to make the first
 * owner when the demo is off, and to give an account back; a generated password must be changed. Runs the real CLI process against a PGlite data directory, then signs in
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
      expect(setup).toEqual({ needsSetup: false, demo: false, demoAccounts: [], mail: false });
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

  it('generates and prints a password when none is given, which opens nothing but the password change', async () => {
    const created = concord(['user', 'create', '--email', 'second@example.org']);
    expect(created.code).toBe(0);
    const password = /password: ([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3}) \(to be changed at first sign-in\)\n/.exec(created.stdout)?.[1];
    expect(password).toBeDefined();
    // The operator can also reset it the same way (the sessions of the account end).
    const reset = concord(['user', 'reset-password', '--email', 'second@example.org']);
    expect(reset.code).toBe(0);
    const generated = /password: ([A-Za-z0-9-]{19}) /.exec(reset.stdout)?.[1];
    expect(generated).toBeDefined();
    expect(concord(['user', 'reset-password', '--email', 'nobody@example.org']).code).toBe(2);

    const server = await startServerProcess({ dataDir, env: { CONCORD_DEMO: '0' } });
    try {
      const json = { 'content-type': 'application/json' };
      const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'second@example.org', password: generated }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const projects = await fetch(`${server.url}/api/projects`, { headers: { cookie } });
      expect(projects.status).toBe(403);
      expect(await projects.json()).toMatchObject({ error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
      const changed = await fetch(`${server.url}/api/auth/password`, {
        method: 'POST',
        headers: { ...json, cookie },
        body: JSON.stringify({ currentPassword: generated, newPassword: 'my own long password' }),
      });
      expect(changed.status).toBe(200);
      const renewed = changed.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${server.url}/api/projects`, { headers: { cookie: renewed } })).status).toBe(200);
    } finally {
      await server.stop();
    }
    // Three CLI runs and a server start: several minutes on a loaded machine.
  }, 300_000);

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
