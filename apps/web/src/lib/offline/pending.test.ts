import { describe, expect, it } from 'vitest';
import { codingDocName, itemDocName } from '@concord/shared';
import { clearPending, forgetPendingOf, isOwnCodingStore, isPending, markPending, PENDING_KEY, pendingOf } from '$lib/offline/pending.ts';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

const ANA = 'usr_aaaaaaaaaaaaaaaa';
const BEA = 'usr_bbbbbbbbbbbbbbbb';
const ONE = 'itm_cccccccccccccccc';
const TWO = 'itm_dddddddddddddddd';

describe('the list of coding documents with changes to send', () => {
  it('lists each document once, per coder, until its changes reached the server', () => {
    const store = memoryStorage();
    markPending(store, codingDocName(ONE, ANA));
    markPending(store, codingDocName(ONE, ANA));
    markPending(store, codingDocName(TWO, ANA));
    markPending(store, codingDocName(ONE, BEA));
    expect(pendingOf(store, ANA)).toEqual([codingDocName(ONE, ANA), codingDocName(TWO, ANA)]);
    expect(pendingOf(store, BEA)).toEqual([codingDocName(ONE, BEA)]);
    expect(isPending(store, codingDocName(TWO, ANA))).toBe(true);

    clearPending(store, codingDocName(ONE, ANA));
    expect(pendingOf(store, ANA)).toEqual([codingDocName(TWO, ANA)]);
    expect(isPending(store, codingDocName(ONE, ANA))).toBe(false);
  });

  it("forgets one coder's documents at her sign-out and keeps the others'", () => {
    const store = memoryStorage();
    markPending(store, codingDocName(ONE, ANA));
    markPending(store, codingDocName(ONE, BEA));
    forgetPendingOf(store, ANA);
    expect(pendingOf(store, ANA)).toEqual([]);
    expect(pendingOf(store, BEA)).toEqual([codingDocName(ONE, BEA)]);
    forgetPendingOf(store, BEA);
    expect(store.values.has(PENDING_KEY)).toBe(false);
  });

  it('reads a damaged or foreign list as empty and keeps only coding documents', () => {
    const store = memoryStorage();
    store.setItem(PENDING_KEY, '{not json');
    expect(pendingOf(store, ANA)).toEqual([]);
    store.setItem(PENDING_KEY, JSON.stringify([itemDocName(ONE), 42, 'coding:x:y', codingDocName(TWO, ANA)]));
    expect(pendingOf(store, ANA)).toEqual([codingDocName(TWO, ANA)]);
  });

  it("tells a coder's own coding stores from every other IndexedDB database", () => {
    expect(isOwnCodingStore(codingDocName(ONE, ANA), ANA)).toBe(true);
    expect(isOwnCodingStore(codingDocName(ONE, BEA), ANA)).toBe(false);
    expect(isOwnCodingStore(itemDocName(ONE), ANA)).toBe(false);
    expect(isOwnCodingStore(`coding:${ONE}:${ANA}:extra`, ANA)).toBe(false);
  });
});
