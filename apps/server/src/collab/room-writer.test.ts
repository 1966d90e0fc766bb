import { describe, expect, it, vi } from 'vitest';
import { itemDocName } from '@concord/shared';
import { createLogger } from '../logger.ts';
import { noopMetrics } from '../metrics.ts';
import type { ItemDocBatch } from '../services/collab/persist.ts';
import { createItemLog } from './item-log.ts';
import type { DocPersistence, StoreBatch } from './persistence.ts';
import { memoryStore } from './room-testing.ts';
import { COMPACT_EVERY_UPDATES, COMPACTIONS_AT_ONCE, RoomWriter, type Pending, type WriterHost } from './room-writer.ts';

/** A writer on the in-memory store whose first compaction waits until the test releases it. */
function writerWithHeldCompactions(itemId: string, held: Array<() => void>) {
  const committed: Pending[][] = [];
  const host: WriterHost = {
    name: itemDocName(itemId),
    itemId,
    batch: () => ({ name: itemDocName(itemId), doc: { kind: 'item', itemId }, codingValues: () => ({}) }),
    committed: (batch) => void committed.push([...batch]),
    failed: (err) => {
      throw err;
    },
  };
  const compactions = { started: 0, done: 0 };
  const persistence = {
    ...memoryStore,
    onCompactDocument: () => {
      if (++compactions.started > 1) return Promise.resolve({ bytes: 1 }).finally(() => void compactions.done++);
      return new Promise<{ bytes: number }>((resolve) =>
        held.push(() => {
          compactions.done++;
          resolve({ bytes: 1 });
        }),
      );
    },
  };
  const writer = new RoomWriter(host, { persistence, metrics: noopMetrics, logger: createLogger({ logLevel: 'silent' }) });
  const peer = { kind: 'client' } as unknown as Pending['origin'];
  const enqueue = (n: number) => {
    for (let i = 0; i < n; i++) writer.enqueue(new Uint8Array([i % 256]), peer);
  };
  return { writer, committed, compactions, enqueue };
}

describe('RoomWriter compaction', () => {
  it("commits and relays the room's next batches while its log is being compacted", async () => {
    const held: Array<() => void> = [];
    const room = writerWithHeldCompactions('itm_compact_1', held);
    room.enqueue(COMPACT_EVERY_UPDATES);
    await vi.waitFor(() => expect(room.compactions.started).toBe(1));
    room.enqueue(1);
    // With the flush loop waiting for its compaction, this batch would stay queued until release.
    await vi.waitFor(() => expect(room.committed.length).toBe(2));
    expect(room.compactions.done).toBe(0);
    held.splice(0).forEach((release) => release());
    // The row stored meanwhile stayed in the log: unloading compacts it.
    await room.writer.compact();
    expect(room.compactions.done).toBe(2);
  });

  it(`runs at most ${COMPACTIONS_AT_ONCE} compactions at once in a process, the others when a slot frees`, async () => {
    const held: Array<() => void> = [];
    const rooms = Array.from({ length: COMPACTIONS_AT_ONCE + 2 }, (_, i) => writerWithHeldCompactions(`itm_compact_many_${i}`, held));
    for (const room of rooms) room.enqueue(COMPACT_EVERY_UPDATES);
    await vi.waitFor(() => expect(rooms.every((r) => r.committed.length === 1)).toBe(true));
    await vi.waitFor(() => expect(held.length).toBe(COMPACTIONS_AT_ONCE));
    const started = () => rooms.reduce((n, r) => n + r.compactions.started, 0);
    // Give queued compactions every chance to start before checking they did not.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started()).toBe(COMPACTIONS_AT_ONCE);
    held.shift()!();
    await vi.waitFor(() => expect(started()).toBe(COMPACTIONS_AT_ONCE + 1));
    while (held.length || started() < rooms.length) {
      held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(rooms.map((r) => r.writer.compact()));
    expect(rooms.map((r) => r.compactions.done)).toEqual(rooms.map(() => 1));
  });
});

/**
 * Item documents' batches through the real group commit (collab/item-log.ts), as
 * persistence.ts hands them to it, with commits that finish when the test releases them.
 */
function heldGroupCommit() {
  const releases: (() => void)[] = [];
  const commits: string[][] = [];
  const log = createItemLog(
    (batches) => {
      commits.push(batches.flatMap((b) => b.updates.map((u) => `${b.itemId}:${u[0]}`)));
      return new Promise<void>((resolve) => releases.push(resolve));
    },
    { now: () => 1_000 }, // the commit in flight never looks stalled: the next group waits for it
  );
  const inLog = new WeakMap<StoreBatch, ItemDocBatch>();
  const persistence: DocPersistence = {
    ...memoryStore,
    async onStoreDocument(batch) {
      const logged = { name: batch.name, itemId: batch.doc.itemId, updates: [...batch.updates] };
      inLog.set(batch, logged);
      return { invalid: [], timing: await log.append(logged) };
    },
    onJoinBatch: (batch, updates) => log.join(inLog.get(batch)!, updates),
  };
  return { persistence, releases, commits };
}

function itemWriter(itemId: string, persistence: DocPersistence) {
  const committed: number[][] = [];
  const host: WriterHost = {
    name: itemDocName(itemId),
    itemId,
    batch: () => ({ name: itemDocName(itemId), doc: { kind: 'item', itemId }, codingValues: () => ({}) }),
    committed: (batch) => void committed.push(batch.map((p) => p.update[0]!)),
    failed: (err) => {
      throw err;
    },
  };
  const writer = new RoomWriter(host, { persistence, metrics: noopMetrics, logger: createLogger({ logLevel: 'silent' }) });
  const peer = { kind: 'client' } as unknown as Pending['origin'];
  return { writer, committed, enqueue: (n: number) => writer.enqueue(new Uint8Array([n]), peer) };
}

describe('RoomWriter and the group commit', () => {
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it("commits and relays an update with its room's batch that still waits behind another commit, in order", async () => {
    const { persistence, releases, commits } = heldGroupCommit();
    const a = itemWriter('itm_join_a', persistence);
    const b = itemWriter('itm_join_b', persistence);
    a.enqueue(1);
    await turn();
    b.enqueue(2);
    await turn();
    // b's batch waits for a's commit: this update joins it instead of waiting for both commits.
    b.enqueue(3);
    await turn();
    expect(commits).toEqual([['itm_join_a:1']]);
    releases[0]!();
    await vi.waitFor(() => expect(commits.length).toBe(2));
    // Its commit has started: this one is the room's next batch.
    b.enqueue(4);
    await turn();
    releases[1]!();
    await vi.waitFor(() => expect(commits.length).toBe(3));
    releases[2]!();
    await b.writer.flushed();
    expect(commits).toEqual([['itm_join_a:1'], ['itm_join_b:2', 'itm_join_b:3'], ['itm_join_b:4']]);
    expect(b.committed).toEqual([[2, 3], [4]]);
    expect(a.committed).toEqual([[1]]);
  });
});
