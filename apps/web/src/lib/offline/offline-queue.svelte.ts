/**
 * The queue page's offline state: which of the coder's items to code open without a connection,
 * and whether more are being stored. Online, the queue is stored (prepare.ts) and each item is
 * marked as it lands; offline, the page reads what this device kept.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { Queue } from '@concord/shared';
import { itemsToStore, offlineSupported, storedItems, storeQueue } from './prepare.ts';

export type OfflineStatus = 'unsupported' | 'checking' | 'storing' | 'ready' | 'offline';

export class OfflineQueue {
  /** Ids of the queue's items that open offline on this device. */
  readonly stored = new SvelteSet<string>();
  status = $state<OfflineStatus>('checking');
  /** How many items the queue has to code (what could be stored). */
  wanted = $state(0);

  /** Follows `queue` (the signed-in coder's own): stores it when online. Returns the way to stop. */
  track(input: { origin: string; projectId: string; meId: string; queue: Pick<Queue, 'entries'> }): () => void {
    const controller = new AbortController();
    const ids = itemsToStore(input.queue).map((e) => e.id);
    this.wanted = ids.length;
    if (!offlineSupported()) {
      this.status = 'unsupported';
      return () => controller.abort();
    }
    const refresh = async () => {
      const kept = await storedItems(input.origin, input.projectId, ids);
      if (controller.signal.aborted) return;
      this.stored.clear();
      for (const id of kept) this.stored.add(id);
    };
    const run = async () => {
      if (!navigator.onLine) {
        this.status = 'offline';
        await refresh();
        return;
      }
      this.status = 'storing';
      await refresh();
      await storeQueue({ ...input, signal: controller.signal, onItem: (id) => this.stored.add(id) });
      if (controller.signal.aborted) return;
      // What is kept now (an item whose storing failed is not counted).
      await refresh();
      this.status = navigator.onLine ? 'ready' : 'offline';
    };
    let running = false;
    const rerun = () => {
      if (running) return;
      running = true;
      void run()
        .catch(() => (this.status = navigator.onLine ? 'ready' : 'offline'))
        .finally(() => (running = false));
    };
    const wentOffline = () => (this.status = 'offline');
    rerun();
    window.addEventListener('online', rerun);
    window.addEventListener('offline', wentOffline);
    return () => {
      controller.abort();
      window.removeEventListener('online', rerun);
      window.removeEventListener('offline', wentOffline);
    };
  }
}
