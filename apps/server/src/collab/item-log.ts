/**
 * Group commit for item documents: a batch handed in while no commit is in flight is committed
 * at once (with whatever else is handed in before the current callback's microtasks end).
 * What arrives while a commit is in flight waits for it and goes, as one group, in the next
 * commit: each commit costs the server a
 * socket write, a read and the driver's work (about 170 µs of CPU, bench/README.md) whatever
 * its size, so under load fewer, larger commits are most of what one process saves.
 *
 * A commit that takes much longer than usual (more than twice the recent average: a slow
 * fsync, a lock; `overlapAfter`) is not waited for: the next group starts beside it, up to `inFlight` commits
 * at once (on PostgreSQL, separate pool connections, so the fsyncs overlap instead of
 * queueing; PGlite runs one).
 *
 * Order: one room has at most one batch here at a time (its flush loop waits for the
 * commit), so two commits in flight never hold batches of the same document and each
 * document's rows keep their order. A room's updates that arrive while its batch still waits
 * for its commit join that batch (`join`), after its updates: they commit with it instead of
 * waiting for it and then for a commit of their own. If a commit fails, every batch in it fails.
 */
import type { ItemDocBatch } from '../services/collab/persist.ts';

export interface ItemLog {
  /** Resolves once the batch is committed, with when its commit started and ended. */
  append(batch: ItemDocBatch): Promise<CommitTiming>;
  /**
   * Adds `updates` to the end of an appended batch whose commit has not started; false once it
   * has (or the batch is not here), and the updates are left to the caller's next batch.
   */
  join(batch: ItemDocBatch, updates: readonly Uint8Array[]): boolean;
}

/** When a batch's group commit was handed to the driver and when the driver answered (`now()`'s clock). */
export interface CommitTiming {
  startedAt: number;
  doneAt: number;
}

/** What the log tells the metrics (metrics.ts: `concord_live_group_commit_*`, `concord_live_batches_behind_commit_total`). */
export interface ItemLogObserver {
  /** A group commit of `batches` started; `overlapped`: beside another one in flight. */
  liveGroupCommit(batches: number, overlapped: boolean): void;
  /** A batch was handed in while a commit was in flight (it cannot start before that one ends or stalls). */
  liveBatchBehindCommit(): void;
  /** `updates` joined a batch waiting for its commit. */
  liveUpdatesJoined(updates: number): void;
}

interface Queued {
  batch: ItemDocBatch;
  resolve(timing: CommitTiming): void;
  reject(err: unknown): void;
}

/** The average commit before any was measured (PostgreSQL on a quiet disk: 1-3 ms). */
const FIRST_TYPICAL_MS = 2;
/** A commit is overlapped only after it has run this long at least (timers have 1 ms steps). */
const MIN_OVERLAP_MS = 1;

export interface CommitOptions {
  /** Commits that may run at once (1: each waits for the one before). */
  inFlight?: number;
  /**
   * The next group starts beside the commit in flight once that has run this many times the
   * recent average (2); 0 starts it at once, up to `inFlight` (the behaviour before 2026-12-07).
   */
  overlapAfter?: number;
  /**
   * Milliseconds a group waits after its first batch before it starts, while commits are small
   * (the last one held fewer than `GATHER_BELOW` batches), so that batches arriving just after
   * share its commit; 0 (the default) starts it in the next turn. Measured in bench/README.md
   * (2026-12-07, fanout2): it trades latency for fewer commits only when rooms hand in batches
   * faster than one per window.
   */
  gatherMs?: number;
  /** The clock commits are timed with (tests drive it). */
  now?: () => number;
  /** Told of every group commit and of every batch that waits behind one (the metrics). */
  observer?: ItemLogObserver;
}

/** A commit of fewer batches than this is small: the next group may wait `gatherMs` for company. */
export const GATHER_BELOW = 4;

/** `commit` stores a group of batches atomically (persistItemDocBatches). */
export function createItemLog(commit: (batches: ItemDocBatch[]) => Promise<void>, options: CommitOptions = {}): ItemLog {
  const slots = Math.max(1, options.inFlight ?? 1);
  const overlapFactor = options.overlapAfter ?? 2;
  const now = options.now ?? (() => performance.now());
  const gatherMs = Math.max(0, options.gatherMs ?? 0);
  /** Batches in the last commit started (a large one says the rate groups them without waiting). */
  let lastGroupSize = 0;
  let queue: Queued[] = [];
  /** The batches in `queue`: those that may still be joined. */
  const waiting = new Set<ItemDocBatch>();
  let running = 0;
  let scheduled = false;
  /** When the newest commit in flight started. */
  let lastStartedAt = 0;
  /** Moving average of the commits' durations. */
  let typicalMs = FIRST_TYPICAL_MS;
  let overlapTimer: NodeJS.Timeout | null = null;

  function start(): void {
    scheduled = false;
    if (!queue.length || running >= slots) return;
    if (running > 0 && overlapFactor > 0) {
      const ran = now() - lastStartedAt;
      const overlapAfter = Math.max(MIN_OVERLAP_MS, overlapFactor * typicalMs);
      if (ran < overlapAfter) {
        // Wait for the commit in flight (its completion starts this group), or overlap it if it stalls.
        overlapTimer ??= setTimeout(() => {
          overlapTimer = null;
          start();
        }, Math.ceil(overlapAfter - ran));
        return;
      }
    }
    if (overlapTimer) clearTimeout(overlapTimer);
    overlapTimer = null;
    const group = queue;
    queue = [];
    waiting.clear();
    lastGroupSize = group.length;
    options.observer?.liveGroupCommit(group.length, running > 0);
    running++;
    const startedAt = (lastStartedAt = now());
    commit(group.map((q) => q.batch)).then(
      () => {
        const doneAt = now();
        typicalMs += (doneAt - startedAt - typicalMs) / 8;
        group.forEach((q) => q.resolve({ startedAt, doneAt }));
      },
      (err: unknown) => group.forEach((q) => q.reject(err)),
    ).finally(() => {
      running--;
      start();
    });
  }

  return {
    join(batch, updates) {
      if (!waiting.has(batch)) return false;
      batch.updates.push(...updates);
      options.observer?.liveUpdatesJoined(updates.length);
      return true;
    },
    append(batch) {
      return new Promise<CommitTiming>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        waiting.add(batch);
        if (running > 0) options.observer?.liveBatchBehindCommit();
        if (scheduled || running >= slots) return;
        scheduled = true;
        if (gatherMs > 0 && running === 0 && lastGroupSize < GATHER_BELOW) setTimeout(start, gatherMs);
        // Nothing in flight: start now, from the socket read that handed the batch in.
        // postgres.js writes a query from a setImmediate, so a commit started in a setImmediate
        // callback leaves only after the next turn's socket reads (bench/README.md, 2026-12-07
        // evening); batches handed in later in this turn go in the next group.
        else if (running === 0) queueMicrotask(start);
        // A commit is in flight: the batches of this turn's socket reads wait for it together.
        else setImmediate(start);
      });
    },
  };
}
