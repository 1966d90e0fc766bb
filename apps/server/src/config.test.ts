import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, testConfig } from './config.ts';
import { PASSWORD_COST, WEAK_TEST_PASSWORD_COST, hashPassword } from './services/auth/password.ts';

describe('parseConfig', () => {
  it('defaults to PGlite in ./data with the demo on port 3000', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', database: { kind: 'pglite', dataDir: path.resolve('data') }, demo: { enabled: true } });
  });

  it('hashes passwords at the production cost unless a test run (NODE_ENV=test) asks for weak hashes; production refuses them', async () => {
    expect(parseConfig({}).passwordCost).toEqual(PASSWORD_COST);
    expect(parseConfig({ NODE_ENV: 'production' }).passwordCost).toEqual(PASSWORD_COST);
    expect(parseConfig({ NODE_ENV: 'test', CONCORD_TEST_WEAK_PASSWORD_HASHING: '0' }).passwordCost).toEqual(PASSWORD_COST);
    expect(parseConfig({ NODE_ENV: 'test', CONCORD_TEST_WEAK_PASSWORD_HASHING: '1' }).passwordCost).toEqual(WEAK_TEST_PASSWORD_COST);
    for (const NODE_ENV of ['production', 'development', undefined]) {
      expect(() => parseConfig({ NODE_ENV, CONCORD_TEST_WEAK_PASSWORD_HASHING: '1' })).toThrow(/CONCORD_TEST_WEAK_PASSWORD_HASHING: only for test runs/);
    }
    expect(testConfig().passwordCost).toEqual(WEAK_TEST_PASSWORD_COST);
    expect(PASSWORD_COST.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(await hashPassword('x', parseConfig({ NODE_ENV: 'production' }).passwordCost)).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('uses PostgreSQL when DATABASE_URL is set, and reads flags', () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', CONCORD_DEMO: '0', CONCORD_TRUST_PROXY: 'true', PORT: '0' });
    expect(config).toMatchObject({ port: 0, database: { kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/db' }, demo: { enabled: false }, trustProxy: { kind: 'hops', hops: 1 } });
  });

  it('reads REDIS_URL and the channel prefix (default concord), and refuses a prefix with spaces', () => {
    expect(parseConfig({})).toMatchObject({ redisUrl: undefined, redisPrefix: 'concord' });
    expect(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', CONCORD_REDIS_PREFIX: 'site-a:prod' })).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'site-a:prod',
    });
    expect(() => parseConfig({ CONCORD_REDIS_PREFIX: 'has space' })).toThrow(ConfigError);
  });

  it('reads how many live-document commits may run at once (default 4, refuses 0) and when they overlap (default 2)', () => {
    expect(parseConfig({}).liveCommitsInFlight).toBe(4);
    expect(parseConfig({ CONCORD_LIVE_COMMITS_IN_FLIGHT: '2' }).liveCommitsInFlight).toBe(2);
    expect(() => parseConfig({ CONCORD_LIVE_COMMITS_IN_FLIGHT: '0' })).toThrow(/CONCORD_LIVE_COMMITS_IN_FLIGHT/);
    expect(parseConfig({}).liveCommitOverlapAfter).toBe(2);
    expect(parseConfig({ CONCORD_LIVE_COMMIT_OVERLAP_AFTER: '0' }).liveCommitOverlapAfter).toBe(0);
    expect(() => parseConfig({ CONCORD_LIVE_COMMIT_OVERLAP_AFTER: '-1' })).toThrow(/CONCORD_LIVE_COMMIT_OVERLAP_AFTER/);
  });

  it('keeps attachments in the database up to 20 MiB by default, or in a directory, and refuses a limit that is no size', () => {
    expect(parseConfig({}).attachments).toEqual({ dir: null, maxBytes: 20 * 1024 * 1024 });
    expect(parseConfig({ CONCORD_ATTACHMENTS_DIR: '/var/lib/concord/attachments', CONCORD_ATTACHMENT_MAX_BYTES: '1000' }).attachments).toEqual({
      dir: '/var/lib/concord/attachments',
      maxBytes: 1000,
    });
    expect(() => parseConfig({ CONCORD_ATTACHMENT_MAX_BYTES: '20MB' })).toThrow(/CONCORD_ATTACHMENT_MAX_BYTES/);
  });

  it('reads the trusted proxies (hops or addresses) and the allowed origins, refusing malformed ones', () => {
    expect(parseConfig({}).trustProxy).toEqual({ kind: 'none' });
    expect(parseConfig({ CONCORD_TRUST_PROXY: '2' }).trustProxy).toEqual({ kind: 'hops', hops: 2 });
    expect(parseConfig({ CONCORD_TRUST_PROXY: '10.0.0.0/8,::1' }).trustProxy).toMatchObject({ kind: 'addresses', list: ['10.0.0.0/8', '::1'] });
    expect(() => parseConfig({ CONCORD_TRUST_PROXY: 'nginx' })).toThrow(/CONCORD_TRUST_PROXY/);
    expect(parseConfig({}).allowedOrigins).toEqual([]);
    expect(parseConfig({ CONCORD_ALLOWED_ORIGINS: 'https://Concord.Example.org:443, http://localhost:5173/' }).allowedOrigins).toEqual([
      'https://concord.example.org',
      'http://localhost:5173',
    ]);
    for (const bad of ['concord.example.org', 'https://a.org/path', 'ftp://a.org', '*']) {
      expect(() => parseConfig({ CONCORD_ALLOWED_ORIGINS: bad }), bad).toThrow(/CONCORD_ALLOWED_ORIGINS/);
    }
  });

  it('lists every bad variable at once', () => {
    try {
      parseConfig({ PORT: 'eighty', CONCORD_DEMO: 'maybe', DATABASE_URL: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['CONCORD_DEMO', 'DATABASE_URL', 'PORT']);
    }
  });
  it('reads SMTP_URL with SMTP_FROM (required with it) and the public URL for links in mails', () => {
    expect(parseConfig({})).toMatchObject({ smtp: null, publicUrl: null });
    expect(parseConfig({ SMTP_URL: 'smtp://mail.example.org:587', SMTP_FROM: 'Concord <c@example.org>', CONCORD_PUBLIC_URL: 'https://Concord.example.org/' })).toMatchObject({
      smtp: { url: 'smtp://mail.example.org:587', from: 'Concord <c@example.org>' },
      publicUrl: 'https://concord.example.org',
    });
    expect(() => parseConfig({ SMTP_URL: 'smtp://mail.example.org' })).toThrow(/SMTP_FROM/);
    expect(() => parseConfig({ SMTP_URL: 'http://mail.example.org', SMTP_FROM: 'c@example.org' })).toThrow(/SMTP_URL/);
    expect(() => parseConfig({ CONCORD_PUBLIC_URL: 'https://concord.example.org/app' })).toThrow(/CONCORD_PUBLIC_URL/);
  });
});
