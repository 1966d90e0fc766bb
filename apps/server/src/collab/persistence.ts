/**
 * Persistence as an extension of the rooms, in the manner of Hocuspocus' extension hooks
 * (onLoadDocument, onStoreDocument): a room asks this interface to load its document and to
 * store each batch, and never reaches the database itself. `createDatabasePersistence` is
 * the one implementation; the commit pipeline around it is described in INTERNALS.md.
 */
import type { Db } from '@concord/db';
import type { DocName } from '@concord/shared';
import type { Logger } from '../logger.ts';
import type { ServiceContext } from '../services/context.ts';
import { loadLiveDoc, persistCodingDocBatch, persistItemDocBatches, type ItemDocBatch } from '../services/collab/persist.ts';
import type { InvalidValue } from '../services/collab/projection.ts';
import { compactDoc, loadDocUpdates, type StoredDoc } from '../services/collab/store.ts';
import { createItemLog, type CommitOptions, type CommitTiming, type ItemLogObserver } from './item-log.ts';

export type { StoredDoc };

/** One batch of a document's updates, in the order they were applied. */
export interface StoreBatch {
  name: string;
  doc: DocName;
  updates: Uint8Array[];
  /** A coding document's values after exactly this batch (what the projection stores). */
  codingValues(): Record<string, unknown>;
}

export interface DocPersistence {
  /** The stored state of a document being loaded (a coding document without history is seeded from its rows). */
  onLoadDocument(name: string, doc: DocName): Promise<StoredDoc>;
  /** The stored state as it is, to re-apply after a Redis reconnect (never seeds). */
  onReloadDocument(name: string): Promise<StoredDoc>;
  /**
   * Stores one batch; resolves once it is durable, with when its commit went to the driver and
   * when the driver answered. Values that could not be projected are returned.
   */
  onStoreDocument(batch: StoreBatch): Promise<{ invalid: InvalidValue[]; timing: CommitTiming }>;
  /**
   * Adds updates to the end of a batch handed to `onStoreDocument` that is still waiting for
   * its commit (an item document's batch behind the group commit in flight): they are stored,
   * and `onStoreDocument` resolves, with it. False when that is no longer possible (its commit
   * started; a coding document's batch, which is its own transaction).
   */
  onJoinBatch(batch: StoreBatch, updates: readonly Uint8Array[]): boolean;
  /** Merges the log into the snapshot; resolves with the snapshot's size. */
  onCompactDocument(name: string, itemId: string): Promise<{ bytes: number }>;
}

/**
 * `commits`: how item documents' group commits may overlap (item-log.ts).
 * `shared`: other processes write the same documents, so coding projections read the stored state.
 */
export function createDatabasePersistence(options: {
  db: Db;
  logger: Logger;
  commits?: CommitOptions;
  shared: boolean;
  observer?: ItemLogObserver;
}): DocPersistence {
  const ctx: ServiceContext = { db: options.db, actor: null, logger: options.logger };
  const itemLog = createItemLog((batches) => persistItemDocBatches({ ctx, batches }), { ...options.commits, observer: options.observer });
  /** Each item document's batch as handed to the log, for `onJoinBatch`. */
  const inLog = new WeakMap<StoreBatch, ItemDocBatch>();
  return {
    onLoadDocument: (name, doc) => loadLiveDoc({ ctx, name, doc }),
    onReloadDocument: (name) => loadDocUpdates({ ctx, docName: name }),
    async onStoreDocument(batch) {
      const { name, doc, updates, codingValues } = batch;
      if (doc.kind === 'coding') {
        // Its own transaction: no queue before it.
        const startedAt = performance.now();
        const { invalid } = await persistCodingDocBatch({ ctx, input: { name, doc, updates, codingValues, fromStore: options.shared } });
        return { invalid, timing: { startedAt, doneAt: performance.now() } };
      }
      const logged: ItemDocBatch = { name, itemId: doc.itemId, updates: [...updates] };
      inLog.set(batch, logged);
      return { invalid: [], timing: await itemLog.append(logged) };
    },
    onJoinBatch(batch, updates) {
      const logged = inLog.get(batch);
      return logged !== undefined && itemLog.join(logged, updates);
    },
    onCompactDocument: (name, itemId) => compactDoc({ ctx, input: { docName: name, itemId } }),
  };
}
