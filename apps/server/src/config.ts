/**
 * The only module that reads the environment. Everything else receives a Config.
 * Invalid variables fail the start with one line per problem.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseProxyTrust, type ProxyTrust } from './http/proxy-trust.ts';
import { PASSWORD_COST, WEAK_TEST_PASSWORD_COST, type PasswordCost } from './services/auth/password.ts';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.url().optional(),
  CONCORD_DATA_DIR: z.string().default('./data'),
  CONCORD_DEMO: bool.default(true),
  CONCORD_DEMO_PASSWORD: z.string().min(8).optional(),
  REDIS_URL: z.url().optional(),
  CONCORD_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - (at most 64)').default('concord'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONCORD_TRUST_PROXY: z
    .string()
    .default('0')
    .transform((v, ctx) => {
      try {
        return parseProxyTrust(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  CONCORD_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const origins: string[] = [];
      for (const entry of v.split(',').map((s) => s.trim()).filter(Boolean)) {
        const origin = parseOrigin(entry);
        if (origin) origins.push(origin);
        else ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin (scheme://host[:port], nothing after it)` });
      }
      return origins;
    }),
  CONCORD_SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 14),
  CONCORD_INVITE_TTL_HOURS: z.coerce.number().positive().default(24 * 7),
  CONCORD_MAX_BODY_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  CONCORD_MAX_IMPORT_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  CONCORD_ATTACHMENTS_DIR: z.string().optional(),
  CONCORD_ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  CONCORD_WEB_BUILD_DIR: z.string().optional(),
  CONCORD_LIVE_COMMITS_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(4),
  CONCORD_LIVE_COMMIT_OVERLAP_AFTER: z.coerce.number().min(0).max(100).default(2),
  CONCORD_METRICS_TOKEN: z.string().optional(),
  SMTP_URL: z
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  SMTP_FROM: z.string().min(3).optional(),
  CONCORD_PUBLIC_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const origin = parseOrigin(v.replace(/\/+$/, ''));
      if (!origin) ctx.addIssue({ code: 'custom', message: `"${v}" is not an origin (scheme://host[:port], no path)` });
      return origin ?? undefined;
    }),
  NODE_ENV: z.string().optional(),
  CONCORD_TEST_WEAK_PASSWORD_HASHING: bool.default(false),
});

export type Env = z.input<typeof envSchema>;

/** Every environment variable the server reads (the README's Configuration table lists each). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];

export interface Config {
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  demo: { enabled: boolean; password: string | undefined };
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel (several deployments, or test runs, can share one Redis). */
  redisPrefix: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Which reverse proxies' X-Forwarded-For / X-Forwarded-Proto count (see http/proxy-trust.ts). */
  trustProxy: ProxyTrust;
  /** Origins besides the request's own (scheme + Host) from which browsers may send state-changing requests. */
  allowedOrigins: string[];
  sessionTtlMs: number;
  /** How long a one-time invitation link stays valid. */
  inviteTtlMs: number;
  maxBodyBytes: number;
  maxImportBytes: number;
  /**
   * Item attachments: `dir` null keeps their bytes in the database (backups then hold them);
   * a directory keeps one file per attachment there. `maxBytes`: largest file (413 above).
   */
  attachments: { dir: string | null; maxBytes: number };
  /** Where the SvelteKit adapter-node build lives; null serves the API only. */
  webBuildDir: string | null;
  /** Limits of live-document connections (`/yjs`); over a limit the connection is closed, never the process. */
  collab: CollabLimits;
  /**
   * Live-document commits (item documents' group commits) that may run at once on PostgreSQL
   * when one stalls (collab/item-log.ts): their fsyncs overlap instead of queueing. PGlite runs
   * one statement at a time, so it gets 1.
   * Keep it well below the connection pool (10), which the API also uses.
   */
  liveCommitsInFlight: number;
  /**
   * The next group commit starts beside the one in flight once that one has run this many times
   * the recent average commit (collab/item-log.ts); until then it waits, and grows. 0 starts it
   * at once (up to `liveCommitsInFlight`: more commits, each smaller, as before 2026-12-07).
   */
  liveCommitOverlapAfter: number;
  /** The bearer token `GET /metrics` requires; null turns metrics off (404, no-op hooks). */
  metricsToken: string | null;
  /** Outgoing mail (services/mail/); null: no mail is sent and invitation links are only shown to the inviter. */
  smtp: { url: string; from: string } | null;
  /**
   * The origin people open Concord at, for links in mails (`https://concord.example.org`);
   * null: the server's own URL (right only without a reverse proxy).
   */
  publicUrl: string | null;
  /**
   * scrypt's cost for new password hashes: the production cost, or a test run's weak one
   * (`CONCORD_TEST_WEAK_PASSWORD_HASHING=1`, accepted only with NODE_ENV=test; SECURITY.md).
   */
  passwordCost: PasswordCost;
}

export interface CollabLimits {
  /** Largest y-websocket message accepted. */
  maxMessageBytes: number;
  /** Largest document (approximate encoded size); updates that would pass it are refused. */
  maxDocBytes: number;
  /** Sustained messages per second per connection (bursts up to twice as many). */
  maxMessagesPerSecond: number;
  /**
   * How often the server renews its clients' presence for the others (below y-protocols'
   * 30 s timeout). Renewals follow this clock, never a client's activity.
   */
  presenceRenewMs: number;
}

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  maxMessageBytes: 1024 * 1024,
  maxDocBytes: 16 * 1024 * 1024,
  maxMessagesPerSecond: 60,
  presenceRenewMs: 10_000,
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** `https://Example.org:443` as `https://example.org`; null unless the text is exactly an http(s) origin. */
function parseOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url.origin : null;
  } catch {
    return null;
  }
}

const DEFAULT_WEB_BUILD_DIR = path.resolve(import.meta.dirname, '../../web/build');

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  // Weak hashes would stay in the database (a hash is verified with the cost it was made with):
  // only a test run may ask for them, and it must say so twice.
  if (e.CONCORD_TEST_WEAK_PASSWORD_HASHING && e.NODE_ENV !== 'test') {
    throw new ConfigError([`CONCORD_TEST_WEAK_PASSWORD_HASHING: only for test runs (NODE_ENV=test), refused with NODE_ENV=${e.NODE_ENV ?? '(unset)'}`]);
  }
  if (e.SMTP_URL && !e.SMTP_FROM) throw new ConfigError(['SMTP_FROM: required when SMTP_URL is set (the sender address, e.g. "Concord <concord@example.org>")']);
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.resolve(e.CONCORD_DATA_DIR) },
    demo: { enabled: e.CONCORD_DEMO, password: e.CONCORD_DEMO_PASSWORD },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.CONCORD_REDIS_PREFIX,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.CONCORD_TRUST_PROXY,
    allowedOrigins: e.CONCORD_ALLOWED_ORIGINS,
    sessionTtlMs: e.CONCORD_SESSION_TTL_HOURS * 3600_000,
    inviteTtlMs: e.CONCORD_INVITE_TTL_HOURS * 3600_000,
    maxBodyBytes: e.CONCORD_MAX_BODY_BYTES,
    maxImportBytes: e.CONCORD_MAX_IMPORT_BYTES,
    attachments: { dir: e.CONCORD_ATTACHMENTS_DIR ? path.resolve(e.CONCORD_ATTACHMENTS_DIR) : null, maxBytes: e.CONCORD_ATTACHMENT_MAX_BYTES },
    webBuildDir: e.CONCORD_WEB_BUILD_DIR === 'none' ? null : path.resolve(e.CONCORD_WEB_BUILD_DIR ?? DEFAULT_WEB_BUILD_DIR),
    collab: DEFAULT_COLLAB_LIMITS,
    liveCommitsInFlight: e.CONCORD_LIVE_COMMITS_IN_FLIGHT,
    liveCommitOverlapAfter: e.CONCORD_LIVE_COMMIT_OVERLAP_AFTER,
    metricsToken: e.CONCORD_METRICS_TOKEN ?? null,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM! } : null,
    publicUrl: e.CONCORD_PUBLIC_URL ?? null,
    passwordCost: e.CONCORD_TEST_WEAK_PASSWORD_HASHING ? WEAK_TEST_PASSWORD_COST : PASSWORD_COST,
  };
}

/** Reads process.env; call once, at startup. */
export function loadConfig(): Config {
  // eslint-disable-next-line no-restricted-properties -- this is the one place env is read
  return parseConfig(process.env);
}

/** A config for tests: in-memory PGlite, no demo, API only, quiet logs, weak password hashes. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const env = { CONCORD_DEMO: '0', LOG_LEVEL: 'silent', CONCORD_WEB_BUILD_DIR: 'none', NODE_ENV: 'test', CONCORD_TEST_WEAK_PASSWORD_HASHING: '1' };
  return { ...parseConfig(env), ...overrides };
}
