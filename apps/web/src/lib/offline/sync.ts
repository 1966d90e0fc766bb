/**
 * Sends what was coded offline once the connection is back, also when the tab that coded it
 * was closed: every own coding document with changes pending (offline/pending.ts) that no view
 * of this tab has open is opened from IndexedDB, synced over /yjs, and closed. A document that
 * does not get through (refused, or no connection yet) stays pending for the next try.
 */
import { isOpenHere, openLiveDoc, type LiveDoc } from '../collab.ts';
import { isPending, pendingOf } from './pending.ts';

/** How long one document may take to sync before it is left for the next try. */
const SYNC_WAIT_MS = 20_000;

/** Resolves once `live` has sent everything (its pending mark is gone) or will not (refused, or `waitMs` passed). */
function settled(live: LiveDoc, docName: string, waitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let stop = () => {};
    const timer = setTimeout(() => finish(false), waitMs);
    function finish(sent: boolean) {
      clearTimeout(timer);
      stop();
      resolve(sent);
    }
    stop = live.watch({
      onState: (state) => {
        if (state === 'saved' && !isPending(localStorage, docName)) finish(true);
        if (state === 'closed') finish(false);
      },
      onRefused: () => finish(false),
    });
  });
}

let running: Promise<number> | null = null;

/** Syncs `coderId`'s pending documents one after the other; resolves with how many got through. Runs once at a time. */
export function syncPending(coderId: string, waitMs = SYNC_WAIT_MS): Promise<number> {
  running ??= (async () => {
    let sent = 0;
    try {
      for (const docName of pendingOf(localStorage, coderId)) {
        if (!navigator.onLine) break;
        if (isOpenHere(docName)) continue;
        const live = openLiveDoc(docName, { persist: true });
        try {
          if (await settled(live, docName, waitMs)) sent++;
        } finally {
          live.destroy();
        }
      }
    } finally {
      running = null;
    }
    return sent;
  })();
  return running;
}

/** Syncs `coderId`'s pending documents now and whenever the browser is back online; returns the way to stop. */
export function syncWhenOnline(coderId: string): () => void {
  const run = () => void syncPending(coderId).catch(() => {});
  if (navigator.onLine) run();
  window.addEventListener('online', run);
  return () => window.removeEventListener('online', run);
}
