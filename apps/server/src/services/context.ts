import type { Db } from '@concord/db';
import type { Logger } from '../logger.ts';
import type { CollabDocs } from './collab/docs.ts';

export interface Actor {
  userId: string;
  isAdmin: boolean;
}

/** What every domain verb receives: who acts, on which database (or transaction). */
export interface ServiceContext {
  db: Db;
  actor: Actor | null;
  logger: Logger;
  /** The live documents (absent in contexts that never write codings, e.g. the CLI). */
  collab?: CollabDocs;
}

/** Runs `fn` in one transaction; the context it gets writes through that transaction. */
export async function inTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => fn({ ...ctx, db: tx as unknown as Db }));
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
