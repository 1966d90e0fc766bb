/**
 * The coding view's pool of live documents: the caller's own coding documents (kept in
 * IndexedDB) and item documents stay open across items (this item's, the one left behind,
 * the next one opened ahead), so j/k renders from synced state at once (bench/web-next-item.ts).
 * Other coders' documents are never pooled (peer-docs.svelte.ts opens them per visit).
 */
import { openLiveDoc, type LiveDoc } from '$lib/collab.ts';
import { DocPool, poolableDocs } from '$lib/doc-pool.ts';

export const POOL_SIZE = 6;

const openOwn = (name: string) => () => openLiveDoc(name, { persist: true });
const openItem = (name: string) => () => {
  const live = openLiveDoc(name);
  // Opened ahead: nobody is on the item until it is shown (awareness starts with an empty state).
  live.provider.awareness.setLocalState(null);
  return live;
};

export class CodingDocs {
  readonly #pool = new DocPool<LiveDoc>(POOL_SIZE);
  /** The project whose documents the pool holds: another project's are closed on arrival. */
  #project = '';

  /** Closes the idle documents of another project when the view arrives in `projectId`. */
  enterProject(projectId: string): void {
    if (projectId === this.#project) return;
    this.#pool.closeIdle();
    this.#project = projectId;
  }

  /** The caller's own coding document, in use until `release`. `fresh`: opened anew (the item's data was reloaded). */
  acquireOwn(name: string, fresh: boolean): LiveDoc {
    return this.#acquire(name, openOwn(name), fresh);
  }

  /** The item document (presence and shared tags), in use until `release`. */
  acquireItem(name: string, fresh: boolean): LiveDoc {
    return this.#acquire(name, openItem(name), fresh);
  }

  release(name: string): void {
    this.#pool.release(name);
  }

  /** Opens the documents of an item the caller is likely to open next, idle. */
  warm(input: { itemId: string; meId: string; assigned: boolean }): void {
    const docs = poolableDocs(input);
    this.#pool.warm(docs.item, openItem(docs.item));
    if (docs.own) this.#pool.warm(docs.own, openOwn(docs.own));
  }

  /** Closes everything (the view is left); later `warm` calls do nothing. */
  closeAll(): void {
    this.#pool.closeAll();
  }

  /** A pooled document, opened afresh when the server refused it or the item's data was reloaded (new phase, submitted). */
  #acquire(name: string, open: () => LiveDoc, fresh: boolean): LiveDoc {
    if (fresh || this.#pool.peek(name)?.refusal) this.#pool.discard(name);
    return this.#pool.acquire(name, open);
  }
}
