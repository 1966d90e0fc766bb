/**
 * A coder's queue, stored ahead of time for work without a connection (issue 13 item 8): the
 * API answers her pages read (the projects, the project, its codebook and members, her queue
 * and, for each item still to code, the item with its text, her assignment and the attachments'
 * list and image thumbnails), put in the data cache the service worker answers from offline,
 * and her own coding documents of items in progress, loaded into IndexedDB.
 *
 * Every answer is fetched with her session, so the cache holds only what the server gives her
 * (SECURITY.md, blind coding): no other coder's document or value is ever asked for. The URLs
 * come from the same typed client the pages' loads use, so they are the keys those loads hit.
 */
import { codingDocName, type Queue, type QueueEntry } from '@concord/shared';
import { api, unwrap } from '../api.ts';
import { openLiveDoc } from '../collab.ts';
import { DATA_CACHE, keepsResponse } from './policy.ts';

/** Items stored at a time (requests in flight stay few on a slow link). */
const PARALLEL_ITEMS = 3;
/** Items stored per queue: past this, the first ones to code (the queue's order). */
export const MAX_OFFLINE_ITEMS = 300;
/** How long loading one coding document into IndexedDB may take before it is left to the coding view. */
const DOC_WAIT_MS = 15_000;

export const offlineSupported = () => typeof caches !== 'undefined' && 'serviceWorker' in navigator;

/** The queue's items a coder may still code, in queue order, at most MAX_OFFLINE_ITEMS. */
export function itemsToStore(queue: Pick<Queue, 'entries'>): QueueEntry[] {
  return queue.entries.filter((e) => e.status !== 'submitted' && e.phase !== 'revealed').slice(0, MAX_OFFLINE_ITEMS);
}

/** A fetch that keeps every answer the offline rules keep (policy.ts), as the service worker does. */
function storingFetch(cache: Cache): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    if (request.method === 'GET' && keepsResponse(new URL(request.url), response)) await cache.put(request, response.clone());
    return response;
  };
}

/** The URLs that must be kept for an item to open offline (its coding view's load). */
function itemUrls(origin: string, projectId: string, itemId: string): string[] {
  const project = api(origin).api.projects[':projectId'];
  return [
    project.items[':itemId'].$url({ param: { projectId, itemId } }).href,
    project.assignments.$url({ param: { projectId }, query: { item: itemId } }).href,
  ];
}

/** Which of `itemIds` open offline: their item and assignment are kept, with the project's own answers. */
export async function storedItems(origin: string, projectId: string, itemIds: readonly string[]): Promise<Set<string>> {
  const ready = new Set<string>();
  if (!offlineSupported()) return ready;
  const cache = await caches.open(DATA_CACHE);
  const project = api(origin).api.projects[':projectId'];
  const shared = [
    api(origin).api.auth.me.$url().href,
    project.$url({ param: { projectId } }).href,
    project.codebook.$url({ param: { projectId }, query: {} }).href,
    project.members.$url({ param: { projectId } }).href,
  ];
  for (const url of shared) if (!(await cache.match(url, { ignoreVary: true }))) return ready;
  for (const itemId of itemIds) {
    const urls = itemUrls(origin, projectId, itemId);
    const kept = await Promise.all(urls.map((url) => cache.match(url, { ignoreVary: true })));
    if (kept.every(Boolean)) ready.add(itemId);
  }
  return ready;
}

/** Loads the coder's own coding document into IndexedDB: resolves once synced and stored (or after DOC_WAIT_MS). */
function storeOwnDocument(docName: string): Promise<void> {
  const live = openLiveDoc(docName, { persist: true });
  return new Promise<void>((resolve) => {
    let stop = () => {};
    const timer = setTimeout(done, DOC_WAIT_MS);
    function done() {
      clearTimeout(timer);
      stop();
      // Closing the database waits for its writes (the server's state) to finish.
      live.destroy();
      resolve();
    }
    stop = live.watch({ onState: (state) => (state === 'saved' || state === 'closed' ? done() : undefined) });
  });
}

export interface StoreInput {
  origin: string;
  projectId: string;
  meId: string;
  queue: Pick<Queue, 'entries'>;
  /** Called with each item once it opens offline. */
  onItem?: (itemId: string) => void;
  /** Stop early (the page was left). */
  signal?: AbortSignal;
}

/** Stores the queue's items still to code for offline use; resolves with the ids stored. Needs a connection. */
export async function storeQueue(input: StoreInput): Promise<Set<string>> {
  const stored = new Set<string>();
  if (!offlineSupported() || !navigator.onLine) return stored;
  const { origin, projectId, meId, signal } = input;
  const cache = await caches.open(DATA_CACHE);
  const client = api(origin, storingFetch(cache));
  const project = client.api.projects[':projectId'];
  const param = { projectId };
  // What the projects list, the queue page and every coding view load.
  // One that fails (say, a route this role may not read) leaves the others; storedItems checks what an item needs.
  await Promise.allSettled([
    unwrap(client.api.auth.me.$get()),
    unwrap(client.api.projects.$get()),
    unwrap(project.$get({ param })),
    unwrap(project.codebook.$get({ param, query: {} })),
    unwrap(project.members.$get({ param })),
    unwrap(project.incidents.$get({ param })),
    unwrap(project.queue.$get({ param, query: {} })),
    unwrap(project.actors.$get({ param, query: {} })),
    unwrap(project['item-rows'].$get({ param, query: { assigned: 'me' } })),
  ]);

  const storeItem = async (entry: QueueEntry) => {
    const itemParam = { projectId, itemId: entry.id };
    await unwrap(project.items[':itemId'].$get({ param: itemParam }));
    await unwrap(project.assignments.$get({ param, query: { item: entry.id } }));
    const { attachments } = await unwrap(project.items[':itemId'].attachments.$get({ param: itemParam }));
    for (const a of attachments) {
      if (a.kind !== 'file' || !a.mediaType?.startsWith('image/')) continue;
      await project.items[':itemId'].attachments[':attachmentId'].$get({ param: { ...itemParam, attachmentId: a.id } }).then((res) => res.body?.cancel());
    }
    // Her values so far, so what she codes offline builds on them (a value set offline over an
    // unseen one could lose to it when both meet).
    if (entry.status === 'in_progress') await storeOwnDocument(codingDocName(entry.id, meId));
    stored.add(entry.id);
    input.onItem?.(entry.id);
  };

  const queue = itemsToStore(input.queue);
  let next = 0;
  const worker = async () => {
    while (next < queue.length && !signal?.aborted && navigator.onLine) {
      const entry = queue[next++]!;
      await storeItem(entry).catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_ITEMS }, worker));
  return stored;
}
