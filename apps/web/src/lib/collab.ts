/**
 * Live documents in the browser: a Y.Doc synced over y-websocket at `/yjs/<docName>`
 * (the session cookie authenticates), optionally kept in IndexedDB for offline work.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type * as YIndexeddb from 'y-indexeddb';
import { COLLAB_CLOSE_CODES, COLLAB_PATH_PREFIX } from '@concord/shared';
import { clearPending, isPending, markPending } from './offline/pending.ts';

export type SyncState = 'connecting' | 'saved' | 'syncing' | 'offline' | 'closed';
/** What the coding view's status says in each state. */
export const SYNC_STATE_TEXT: Record<SyncState, string> = {
  connecting: 'Connecting…',
  saved: 'Saved',
  syncing: 'Syncing…',
  offline: 'Offline — changes kept on this device',
  closed: 'Read-only',
};

export interface LiveDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Why the server closed the connection for good (4xxx), if it did. */
  refusal: { code: number; reason: string } | null;
  /** The current sync state. */
  readonly state: SyncState;
  /**
   * Hands the state and a refusal to `handlers` from now on (replacing the previous ones),
   * starting with the current state: a document kept open across items (doc-pool.ts) is
   * shown by one view after another. Returns the way to stop.
   */
  watch(handlers: LiveDocHandlers): () => void;
  destroy(): void;
}

export interface LiveDocHandlers {
  onState?: (state: SyncState) => void;
  onRefused?: (refusal: { code: number; reason: string }) => void;
}

export interface LiveDocOptions extends LiveDocHandlers {
  /** Keep the document in IndexedDB (own coding documents only); it survives a closed tab and syncs when opened again. */
  persist?: boolean;
}

/** How long a persisted document waits for IndexedDB before its sync state counts without it (a browser that refuses storage). */
const STORE_WAIT_MS = 3000;

/** Persisted documents open in this tab, by name (offline/sync.ts leaves those to their view). */
const openPersisted = new Map<string, number>();
export const isOpenHere = (docName: string) => (openPersisted.get(docName) ?? 0) > 0;

export function collabUrl(location: Location | URL): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${COLLAB_PATH_PREFIX.replace(/\/$/, '')}`;
}

const PERMANENT = new Set<number>(Object.values(COLLAB_CLOSE_CODES).filter((c) => c !== COLLAB_CLOSE_CODES.INTERNAL));

/**
 * y-indexeddb, loaded with the first persisted document rather than with the page (it was part of
 * every signed-in page's first JavaScript; `bench/web-initial-js.ts`).
 */
let indexeddb: Promise<typeof YIndexeddb> | null = null;
const loadIndexeddb = () =>
  (indexeddb ??= import('y-indexeddb').catch((error: unknown) => {
    indexeddb = null; // tried again by the next document
    throw error;
  }));

export function openLiveDoc(docName: string, options: LiveDocOptions = {}): LiveDoc {
  const doc = new Y.Doc();
  // Made once y-indexeddb has loaded: its first step stores the whole document as it is then, so
  // nothing that reached the document meanwhile (from the socket or the coder) is left out.
  let persistence: YIndexeddb.IndexeddbPersistence | null = null;
  // The socket opens at once, with the view's other documents (as before offline support): what
  // this device kept reaches the server whenever it loads, in the first sync if IndexedDB is
  // quicker than the socket, else as an update right after (y-websocket sends every change not
  // from the server; the server takes a change it already has as a no-op, also read-only).
  // Waiting for IndexedDB before connecting put this socket out of step with the item's.
  // What changes is the sync state: not "Saved" (nor a pending mark cleared) before the stored copy is loaded.
  const provider = new WebsocketProvider(collabUrl(window.location), docName, doc, { disableBc: true });
  const persist = options.persist === true;
  let loaded = !persist;
  if (persist) {
    openPersisted.set(docName, (openPersisted.get(docName) ?? 0) + 1);
    let waited: ReturnType<typeof setTimeout> | undefined;
    // Not loaded (offline without the cached build): counts as a browser that refuses storage.
    const stored = loadIndexeddb()
      .then(({ IndexeddbPersistence }) => {
        if (destroyed) return;
        persistence = new IndexeddbPersistence(docName, doc);
        return persistence.whenSynced;
      })
      .catch(() => undefined);
    void Promise.race([stored, new Promise((resolve) => (waited = setTimeout(resolve, STORE_WAIT_MS)))]).then(() => {
      clearTimeout(waited);
      if (destroyed) return;
      loaded = true;
      update();
    });
  }
  let handlers: LiveDocHandlers = { onState: options.onState, onRefused: options.onRefused };
  const live: LiveDoc = {
    doc,
    provider,
    refusal: null,
    get state() {
      return last ?? compute();
    },
    watch(next) {
      handlers = next;
      next.onState?.(live.state);
      if (live.refusal) next.onRefused?.(live.refusal);
      return () => {
        if (handlers === next) handlers = {};
      };
    },
    destroy,
  };

  // Local changes not yet handed to the socket: "Syncing…" until the send buffer drains.
  // A document with changes kept from an earlier visit counts as having some.
  let pending = persist && isPending(localStorage, docName);
  let destroyed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: SyncState | null = null;

  const compute = (): SyncState => {
    if (live.refusal) return 'closed';
    if (!navigator.onLine) return 'offline';
    if (!loaded) return 'connecting';
    if (!provider.wsconnected) return provider.wsconnecting && last !== 'offline' && last !== 'saved' && last !== 'syncing' ? 'connecting' : 'offline';
    if (!provider.synced) return 'syncing';
    if (pending) return (provider.ws?.bufferedAmount ?? 0) > 0 ? 'syncing' : 'saved';
    return 'saved';
  };
  const update = () => {
    const next = compute();
    if (next === 'saved') {
      pending = false;
      // Everything this device kept has left it on a synced connection.
      if (persist && loaded) clearPending(localStorage, docName);
    }
    if (next !== last) {
      last = next;
      handlers.onState?.(next);
    }
    // Watch the send buffer drain while there is unsent work.
    clearTimeout(timer);
    if (pending && next === 'syncing') timer = setTimeout(update, 100);
  };

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider || origin === persistence) return;
    pending = true;
    if (persist) markPending(localStorage, docName);
    update();
  };
  doc.on('update', onUpdate);
  provider.on('status', update);
  provider.on('sync', update);
  provider.on('connection-close', (event) => {
    if (event && PERMANENT.has(event.code)) {
      live.refusal = { code: event.code, reason: event.reason };
      handlers.onRefused?.(live.refusal);
    }
    update();
  });
  // The browser knows before the socket times out (y-websocket waits 30 s for silence):
  // go offline at once, and reconnect as soon as the network is back.
  const onOffline = () => {
    provider.disconnect();
    update();
  };
  const onOnline = () => {
    if (!live.refusal) provider.connect();
    update();
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  update();

  function destroy() {
    if (destroyed) return;
    destroyed = true;
    if (persist) openPersisted.set(docName, (openPersisted.get(docName) ?? 1) - 1);
    clearTimeout(timer);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    doc.off('update', onUpdate);
    provider.destroy();
    void persistence?.destroy();
    doc.destroy();
  }
  return live;
}
