import { describe, expect, it } from 'vitest';
import type { ItemDocBatch } from '../services/collab/persist.ts';
import { createItemLog } from './item-log.ts';

/**
 * A committer that records every group it is handed and can be told to fail. (The real one,
 * persistItemDocBatches, is exercised against PGlite and PostgreSQL by the collab suites.)
 */
function recordingCommit(options: { failOn?: number } = {}) {
  const commits: ItemDocBatch[][] = [];
  const commit = async (batches: ItemDocBatch[]) => {
    const n = commits.push(batches);
    // Yield like a real commit, so appends arriving meanwhile queue for the next one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (n === options.failOn) throw new Error('commit failed');
  };
  return { commit, commits };
}

/** The log rows a commit would write, in order. */
const rows = (batches: ItemDocBatch[]) => batches.flatMap((b) => b.updates.map((update) => ({ docName: b.name, update })));

const u = (n: number) => new Uint8Array([n]);
const firstBytes = (batch: ItemDocBatch) => batch.updates.map((update) => update[0]);

describe('item log (group commit)', () => {
  it('stores the batches handed in during one turn in one transaction, each document in order', async () => {
    const { commit, commits } = recordingCommit();
    const log = createItemLog(commit);
    await Promise.all([
      log.append({ name: 'item:a', itemId: 'a', updates: [u(1), u(2)] }),
      log.append({ name: 'item:b', itemId: 'b', updates: [u(3)] }),
      log.append({ name: 'item:c', itemId: 'c', updates: [u(4)] }),
    ]);
    expect(commits).toHaveLength(1);
    expect(rows(commits[0]!).map((r) => [r.docName, r.update[0]])).toEqual([
      ['item:a', 1],
      ['item:a', 2],
      ['item:b', 3],
      ['item:c', 4],
    ]);
  });

  it('collects what arrives while a commit is in flight into the next transaction', async () => {
    const { commit, commits } = recordingCommit();
    const log = createItemLog(commit);
    const first = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] });
    await new Promise((resolve) => setTimeout(resolve, 1));
    const later = [log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] }), log.append({ name: 'item:c', itemId: 'c', updates: [u(3)] })];
    await Promise.all([first, ...later]);
    expect(commits.map((c) => rows(c).map((r) => r.docName))).toEqual([['item:a'], ['item:b', 'item:c']]);
  });

  it('rejects every batch of a failed transaction and keeps working afterwards', async () => {
    const { commit, commits } = recordingCommit({ failOn: 1 });
    const log = createItemLog(commit);
    const results = await Promise.allSettled([
      log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] }),
      log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await log.append({ name: 'item:c', itemId: 'c', updates: [u(3)] });
    expect(rows(commits[1]!).map((r) => r.docName)).toEqual(['item:c']);
  });
});

describe('item log (when a group starts)', () => {
  it('with no commit in flight, hands the batch to the committer before the turn ends, not in a later callback', async () => {
    // postgres.js writes a query from a setImmediate: a commit started from one waits for the next turn's socket reads.
    const order: string[] = [];
    const log = createItemLog(async () => {
      order.push('commit');
    });
    let appended: Promise<unknown> = Promise.resolve();
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        order.push('setImmediate queued before');
        resolve();
      });
      appended = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] });
      order.push('appended');
    });
    await appended;
    expect(order).toEqual(['appended', 'commit', 'setImmediate queued before']);
  });
});

describe('item log (commits in flight)', () => {
  /** A committer whose commits finish when the test releases them. */
  function heldCommit() {
    const releases: (() => void)[] = [];
    const commits: ItemDocBatch[][] = [];
    const state = { running: 0, maxRunning: 0 };
    const commit = (batches: ItemDocBatch[]) => {
      commits.push(batches);
      state.maxRunning = Math.max(state.maxRunning, ++state.running);
      return new Promise<void>((resolve) => releases.push(() => (state.running--, resolve())));
    };
    const groups = () => commits.map((g) => rows(g).map((r) => r.docName));
    return { commit, releases, groups, state };
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  /** One batch per turn of the event loop, for documents a, b, c: their appends' promises. */
  async function appendInTurns(log: ReturnType<typeof createItemLog>): Promise<Promise<unknown>[]> {
    const appended: Promise<unknown>[] = [];
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      appended.push(log.append({ name: `item:${name}`, itemId: name, updates: [u(i + 1)] }));
      await turn();
    }
    return appended;
  }

  it('keeps what arrives in later turns for the commit after the one in flight, while that one is not slow', async () => {
    const { commit, releases, groups, state } = heldCommit();
    // The clock stands still: the commit in flight never runs long.
    const log = createItemLog(commit, { inFlight: 4, now: () => 1_000 });
    const [a, b, c] = await appendInTurns(log);
    expect(groups()).toEqual([['item:a']]);

    releases[0]!();
    await a;
    await turn();
    expect(groups()).toEqual([['item:a'], ['item:b', 'item:c']]);
    releases[1]!();
    await Promise.all([b, c]);
    expect(state.maxRunning).toBe(1);
  });

  it('starts the next group beside a commit that runs much longer than usual, up to the limit, then queues', async () => {
    const { commit, releases, groups, state } = heldCommit();
    let clock = 1_000;
    const log = createItemLog(commit, { inFlight: 2, now: () => clock });
    const a = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] });
    await turn();
    const b = log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] });
    await turn();
    expect(groups()).toEqual([['item:a']]);
    // The first commit stalls (far more than twice the usual 2 ms): the waiting group goes beside it.
    clock += 50;
    const c = log.append({ name: 'item:c', itemId: 'c', updates: [u(3)] });
    await turn();
    expect(groups()).toEqual([['item:a'], ['item:b', 'item:c']]);
    // Both slots are busy, however long they run: these two wait, together.
    clock += 50;
    const d = log.append({ name: 'item:d', itemId: 'd', updates: [u(4)] });
    const e = log.append({ name: 'item:e', itemId: 'e', updates: [u(5)] });
    await turn();
    expect(groups()).toEqual([['item:a'], ['item:b', 'item:c']]);

    releases[0]!();
    await a;
    await turn();
    expect(groups()).toEqual([['item:a'], ['item:b', 'item:c'], ['item:d', 'item:e']]);
    releases[1]!();
    releases[2]!();
    await Promise.all([b, c, d, e]);
    expect(state.maxRunning).toBe(2);
  });

  it('with overlapAfter 0, starts each turn’s group at once beside the commits in flight, up to the limit', async () => {
    const { commit, releases, groups, state } = heldCommit();
    const log = createItemLog(commit, { inFlight: 2, overlapAfter: 0, now: () => 1_000 });
    const [a, b, c] = await appendInTurns(log);
    expect(groups()).toEqual([['item:a'], ['item:b']]);
    releases[0]!();
    await a;
    await turn();
    expect(groups()).toEqual([['item:a'], ['item:b'], ['item:c']]);
    releases[1]!();
    releases[2]!();
    await Promise.all([b, c]);
    expect(state.maxRunning).toBe(2);
  });

  it('adds updates to a batch waiting behind the commit in flight, after its own, and refuses once its commit started', async () => {
    const { commit, releases, groups } = heldCommit();
    const joined: number[] = [];
    const observer = { liveGroupCommit: () => {}, liveBatchBehindCommit: () => {}, liveUpdatesJoined: (n: number) => joined.push(n) };
    const log = createItemLog(commit, { inFlight: 2, now: () => 1_000, observer });
    const a = { name: 'item:a', itemId: 'a', updates: [u(1)] };
    const b = { name: 'item:b', itemId: 'b', updates: [u(2)] };
    const stored = [log.append(a)];
    await turn();
    // a's commit is in flight: it can no longer be joined; b waits behind it and can.
    expect(log.join(a, [u(9)])).toBe(false);
    stored.push(log.append(b));
    await turn();
    expect(log.join(b, [u(3), u(4)])).toBe(true);
    expect(log.join({ name: 'item:c', itemId: 'c', updates: [] }, [u(5)])).toBe(false);
    releases[0]!();
    await stored[0];
    await turn();
    expect(log.join(b, [u(6)])).toBe(false);
    releases[1]!();
    await Promise.all(stored);
    expect(groups()).toEqual([['item:a'], ['item:b', 'item:b', 'item:b']]);
    expect(firstBytes(b)).toEqual([2, 3, 4]);
    expect(joined).toEqual([2]);
  });

  it('overlaps a stalled commit even when nothing more arrives (a timer, not the next append)', async () => {
    const { commit, releases, groups } = heldCommit();
    let clock = 1_000;
    const log = createItemLog(commit, { inFlight: 2, now: () => clock });
    const a = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] });
    await turn();
    clock += 1; // not slow yet: the group waits, and a timer is set for when it would be
    const b = log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] });
    await turn();
    expect(groups()).toEqual([['item:a']]);
    clock += 50;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(groups()).toEqual([['item:a'], ['item:b']]);
    releases[0]!();
    releases[1]!();
    await Promise.all([a, b]);
  });

  it('with gatherMs, a small group waits that long after its first batch for the next ones; without, it starts in the next turn', async () => {
    const appendApart = async (log: ReturnType<typeof createItemLog>) => {
      const first = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] });
      await new Promise((resolve) => setTimeout(resolve, 2));
      await Promise.all([first, log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] })]);
    };
    const gathered = recordingCommit();
    await appendApart(createItemLog(gathered.commit, { gatherMs: 30 }));
    expect(gathered.commits.map((c) => rows(c).map((r) => r.docName))).toEqual([['item:a', 'item:b']]);

    const prompt = recordingCommit();
    await appendApart(createItemLog(prompt.commit));
    expect(prompt.commits.map((c) => rows(c).map((r) => r.docName))).toEqual([['item:a'], ['item:b']]);
  });
});

describe('item log (what it tells about each commit)', () => {
  it('resolves each batch with its commit’s start and end, and tells the observer of every group and of the batches behind a commit', async () => {
    let clock = 1_000;
    const releases: (() => void)[] = [];
    const commit = () => new Promise<void>((resolve) => releases.push(resolve));
    const groups: [number, boolean][] = [];
    let behind = 0;
    const observer = {
      liveGroupCommit: (batches: number, overlapped: boolean) => groups.push([batches, overlapped]),
      liveBatchBehindCommit: () => behind++,
      liveUpdatesJoined: () => {},
    };
    const log = createItemLog(commit, { inFlight: 2, now: () => clock, observer });
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    const a = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] }); // nothing in flight: starts at 1000
    await turn();
    clock = 1_002;
    const b = log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] });
    const c = log.append({ name: 'item:c', itemId: 'c', updates: [u(3)] });
    await turn();
    expect(behind).toBe(2);
    clock = 1_003;
    releases[0]!(); // a answered at 1003; b and c start at once, together
    expect(await a).toEqual({ startedAt: 1_000, doneAt: 1_003 });
    await turn();
    clock = 1_010;
    releases[1]!();
    expect(await Promise.all([b, c])).toEqual([
      { startedAt: 1_003, doneAt: 1_010 },
      { startedAt: 1_003, doneAt: 1_010 },
    ]);
    expect(groups).toEqual([
      [1, false],
      [2, false],
    ]);

    // A stalled commit is overlapped: that group is told as overlapped.
    const d = log.append({ name: 'item:d', itemId: 'd', updates: [u(4)] });
    await turn();
    clock += 100;
    const e = log.append({ name: 'item:e', itemId: 'e', updates: [u(5)] });
    await turn();
    expect(groups.at(-1)).toEqual([1, true]);
    releases[2]!();
    releases[3]!();
    await Promise.all([d, e]);
    expect(behind).toBe(3);
  });
});
