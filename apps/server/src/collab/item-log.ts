/**
 * Group commit for item documents: the batches that rooms hand in during one turn of the
 * event loop are stored together in one commit, and up to `inFlight` commits run at once
 * (on PostgreSQL, separate pool connections; the server's fsyncs then overlap instead of
 * queueing, which is most of a relay's latency under load). What arrives while every slot is
 * busy waits for the next free one, as one group.
 *
 * Order: one room has at most one batch here at a time (its flush loop waits for the
 * commit), so two commits in flight never hold batches of the same document and each
 * document's rows keep their order. If a commit fails, every batch in it fails.
 */
import type { ItemDocBatch } from '../services/collab/persist.ts';

export interface ItemLog {
  /** Resolves once the batch is committed. */
  append(batch: ItemDocBatch): Promise<void>;
}

interface Queued {
  batch: ItemDocBatch;
  resolve(): void;
  reject(err: unknown): void;
}

/** `commit` stores a group of batches atomically (persistItemDocBatches). */
export function createItemLog(commit: (batches: ItemDocBatch[]) => Promise<void>, options: { inFlight?: number } = {}): ItemLog {
  const slots = Math.max(1, options.inFlight ?? 1);
  let queue: Queued[] = [];
  let running = 0;
  let scheduled = false;

  function start(): void {
    scheduled = false;
    if (!queue.length || running >= slots) return;
    const group = queue;
    queue = [];
    running++;
    commit(group.map((q) => q.batch)).then(
      () => group.forEach((q) => q.resolve()),
      (err: unknown) => group.forEach((q) => q.reject(err)),
    ).finally(() => {
      running--;
      start();
    });
  }

  return {
    append(batch) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        if (scheduled || running >= slots) return;
        scheduled = true;
        // Rooms hand in their batches as the socket reads of this turn are handled: collect
        // every one of them first.
        setImmediate(start);
      });
    },
  };
}
