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

describe('item log (commits in flight)', () => {
  it('starts the next turn’s group while a commit is in flight, up to the limit, then queues', async () => {
    const releases: (() => void)[] = [];
    const commits: ItemDocBatch[][] = [];
    let maxRunning = 0;
    let running = 0;
    const commit = (batches: ItemDocBatch[]) => {
      commits.push(batches);
      maxRunning = Math.max(maxRunning, ++running);
      return new Promise<void>((resolve) => releases.push(() => (running--, resolve())));
    };
    const log = createItemLog(commit, { inFlight: 2 });
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    const a = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] });
    await turn();
    const b = log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] });
    await turn();
    // Both slots are busy: these two wait, together.
    const c = log.append({ name: 'item:c', itemId: 'c', updates: [u(3)] });
    const d = log.append({ name: 'item:d', itemId: 'd', updates: [u(4)] });
    await turn();
    expect(commits.map((g) => rows(g).map((r) => r.docName))).toEqual([['item:a'], ['item:b']]);

    releases[0]!();
    await a;
    await turn();
    expect(commits.map((g) => rows(g).map((r) => r.docName))).toEqual([['item:a'], ['item:b'], ['item:c', 'item:d']]);
    releases[1]!();
    releases[2]!();
    await Promise.all([b, c, d]);
    expect(maxRunning).toBe(2);
  });
});
