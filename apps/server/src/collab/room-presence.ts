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
 * With several processes each publishes its own clients' visible states, and applies others'
 * with their clocks, filtered again by its own knowledge of the phase.
 */
import type * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { AwarenessState, Phase } from '@concord/shared';
import { blindAwarenessState, encodeAwarenessEntries, filterRemoteAwarenessUpdate, type AwarenessEntry } from './awareness-filter.ts';
import type { Peer } from './peer.ts';
import { encodeAwareness } from './protocol.ts';

/** The awareness origin of presence from other processes (not published again). */
const REMOTE_PRESENCE = Symbol('remote presence');

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
  /** Presence client ids announced through other processes, with their user ids. */
  private readonly remoteClients = new Map<number, string>();
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
      if (origin === REMOTE_PRESENCE) {
        for (const id of removed) this.remoteClients.delete(id);
        return;
      }
      for (const id of changed) this.remoteClients.delete(id);
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
    return (this.awareness.meta.get(clientId)?.clock ?? 0) + 1;
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

  /** Presence from another process (filtered there, filtered again here). */
  receiveRemote(update: Uint8Array): void {
    const entries = filterRemoteAwarenessUpdate(update).filter((e) => !this.owner(e.clientId));
    for (const e of entries) if (e.state?.user) this.remoteClients.set(e.clientId, e.state.user.id);
    const accepted = entries.map((e) => (e.state ? { ...e, state: this.visible(e.state) } : e));
    if (accepted.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), REMOTE_PRESENCE);
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
    const changed: AwarenessEntry[] = [];
    for (const [clientId, { state }] of this.sent) {
      const visible = this.visible(state);
      if (this.owner(clientId) && !same(visible, this.awareness.getStates().get(clientId) as AwarenessState | undefined)) {
        changed.push({ clientId, clock: this.nextClock(clientId), state: visible });
      }
    }
    if (changed.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(changed), null);
  }

  /** Keeps this process's clients alive for the others (y-protocols drops a state not renewed within 30 s). */
  private renew(): void {
    const states = this.awareness.getStates();
    const renewed = this.localIds()
      .filter((id) => states.has(id))
      .map((clientId) => ({ clientId, clock: this.nextClock(clientId), state: states.get(clientId) as AwarenessState }));
    if (renewed.length) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(renewed), null);
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
    const remoteUser = this.remoteClients.get(clientId);
    if (remoteUser === undefined) return true;
    return remoteUser === connection.actor.userId && clock > (this.awareness.meta.get(clientId)?.clock ?? -1);
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
