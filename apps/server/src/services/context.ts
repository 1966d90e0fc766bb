import type { Db } from '@concord/db';
import type { TokenScope } from '@concord/shared';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { PasswordCost } from './auth/password.ts';
import type { CollabDocs } from './collab/docs.ts';
import { bufferedPublisher, type EventPublisher } from './events.ts';

export interface Actor {
  userId: string;
  isAdmin: boolean;
  /** Set when the request came with a personal access token: its scope narrows what authz allows. */
  token?: { id: string; scope: TokenScope };
}

/** What every domain verb receives: who acts, on which database (or transaction). */
export interface ServiceContext {
  db: Db;
  actor: Actor | null;
  logger: Logger;
  /** The live documents (absent in contexts that never write codings, e.g. the CLI). */
  collab?: CollabDocs;
  /** Domain events (absent where nobody listens, e.g. the CLI). Publish after the change is committed. */
  events?: EventPublisher;
  /** Operator metrics (absent outside the server: CLI, seeds). */
  metrics?: Metrics;
  /** Closes the live connections of ended sessions on every process (absent in the CLI: the servers' periodic check closes them). */
  liveSessions?: LiveSessionsPort;
  /** scrypt's cost for the passwords this context hashes (`config.passwordCost`); absent: the production cost. */
  passwordCost?: PasswordCost;
}

/** What the verbs need from the live transports when sessions end. */
export interface LiveSessionsPort {
  /** Closes every /yjs and /socket.io connection opened by these sessions, on every process. */
  sessionsEnded(sessionIds: string[]): Promise<void>;
}

/**
 * Runs `fn` in one transaction; the context it gets writes through that transaction.
 * Events published inside reach `ctx.events` only after the commit (none on a rollback).
 */
export async function inTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  const events = bufferedPublisher(ctx.events);
  const result = await ctx.db.transaction(async (tx) => fn({ ...ctx, db: tx as unknown as Db, events }));
  events.flush();
  return result;
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
