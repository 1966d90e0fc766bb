import { describe, expect, it } from 'vitest';
import type { Db } from '@concord/db';
import { createLogger } from '../logger.ts';
import { createItemLog } from './item-log.ts';

type Row = { docName: string; itemId: string; update: Uint8Array };

/** A database double that records every commit (an INSERT outside a transaction, or a transaction) and can be told to fail. */
function fakeDb(options: { failOn?: number } = {}) {
  const transactions: Row[][] = [];
  const insert = () => ({
    async values(rows: Row[]) {
      const n = transactions.push([...rows]);
      // Yield like a real commit, so appends arriving meanwhile queue for the next one.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (n === options.failOn) throw new Error('commit failed');
    },
  });
  const db = { insert, transaction: <T>(fn: (tx: unknown) => Promise<T>) => fn({ insert }) };
  return { db: db as unknown as Db, transactions };
}

const u = (n: number) => new Uint8Array([n]);
const logger = createLogger({ logLevel: 'silent' });

describe('item log (group commit)', () => {
  it('stores the batches handed in during one turn in one transaction, each document in order', async () => {
    const { db, transactions } = fakeDb();
    const log = createItemLog({ db, actor: null, logger });
    await Promise.all([
      log.append({ name: 'item:a', itemId: 'a', updates: [u(1), u(2)] }),
      log.append({ name: 'item:b', itemId: 'b', updates: [u(3)] }),
      log.append({ name: 'item:c', itemId: 'c', updates: [u(4)] }),
    ]);
    expect(transactions).toHaveLength(1);
    expect(transactions[0]!.map((r) => [r.docName, r.update[0]])).toEqual([
      ['item:a', 1],
      ['item:a', 2],
      ['item:b', 3],
      ['item:c', 4],
    ]);
  });

  it('collects what arrives while a commit is in flight into the next transaction', async () => {
    const { db, transactions } = fakeDb();
    const log = createItemLog({ db, actor: null, logger });
    const first = log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] });
    await new Promise((resolve) => setTimeout(resolve, 1));
    const later = [log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] }), log.append({ name: 'item:c', itemId: 'c', updates: [u(3)] })];
    await Promise.all([first, ...later]);
    expect(transactions.map((t) => t.map((r) => r.docName))).toEqual([['item:a'], ['item:b', 'item:c']]);
  });

  it('rejects every batch of a failed transaction and keeps working afterwards', async () => {
    const { db, transactions } = fakeDb({ failOn: 1 });
    const log = createItemLog({ db, actor: null, logger });
    const results = await Promise.allSettled([
      log.append({ name: 'item:a', itemId: 'a', updates: [u(1)] }),
      log.append({ name: 'item:b', itemId: 'b', updates: [u(2)] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await log.append({ name: 'item:c', itemId: 'c', updates: [u(3)] });
    expect(transactions[1]!.map((r) => r.docName)).toEqual(['item:c']);
  });
});
