/**
 * Which of this browser's own coding documents hold changes the server may not have yet
 * (made offline, or before the socket drained): the work to send when the connection is back,
 * even if the tab that made it was closed (offline/sync.ts opens them again). Kept in
 * localStorage beside the documents themselves (IndexedDB, one database per document name).
 */
import { parseDocName } from '@concord/shared';

export const PENDING_KEY = 'concord-offline-pending';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function read(store: Store): string[] {
  try {
    const list: unknown = JSON.parse(store.getItem(PENDING_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string' && parseDocName(name)?.kind === 'coding') : [];
  } catch {
    return [];
  }
}

function write(store: Store, names: string[]): void {
  if (names.length === 0) store.removeItem(PENDING_KEY);
  else store.setItem(PENDING_KEY, JSON.stringify(names));
}

/** `docName` has changes to send. */
export function markPending(store: Store, docName: string): void {
  const names = read(store);
  if (!names.includes(docName)) write(store, [...names, docName]);
}

/** `docName`'s changes reached the server (or will never be accepted). */
export function clearPending(store: Store, docName: string): void {
  const names = read(store);
  if (names.includes(docName)) write(store, names.filter((name) => name !== docName));
}

/** The coding documents of `coderId` with changes to send. */
export function pendingOf(store: Store, coderId: string): string[] {
  return read(store).filter((name) => {
    const doc = parseDocName(name);
    return doc?.kind === 'coding' && doc.coderId === coderId;
  });
}

/** Forgets every pending document of `coderId` (her offline data is being deleted). */
export function forgetPendingOf(store: Store, coderId: string): void {
  const mine = new Set(pendingOf(store, coderId));
  write(store, read(store).filter((name) => !mine.has(name)));
}

/** Whether an IndexedDB database (named by its document, y-indexeddb) is `coderId`'s own coding document. */
export function isOwnCodingStore(databaseName: string, coderId: string): boolean {
  const doc = parseDocName(databaseName);
  return doc?.kind === 'coding' && doc.coderId === coderId;
}

/** Whether `docName` has changes to send. */
export function isPending(store: Store, docName: string): boolean {
  return read(store).includes(docName);
}
