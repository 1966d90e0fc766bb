import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '@concord/db';
import type { ErrorDetail } from '@concord/shared';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { AppError } from '../errors.ts';
import type { Actor, LiveSessionsPort, ServiceContext } from '../services/context.ts';
import type { SessionInfo } from '../services/auth/sessions.ts';
import type { LoginLimits } from '../services/auth/login-limits.ts';
import type { ResetRequestLimits } from '../services/auth/reset-request-limits.ts';
import type { CollabDocs } from '../services/collab/docs.ts';
import type { DomainEvents } from '../services/events.ts';
import type { RedisProbe } from '../services/health.ts';
import type { Mailer } from '../services/mail/transport.ts';

/** Everything the HTTP layer needs, built once by createDeps() (or by a test). */
export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  loginLimits: LoginLimits;
  /** Password-reset requests per email and per address. */
  resetRequestLimits: ResetRequestLimits;
  /** The live-document registry, as the services see it (write-through, access changes). */
  collab: CollabDocs;
  /** The domain event bus: verbs publish, the socket.io project rooms subscribe. */
  events: DomainEvents;
  /** Operator metrics (`GET /metrics`); no-ops unless CONCORD_METRICS_TOKEN is set. */
  metrics: Metrics;
  /** Pinged by readiness when REDIS_URL is set; null without Redis. */
  redis: RedisProbe | null;
  /** Closes the live connections of ended sessions (logout, password change), on every process. */
  liveSessions: LiveSessionsPort;
  /** Outgoing mail (SMTP_URL), for the digest trigger; the other mails leave through the event bus. */
  mailer: Mailer;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    actor: Actor | null;
    /** The signed-in session (null when signed out). */
    session: SessionInfo | null;
    sessionToken: string | null;
  };
}

interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
}

export function issuesToDetails(issues: readonly ZodIssueLike[]): ErrorDetail[] {
  return issues.map((i) => ({
    path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
    message: i.message,
  }));
}

/** A router whose validation failures become our 400 error body. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const details = issuesToDetails(result.error.issues);
        const first = details[0];
        const where = first?.path?.length ? `${first.path.join('.')}: ` : '';
        throw new AppError('VALIDATION_FAILED', `invalid ${result.target}: ${where}${first?.message ?? 'invalid input'}`, details);
      }
    },
  });
}

/** The service context for this request. */
export function serviceContext(deps: AppDeps, c: { get(key: 'actor'): Actor | null; get(key: 'logger'): Logger }): ServiceContext {
  return { db: deps.database.db, actor: c.get('actor'), logger: c.get('logger'), collab: deps.collab, events: deps.events, liveSessions: deps.liveSessions, metrics: deps.metrics, passwordCost: deps.config.passwordCost };
}
