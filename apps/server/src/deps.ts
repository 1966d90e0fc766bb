import { createDb, migrate, type Database } from '@concord/db';
import { createLocalFanout, createRedisFanout, type Fanout } from './collab/fanout.ts';
import { createRooms, type Rooms } from './collab/rooms.ts';
import type { Config } from './config.ts';
import type { AppDeps } from './http/env.ts';
import { createLiveSessions, type LiveSessions } from './http/live-sessions.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, noopMetrics } from './metrics.ts';
import { lockDataDir } from './ops/data-dir-lock.ts';
import { createLoginLimits } from './services/auth/login-limits.ts';
import { passwordResetOnEvents } from './services/auth/password-reset-link.ts';
import { createMemoryLimitStore, createRedisLimitStore } from './services/auth/rate-limiter.ts';
import { createResetRequestLimits } from './services/auth/reset-request-limits.ts';
import { loadRedis } from './redis.ts';
import { createDomainEvents } from './services/events.ts';
import { mailOnEvents } from './services/mail/on-events.ts';
import { createMailer } from './services/mail/transport.ts';

/** Failed sign-ins allowed per account, and per address (higher: offices share one NAT address), in the window. */
export const LOGIN_FAILURES_PER_ACCOUNT = 10;
export const LOGIN_FAILURES_PER_ADDRESS = 50;
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** An address the account signed in from stays exempt from the account-wide lock this long (login-limits.ts). */
export const LOGIN_KNOWN_ADDRESS_MS = 30 * 24 * 3600_000;
/** Password-reset requests allowed per email and per address in the window (reset-request-limits.ts). */
export const RESET_REQUESTS_PER_EMAIL = 5;
export const RESET_REQUESTS_PER_ADDRESS = 20;
export const RESET_REQUEST_WINDOW_MS = 60 * 60_000;

export interface Deps extends AppDeps {
  /** The live-document rooms (the services see them as `CollabDocs`). */
  collab: Rooms;
  /** Live-document fan-out between processes (Redis with REDIS_URL, else a no-op). */
  fanout: Fanout;
  /** Live connections by session, closed when their session ends. */
  liveSessions: LiveSessions;
  close(): Promise<void>;
}

/** Opens the database (migrating it) and builds every collaborator from the config. */
export async function createDeps(config: Config, options: { logger?: Logger; database?: Database } = {}): Promise<Deps> {
  const logger = options.logger ?? createLogger(config);
  // A PGlite directory this process opens is marked as in use (backup and restore refuse it meanwhile).
  const dirLock = !options.database && config.database.kind === 'pglite' ? lockDataDir(config.database.dataDir, 'server') : null;
  let database: Database;
  try {
    database = options.database ?? (await createDb(config.database));
  } catch (err) {
    dirLock?.release();
    throw err;
  }
  await migrate(database);
  if (config.redisUrl && database.kind === 'pglite') {
    // PGlite lives in one process: a second process would open its own copy of the data.
    logger.warn(
      'REDIS_URL is set but the database is embedded PGlite, which only one process can open: scale-out needs DATABASE_URL (PostgreSQL). Running as a single process with Redis fan-out.',
    );
  }
  const metrics = config.metricsToken ? await createMetrics() : noopMetrics;
  const fanout = config.redisUrl ? await createRedisFanout({ url: config.redisUrl, prefix: config.redisPrefix, logger, metrics }) : createLocalFanout();
  // PGlite runs one statement at a time: more commits in flight would only queue inside it.
  const commitsInFlight = database.kind === 'postgres' ? config.liveCommitsInFlight : 1;
  const commits = { inFlight: commitsInFlight, overlapAfter: config.liveCommitOverlapAfter, gatherMs: config.liveCommitGatherMs };
  const collab = createRooms({ db: database.db, logger, limits: config.collab, fanout, commits, metrics });
  const liveSessions = createLiveSessions({ db: database.db, logger, fanout });
  const events = createDomainEvents(logger);
  // Sign-in and reset limits: one budget for all processes when there is Redis.
  const limitsRedis = config.redisUrl ? (await loadRedis())(config.redisUrl, 'limits', logger) : null;
  const limitStore = limitsRedis ? createRedisLimitStore({ redis: limitsRedis, prefix: config.redisPrefix, logger }) : createMemoryLimitStore();
  const mailer = createMailer(config, logger, metrics);
  // Mails leave after their transaction committed, from the event bus (services/mail/).
  const stopMail = events.subscribe(mailOnEvents({ ctx: { db: database.db, actor: null, logger, metrics }, mailer }));
  // Password-reset requests are worked on after the public route answered (services/auth/).
  const stopResets = events.subscribe(passwordResetOnEvents({ ctx: { db: database.db, actor: null, logger, metrics, events } }));
  return {
    config,
    database,
    logger,
    loginLimits: createLoginLimits({
      perAccount: LOGIN_FAILURES_PER_ACCOUNT,
      perAddress: LOGIN_FAILURES_PER_ADDRESS,
      windowMs: LOGIN_WINDOW_MS,
      knownAddressMs: LOGIN_KNOWN_ADDRESS_MS,
      store: limitStore,
    }),
    resetRequestLimits: createResetRequestLimits({ perEmail: RESET_REQUESTS_PER_EMAIL, perAddress: RESET_REQUESTS_PER_ADDRESS, windowMs: RESET_REQUEST_WINDOW_MS, store: limitStore }),
    collab,
    events,
    mailer,
    fanout,
    metrics,
    redis: config.redisUrl ? fanout : null,
    liveSessions,
    async close() {
      liveSessions.stop();
      stopMail();
      stopResets();
      // Mails of committed changes still go out while the database is open.
      await events.idle();
      mailer.close();
      await collab.close();
      await fanout.close();
      await limitsRedis?.quit().catch(() => limitsRedis.disconnect());
      await database.close();
      dirLock?.release();
    },
  };
}
