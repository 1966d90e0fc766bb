import { describe, expect, it, vi } from 'vitest';
import { itemDocName } from '@concord/shared';
import { createLogger } from '../logger.ts';
import { noopMetrics } from '../metrics.ts';
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
