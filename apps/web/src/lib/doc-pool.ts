/**
 * A bounded pool of open live documents, so switching items (j/k) does not close and re-open
 * WebSockets, Y.Docs and IndexedDB stores every time (bench/web-next-item.ts): the item left
 * behind and the next one (opened ahead, `warm`) stay open, already synced.
 *
 * Documents in use are never closed by the pool; idle ones are closed least recently used
 * first once more than `max` are open. Generic over what is pooled (a LiveDoc in the app),
 * so the rules are tested without a browser.
 */
import { codingDocName, itemDocName } from '@concord/shared';

export interface Closable {
  destroy(): void;
}

interface Entry<T> {
  value: T;
  users: number;
}

export class DocPool<T extends Closable> {
  /** In least recently used order (a Map keeps insertion order; a use re-inserts). */
  readonly #entries = new Map<string, Entry<T>>();
  readonly #max: number;
  #closed = false;

  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError('a pool holds at least one document');
    this.#max = max;
  }

  /** The document `name`, opened with `open` unless pooled; in use (never closed by the pool) until `release`. */
  acquire(name: string, open: () => T): T {
    const entry = this.#touch(name, open);
    entry.users++;
    return entry.value;
  }

  /** Done with `name` for now: it stays open (idle) until the pool needs the room. */
  release(name: string): void {
    const entry = this.#entries.get(name);
    if (!entry) return;
    entry.users = Math.max(0, entry.users - 1);
    this.#trim();
  }

  /** Opens `name` ahead of its use (say, the next item's documents), idle. */
  warm(name: string, open: () => T): void {
    if (this.#closed) return;
    this.#touch(name, open);
    this.#trim();
  }

  /** Closes `name` now, in use or not: its next `acquire` opens it afresh. */
  discard(name: string): void {
    const entry = this.#entries.get(name);
    if (!entry) return;
    this.#entries.delete(name);
    entry.value.destroy();
  }

  /** The pooled document `name`, if open. */
  peek(name: string): T | undefined {
    return this.#entries.get(name)?.value;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Closes every document not in use (say, another project's). */
  closeIdle(): void {
    for (const [name, entry] of [...this.#entries]) {
      if (entry.users > 0) continue;
      this.#entries.delete(name);
      entry.value.destroy();
    }
  }

  /** Closes everything (leaving the page); later `warm` calls do nothing. */
  closeAll(): void {
    this.#closed = true;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) entry.value.destroy();
  }

  #touch(name: string, open: () => T): Entry<T> {
    let entry = this.#entries.get(name);
    if (entry) this.#entries.delete(name);
    else entry = { value: open(), users: 0 };
    this.#entries.set(name, entry);
    return entry;
  }

  /** Closes idle documents, least recently used first, while more than `max` are open. */
  #trim(): void {
    for (const [name, entry] of this.#entries) {
      if (this.#entries.size <= this.#max) return;
      if (entry.users > 0) continue;
      this.#entries.delete(name);
      entry.value.destroy();
    }
  }
}

/**
 * The documents of an item that may be pooled and opened ahead for the caller: the item's own
 * (presence) and, when assigned, the caller's own coding document. Never another coder's
 * document: those depend on the phase (blind until the joint session) and are opened per visit.
 */
export function poolableDocs(input: { itemId: string; meId: string; assigned: boolean }): { item: string; own: string | null } {
  return { item: itemDocName(input.itemId), own: input.assigned ? codingDocName(input.itemId, input.meId) : null };
}
