import { describe, expect, it } from 'vitest';
import { codingDocName, itemDocName } from '@concord/shared';
import { DocPool, poolableDocs } from '$lib/doc-pool.ts';

/** A stand-in for a live document: records whether it was closed. */
function fake(name: string) {
  return { name, closed: 0, destroy() {
    this.closed++;
  } };
}
type Fake = ReturnType<typeof fake>;

function setup(max: number) {
  const pool = new DocPool<Fake>(max);
  const opened: Fake[] = [];
  const open = (name: string) => () => {
    const doc = fake(name);
    opened.push(doc);
    return doc;
  };
  return { pool, opened, open };
}

describe('DocPool', () => {
  it('hands back the open document instead of opening it again', () => {
    const { pool, opened, open } = setup(4);
    const a = pool.acquire('a', open('a'));
    pool.release('a');
    expect(pool.acquire('a', open('a'))).toBe(a);
    expect(opened).toHaveLength(1);
    expect(a.closed).toBe(0);
  });

  it('keeps at most `max` documents, closing the least recently used idle one', () => {
    const { pool, opened, open } = setup(2);
    for (const name of ['a', 'b']) {
      pool.acquire(name, open(name));
      pool.release(name);
    }
    pool.acquire('a', open('a')); // a is now the most recently used
    pool.release('a');
    pool.warm('c', open('c'));
    expect(pool.size).toBe(2);
    const [a, b, c] = opened;
    expect(b!.closed).toBe(1);
    expect(a!.closed).toBe(0);
    expect(c!.closed).toBe(0);
    expect(pool.peek('b')).toBeUndefined();
  });

  it('never closes a document in use, even over the bound', () => {
    const { pool, opened, open } = setup(1);
    pool.acquire('a', open('a'));
    pool.acquire('b', open('b'));
    pool.warm('c', open('c'));
    expect(opened.map((d) => d.closed)).toEqual([0, 0, 1]);
    pool.release('a'); // idle now, and over the bound: closed
    expect(opened[0]!.closed).toBe(1);
    expect(pool.size).toBe(1);
  });

  it('counts users: a document acquired twice stays until both release it', () => {
    const { pool, opened, open } = setup(1);
    pool.acquire('a', open('a'));
    pool.acquire('a', open('a'));
    pool.release('a');
    pool.warm('b', open('b'));
    expect(opened[0]!.closed).toBe(0);
    pool.release('a');
    pool.warm('b', open('b'));
    expect(opened[0]!.closed).toBe(1);
  });

  it('discard closes a document at once, so the next acquire opens it afresh', () => {
    const { pool, opened, open } = setup(4);
    pool.acquire('a', open('a'));
    pool.discard('a');
    expect(opened[0]!.closed).toBe(1);
    pool.acquire('a', open('a'));
    expect(opened).toHaveLength(2);
    pool.release('a'); // the old entry's release does not touch the new one twice
    expect(opened[1]!.closed).toBe(0);
  });

  it('closeAll closes every document once, in use or not, and warms nothing afterwards', () => {
    const { pool, opened, open } = setup(4);
    pool.acquire('a', open('a'));
    pool.warm('b', open('b'));
    pool.closeAll();
    expect(opened.map((d) => d.closed)).toEqual([1, 1]);
    pool.warm('c', open('c'));
    pool.release('a');
    expect(opened).toHaveLength(2);
    expect(pool.size).toBe(0);
  });

  it('closeIdle closes the documents not in use and keeps the others', () => {
    const { pool, opened, open } = setup(4);
    pool.acquire('a', open('a'));
    pool.warm('b', open('b'));
    pool.closeIdle();
    expect(opened.map((d) => d.closed)).toEqual([0, 1]);
    expect(pool.peek('a')).toBe(opened[0]);
    expect(pool.size).toBe(1);
  });

  it('refuses a bound below one', () => {
    expect(() => new DocPool(0)).toThrow(RangeError);
  });
});

describe('poolableDocs', () => {
  it("pools the item's document and the caller's own coding document, never another coder's", () => {
    expect(poolableDocs({ itemId: 'i1', meId: 'me', assigned: true })).toEqual({ item: itemDocName('i1'), own: codingDocName('i1', 'me') });
  });

  it('opens no coding document ahead for an item the caller is not assigned to', () => {
    expect(poolableDocs({ itemId: 'i1', meId: 'me', assigned: false })).toEqual({ item: itemDocName('i1'), own: null });
  });
});
