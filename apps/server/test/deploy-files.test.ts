/**
 * The deployment files (`deploy/`) agree with the server and with each other: the example
 * settings parse as the server parses them (with the unit's own variables) and name only
 * variables the server or its launcher reads; the limits an operator must keep equal (body
 * sizes) are equal in the settings and the nginx site; the systemd unit passes
 * `systemd-analyze verify` and starts the launcher that exists; every variable the server
 * reads is in the README's Configuration table. test/deploy/nginx.test.ts runs the site itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig } from '../src/config.ts';
import { missingService } from './testing.ts';

const repo = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFile(path.join(repo, file), 'utf8');
/** Variables the launcher (apps/server/bin/serve) reads, not the server. */
const LAUNCHER_VARIABLES = ['MALLOC_ARENA_MAX'];

/** `KEY=value` lines of an environment file, and the names of the commented-out `# KEY=…` ones. */
function envFile(text: string): { set: Record<string, string>; commented: string[] } {
  const set: Record<string, string> = {};
  const commented: string[] = [];
  for (const line of text.split('\n')) {
    const on = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (on) set[on[1]!] = on[2]!;
    const off = /^# ?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (off) commented.push(off[1]!);
  }
  return { set, commented };
}

/** An nginx size (`2m`, `16k`, bytes) in bytes. */
const nginxBytes = (size: string) => Number(size.replace(/[km]$/i, '')) * ({ k: 1024, m: 1024 * 1024 }[size.slice(-1).toLowerCase()] ?? 1);

/** The `client_max_body_size` of the nginx block that starts with `opening` (the server level when null). */
function bodyLimit(site: string, opening: string | null): number {
  const from = opening === null ? site.indexOf('listen 443') : site.indexOf(opening);
  expect(from, String(opening)).toBeGreaterThan(-1);
  const size = /client_max_body_size (\S+);/.exec(site.slice(from))?.[1];
  if (!size) throw new Error(`no client_max_body_size after ${opening}`);
  return nginxBytes(size);
}

describe('deploy/', () => {
  it('the example settings, with the unit’s variables, are a valid configuration of the deployment the guide describes', async () => {
    const unit = await read('deploy/systemd/concord@.service');
    const example = envFile(await read('deploy/concord.env.example'));
    const unitEnv = Object.fromEntries([...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.replace('%i', '3001')]));
    expect(unitEnv).toEqual({ NODE_ENV: 'production', PORT: '3001', HOST: '127.0.0.1' });
    // The file would override the unit's PORT and HOST (it is read after them).
    expect(Object.keys(example.set)).not.toContain('PORT');
    expect(Object.keys(example.set)).not.toContain('HOST');
    for (const name of [...Object.keys(example.set), ...example.commented]) {
      expect([...CONFIG_VARIABLES, ...LAUNCHER_VARIABLES], `${name} in deploy/concord.env.example`).toContain(name);
    }
    const config = parseConfig({ ...unitEnv, ...example.set });
    expect(config).toMatchObject({
      port: 3001,
      host: '127.0.0.1',
      database: { kind: 'postgres' },
      redisUrl: expect.stringMatching(/^redis:\/\//) as string,
      demo: { enabled: false },
      trustProxy: { kind: 'hops', hops: 1 },
    });

    // Limits the guide says to keep equal: the site's body sizes and the server's.
    const site = await read('deploy/nginx/concord.conf');
    expect(bodyLimit(site, null)).toBe(config.maxBodyBytes);
    expect(bodyLimit(site, 'location ~ ^/api/projects/[^/]+/import')).toBe(config.maxImportBytes);
    expect(bodyLimit(site, 'location ~ ^/api/projects/[^/]+/items/[^/]+/attachments$')).toBe(config.attachments.maxBytes);
    // The processes nginx sends to are the unit's instances (both upstreams list the same ones).
    const upstream = (name: string) => [...site.matchAll(/upstream (\S+) \{([^}]*)\}/g)].find((m) => m[1] === name)?.[2]?.match(/server 127\.0\.0\.1:\d+/g);
    expect(upstream('concord_live')).toEqual(upstream('concord_http'));
    expect(upstream('concord_live')).toContain('server 127.0.0.1:3001');
  });

  it('the systemd unit passes systemd-analyze verify and starts the launcher in the checkout', async (context) => {
    const unit = await read('deploy/systemd/concord@.service');
    const exec = /^ExecStart=\/bin\/sh (\S+)$/m.exec(unit)?.[1];
    expect(exec).toBe('apps/server/bin/serve');
    expect(existsSync(path.join(repo, exec!))).toBe(true);
    expect(unit).toContain('EnvironmentFile=/etc/concord/concord.env');
    expect(await read('deploy/concord.env.example')).toMatch(/^# \/etc\/concord\/concord\.env:/);
    if (!existsSync('/usr/bin/systemd-analyze')) {
      missingService(process.env, 'systemd-analyze (Debian package systemd) is missing', 'the systemd unit check');
      return context.skip();
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'concord-unit-'));
    try {
      // An instance of the template, as `systemctl enable concord@3001` makes it.
      await copyFile(path.join(repo, 'deploy/systemd/concord@.service'), path.join(dir, 'concord@.service'));
      const verify = spawnSync('systemd-analyze', ['verify', '--man=no', path.join(dir, 'concord@3001.service')], { encoding: 'utf8', timeout: 60_000 });
      // Unknown keys, bad values and missing sections are warnings on stderr with exit code 0.
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('every variable the server reads is in the README’s Configuration table, and nothing else is', async () => {
    const readme = await read('README.md');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### On PostgreSQL'));
    const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
