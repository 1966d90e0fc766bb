/**
 * Group commit for item documents: the batches that rooms hand in while a commit is in
 * flight (or during the same turn of the event loop) are stored together in the next
 * commit. One room has at most one batch here at a time (its flush loop waits), so
 * each document's rows keep their order. If the commit fails, every batch in it fails.
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
export function createItemLog(commit: (batches: ItemDocBatch[]) => Promise<void>): ItemLog {
  let queue: Queued[] = [];
  let running = false;

  async function run(): Promise<void> {
    while (queue.length) {
      const group = queue;
      queue = [];
      try {
        await commit(group.map((q) => q.batch));
        for (const q of group) q.resolve();
      } catch (err) {
        for (const q of group) q.reject(err);
      }
    }
    running = false;
  }

  return {
    append(batch) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        if (running) return;
        running = true;
        // Rooms start their flushes on setImmediate: collect every one of this turn first.
        setImmediate(() => void run());
      });
    },
  };
}
