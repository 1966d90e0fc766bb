/**
 * Client updates of an item document that build on content the server does not have yet,
 * held per connection until it arrives (item-integrity.ts says why they are not applied at
 * once). A connection's later updates join its held one, so its changes keep their order.
 * Held bytes are bounded per connection; a connection that leaves drops its held updates
 * (its client still has them and sends them again in its next sync).
 */
import * as Y from 'yjs';

/** Whether applying `update` to a document with state vector `state` would leave Yjs waiting for missing content. */
export function buildsOnMissing(update: Uint8Array, state: Map<number, number>): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  // What the document would hold per client after the update: its clocks must follow on.
  const end = new Map(state);
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const have = end.get(client) ?? 0;
    if (clock > have) return true;
    end.set(client, Math.max(have, clock + struct.length));
  }
  const present = (id: { client: number; clock: number }) => id.clock < (end.get(id.client) ?? 0);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.origin && !present(struct.origin)) return true;
    if (struct.rightOrigin && !present(struct.rightOrigin)) return true;
    // A decoded struct's parent is a root's name, or the id of the item holding a nested type.
    const parent: unknown = struct.parent;
    if (typeof parent === 'object' && parent !== null && 'client' in parent && !present(parent as { client: number; clock: number })) return true;
  }
  for (const [client, deletions] of ds.clients) {
    for (const { clock, len } of deletions) if (clock + len > (end.get(client) ?? 0)) return true;
  }
  return false;
}

export class WaitingUpdates<K> {
  private readonly held = new Map<K, Uint8Array>();

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.held.size;
  }

  /** The update to try for `key`: its held update (if any) followed by this one, merged. */
  withHeld(key: K, update: Uint8Array): Uint8Array {
    const held = this.held.get(key);
    if (!held) return update;
    this.held.delete(key);
    return Y.mergeUpdates([held, update]);
  }

  /** Holds `update` for `key`; false (nothing held) when it would pass the bound. */
  hold(key: K, update: Uint8Array): boolean {
    if (update.byteLength > this.maxBytes) return false;
    this.held.set(key, update);
    return true;
  }

  /** Takes the held updates whose missing content the document (state vector `state`) has now. */
  takeReady(state: Map<number, number>): [K, Uint8Array][] {
    const ready = [...this.held].filter(([, update]) => !buildsOnMissing(update, state));
    for (const [key] of ready) this.held.delete(key);
    return ready;
  }

  drop(key: K): void {
    this.held.delete(key);
  }
}
