/**
 * An account's offline data on this device, deleted when she signs out (a shared computer in a
 * newsroom): the kept API answers (the service worker's data cache), her own coding documents
 * in IndexedDB and the list of those with changes to send. What is pending is sent first while
 * the connection allows (offline/sync.ts); what still is not sent stops the sign-out until she
 * chooses to discard it, so signing out never loses work silently.
 */
import { DATA_CACHE } from './policy.ts';
import { forgetPendingOf, isOwnCodingStore, pendingOf } from './pending.ts';

/** How long sign-out waits for one pending document to reach the server. */
const FLUSH_WAIT_MS = 10_000;

/** Sends `coderId`'s pending documents (while online) before her data goes. */
export async function flushPending(coderId: string): Promise<void> {
  if (!navigator.onLine) return;
  // Loaded here, not with this module: the sign-in pages use this module and need no live documents.
  const { syncPending } = await import('./sync.ts');
  await syncPending(coderId, FLUSH_WAIT_MS).catch(() => 0);
}

/** How many of `coderId`'s coding documents still hold changes the server has not got: sign-out would delete them. */
export const unsentCount = (coderId: string): number => pendingOf(localStorage, coderId).length;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    // Blocked: a document still open in this tab; the deletion completes when it closes.
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Deletes `coderId`'s offline data on this device: kept answers, her coding documents, her pending list. */
export async function clearOfflineData(coderId: string): Promise<void> {
  forgetPendingOf(localStorage, coderId);
  if (typeof caches !== 'undefined') await caches.delete(DATA_CACHE);
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  const databases = await indexedDB.databases();
  await Promise.all(databases.flatMap((db) => (db.name && isOwnCodingStore(db.name, coderId) ? [deleteDatabase(db.name)] : [])));
}

/**
 * Forgets the kept API answers when someone signs in: they were another session's (maybe another
 * account's, whose session ran out without a sign-out). Her own coding documents stay, named by
 * her account, until she signs out: they may hold work not sent yet.
 */
export async function forgetKeptAnswers(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(DATA_CACHE).catch(() => false);
}
