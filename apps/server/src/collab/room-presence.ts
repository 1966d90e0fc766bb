/**
 * The presence of one live document, as others see it. Clients send awareness states; what
 * is relayed is not those states but the server's view of them (`awareness` here):
 *
 * - the allow-listed state (awareness-filter.ts), and while the item is in the independent
 *   phase only the identity: no field, nothing a coder's keystrokes could move;
 * - with clocks of the server's own: a relay happens only when the visible state changes
 *   (arrival, departure, and outside the independent phase a new field), so toggling focus
 *   field → null → field while blind sends others nothing, and the clock cannot count toggles;
 * - kept alive by the server's renewal (every `renewMs`, on its own schedule), not by relaying
 *   the clients' own renewals, whose timing would follow the client's activity.
 *
 * A connection never receives its own clients' states from this view (its clocks are not the
 * client's): it gets an echo of what it sent, which y-websocket counts as a sign of life.
 * With several processes each publishes its own clients' visible states, and shows others'
 * filtered again by its own knowledge of the phase, with clocks of its own (never behind the
 * publisher's, so a client that moves to another process keeps a rising clock). What the
 * publisher sent is kept: a process that learns of the end of the blind phase after the
 * publisher (the phase change reaches processes in any order) shows the field again then.
 * Remote states are renewed here while their process keeps publishing, and dropped when it
 * stops (it died) for longer than y-protocols' timeout.
 */
import type * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, outdatedTimeout, removeAwarenessStates } from 'y-protocols/awareness';
import type { AwarenessState, Phase } from '@concord/shared';
import { blindAwarenessState, encodeAwarenessEntries, filterRemoteAwarenessUpdate, type AwarenessEntry } from './awareness-filter.ts';
import type { Peer } from './peer.ts';
import { encodeAwareness } from './protocol.ts';

/** The awareness origin of presence from other processes (not published again). */
const REMOTE_PRESENCE = Symbol('remote presence');
/** The awareness origin of the server's renewal of every state it shows, local and remote, in one update. */
const RENEWAL = Symbol('renewal');

export interface PresenceHost {
  readonly connections: ReadonlySet<Peer>;
  /** Sends a visible-state update to the other processes; null with one process (nothing is encoded then). */
  publish: ((update: Uint8Array) => void) | null;
}

const blindIn = (phase: Phase) => phase === 'independent';
const same = (a: AwarenessState | null | undefined, b: AwarenessState | null | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class RoomPresence {
  /** The visible states, with the server's clocks: what others receive. */
  readonly awareness: Awareness;
  /** What each local client last sent (allow-listed), with its own clock: its focus returns when presence stops being blind. */
  private readonly sent = new Map<number, { clock: number; state: AwarenessState }>();
  /** What other processes last published of their clients (filtered there), with their clock and when it arrived. */
  private readonly remote = new Map<number, { clock: number; state: AwarenessState; userId: string; at: number }>();
  private blind: boolean;
  /** Client ids changed since the last publish to the other processes. */
  private readonly unpublished = new Set<number>();
  private destroyed = false;
  private readonly renewal: NodeJS.Timeout;

  constructor(
    doc: Y.Doc,
    private readonly host: PresenceHost,
    options: { phase: Phase; renewMs: number },
  ) {
    this.blind = blindIn(options.phase);
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      this.relay(changed);
      if (origin === RENEWAL) {
        // Only this process's clients are published (as any local change); the others' own process renews them.
        const local = changed.filter((id) => this.owner(id) !== null);
        for (const id of local) this.remote.delete(id);
        if (this.host.publish && local.length) this.queuePublish(local);
        return;
      }
      if (origin === REMOTE_PRESENCE) {
        for (const id of removed) this.remote.delete(id);
        return;
      }
      for (const id of changed) this.remote.delete(id);
      if (this.host.publish) this.queuePublish(changed);
    });
    this.renewal = setInterval(() => this.renew(), options.renewMs);
    this.renewal.unref();
  }

  /**
   * The other processes get this process's changes once per turn of the microtask queue, all
   * in one message with their latest states (awareness states are last-writer-wins by clock).
   */
  private queuePublish(changed: number[]): void {
    const first = this.unpublished.size === 0;
    for (const id of changed) this.unpublished.add(id);
    if (!first) return;
    queueMicrotask(() => {
      const ids = [...this.unpublished];
      this.unpublished.clear();
      if (!this.destroyed) this.host.publish?.(encodeAwarenessUpdate(this.awareness, ids));
    });
  }

  /** Sends changed visible states to every connection but their owners. */
  private relay(changed: number[]): void {
    let forAll: Uint8Array | null = null;
    for (const c of this.host.connections) {
      const others = changed.filter((id) => !c.clientIds.has(id));
      if (!others.length) continue;
      if (others.length === changed.length) c.send((forAll ??= encodeAwareness(encodeAwarenessUpdate(this.awareness, changed))));
      else c.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, others)));
    }
  }

  /** The visible states a connection is told about on arrival (or when it asks): everyone else's. */
  statesFor(connection: Peer): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()].filter((id) => !connection.clientIds.has(id));
    return ids.length ? encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  private visible(state: AwarenessState): AwarenessState {
    return this.blind ? blindAwarenessState(state) : state;
  }

  private nextClock(clientId: number): number {
    return Math.max(this.awareness.meta.get(clientId)?.clock ?? 0, this.remote.get(clientId)?.clock ?? 0) + 1;
  }

  private shown(clientId: number): AwarenessState | undefined {
    return this.awareness.getStates().get(clientId) as AwarenessState | undefined;
  }

  /** Allow-listed entries from a local connection; only changes of what others see are relayed. */
  receive(connection: Peer, entries: AwarenessEntry[]): void {
    const echo: AwarenessEntry[] = [];
    const changed: AwarenessEntry[] = [];
    for (const e of entries) {
      if (!this.mayClaim(connection, e.clientId, e.clock)) continue;
      const last = this.sent.get(e.clientId);
      if (last && e.clock <= last.clock) continue;
      connection.clientIds.add(e.clientId);
      echo.push(e);
      const current = this.awareness.getStates().get(e.clientId);
      if (e.state === null) {
        this.sent.delete(e.clientId);
        if (current !== undefined) changed.push({ clientId: e.clientId, clock: this.nextClock(e.clientId), state: null });
        continue;
      }
      this.sent.set(e.clientId, { clock: e.clock, state: e.state });
      const visible = this.visible(e.state);
      if (!same(visible, current as AwarenessState | undefined)) changed.push({ clientId: e.clientId, clock: this.nextClock(e.clientId), state: visible });
    }
    if (echo.length) connection.send(encodeAwareness(encodeAwarenessEntries(echo)));
    if (changed.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(changed), connection);
  }

  /** Presence from another process (filtered there, filtered again here); only changes of what is shown are relayed. */
  receiveRemote(update: Uint8Array): void {
    const changed: AwarenessEntry[] = [];
    const at = Date.now();
    for (const e of filterRemoteAwarenessUpdate(update)) {
      if (this.owner(e.clientId)) continue;
      const last = this.remote.get(e.clientId);
      // A removal keeps the clock of the state it removes (y-protocols' removeAwarenessStates).
      if (last && (e.clock < last.clock || (e.clock === last.clock && e.state !== null))) continue;
      const current = this.shown(e.clientId);
      if (e.state === null) {
        this.remote.delete(e.clientId);
        if (current !== undefined) changed.push({ clientId: e.clientId, clock: this.nextClock(e.clientId), state: null });
        continue;
      }
      // Remote states always carry the identity (filterRemoteAwarenessUpdate drops the others).
      this.remote.set(e.clientId, { clock: e.clock, state: e.state, userId: e.state.user!.id, at });
      const visible = this.visible(e.state);
      if (!same(visible, current)) changed.push({ clientId: e.clientId, clock: this.nextClock(e.clientId), state: visible });
    }
    if (changed.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(changed), REMOTE_PRESENCE);
  }

  /** This process's clients' visible states, for a process that just opened the document. */
  localUpdate(): Uint8Array | null {
    const ids = this.localIds().filter((id) => this.awareness.getStates().has(id));
    return ids.length ? encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  /** The item's phase (changed or re-read): what others see of this process's clients follows it. */
  setPhase(phase: Phase): void {
    const blind = blindIn(phase);
    if (blind === this.blind) return;
    this.blind = blind;
    const reshown = (states: Iterable<[number, { state: AwarenessState }]>, include: (clientId: number) => boolean) => {
      const changed: AwarenessEntry[] = [];
      for (const [clientId, { state }] of states) {
        const visible = this.visible(state);
        if (include(clientId) && !same(visible, this.shown(clientId))) changed.push({ clientId, clock: this.nextClock(clientId), state: visible });
      }
      return changed;
    };
    const local = reshown(this.sent, (id) => this.owner(id) !== null);
    // Other processes' clients: their own process re-filters and publishes too; this covers the
    // order in which the phase change reached the two (their publish may have come first).
    const remote = reshown(this.remote, (id) => this.owner(id) === null && this.shown(id) !== undefined);
    if (local.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(local), null);
    if (remote.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(remote), REMOTE_PRESENCE);
  }

  /**
   * Keeps the states shown alive (y-protocols drops a state not renewed within 30 s): this
   * process's clients, and other processes' while their process keeps publishing (it renews
   * them too). Both in one update, so each connection gets one message per renewal whatever
   * the number of processes (with two, local and remote renewals went separately: twice the
   * relays), and only the local ones are published.
   */
  private renew(): void {
    const states = this.awareness.getStates();
    const renewal = (clientId: number) => ({ clientId, clock: this.nextClock(clientId), state: states.get(clientId) as AwarenessState });
    const renewed = this.localIds().filter((id) => states.has(id)).map(renewal);
    const now = Date.now();
    const gone: number[] = [];
    for (const [id, r] of this.remote) {
      if (!states.has(id) || this.owner(id)) continue;
      if (now - r.at < outdatedTimeout) renewed.push(renewal(id));
      else gone.push(id);
    }
    if (renewed.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(renewed), RENEWAL);
    if (gone.length) removeAwarenessStates(this.awareness, gone, REMOTE_PRESENCE);
  }

  owner(clientId: number): Peer | null {
    for (const c of this.host.connections) if (c.clientIds.has(clientId)) return c;
    return null;
  }

  private localIds(): number[] {
    return [...this.host.connections].flatMap((c) => [...c.clientIds]);
  }

  /**
   * Whether a connection may set a presence client id: one it announced, or a new one. An id
   * announced through another process stays there, except for a newer state from the same
   * user (a client that reconnected here from a process that died keeps its id). y-websocket
   * clients echo every state they learn; echoes carry no newer clock and are dropped.
   */
  private mayClaim(connection: Peer, clientId: number, clock: number): boolean {
    if (connection.clientIds.has(clientId)) return true;
    if (this.owner(clientId)) return false;
    const remote = this.remote.get(clientId);
    if (remote === undefined) return true;
    return remote.userId === connection.actor.userId && clock > remote.clock;
  }

  /** A connection left: its clients' presence goes, here and on the other processes. */
  leave(connection: Peer): void {
    for (const id of connection.clientIds) this.sent.delete(id);
    const shown = [...connection.clientIds].filter((id) => this.awareness.getStates().has(id));
    if (shown.length) removeAwarenessStates(this.awareness, shown, null);
  }

  /** Removes the presence of every connection here (shutdown: the other processes drop it too). */
  dropLocal(): void {
    const ids = this.localIds().filter((id) => this.awareness.getStates().has(id));
    if (ids.length) removeAwarenessStates(this.awareness, ids, null);
  }

  destroy(): void {
    this.destroyed = true;
    clearInterval(this.renewal);
    this.awareness.destroy();
  }
}
