import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import type { Phase } from '@concord/shared';
import type { Actor } from '../services/context.ts';
import { filterAwarenessUpdate } from './awareness-filter.ts';
import type { Peer } from './peer.ts';
import { RoomPresence } from './room-presence.ts';

/**
 * Two processes' presence of one document, wired as the Redis fan-out wires them, except that
 * each publish is held until the test delivers it: the order in which a phase change and a
 * publish reach a process is the test's to choose, not the scheduler's.
 */
const speakerIdentity = { id: 'usr_speaker', name: 'Speaker', color: '#112233' };

function peer(userId: string): Peer & { received: Uint8Array[] } {
  const received: Uint8Array[] = [];
  return {
    actor: { userId } as Actor,
    access: {} as Peer['access'],
    clientIds: new Set<number>(),
    closed: false,
    received,
    send: (data) => received.push(data),
    sendFrames: (frames, from, to) => received.push(...frames.messages.slice(from, to)),
    close: () => undefined,
  };
}

function instance(phase: Phase, renewMs = 60_000) {
  const connections = new Set<Peer>();
  const outbox: Uint8Array[] = [];
  const presence = new RoomPresence(new Y.Doc(), { connections, publish: (u) => outbox.push(u) }, { phase, renewMs });
  return { presence, connections, outbox };
}

const all: RoomPresence[] = [];
afterEach(() => {
  for (const p of all.splice(0)) p.destroy();
  vi.useRealTimers();
});

/** The speaker's client sets a state on process `on`. */
function speak(on: ReturnType<typeof instance>, speaker: Peer, client: Awareness, state: Record<string, unknown>) {
  client.setLocalState(state);
  on.presence.receive(speaker, filterAwarenessUpdate(encodeAwarenessUpdate(client, [client.clientID]), speakerIdentity));
}

/** Delivers what `from` published so far to `to` (after the microtask that batches publishes). */
async function deliver(from: ReturnType<typeof instance>, to: ReturnType<typeof instance>) {
  await Promise.resolve();
  for (const u of from.outbox.splice(0)) to.presence.receiveRemote(u);
}

/** The state a listener connected to a process sees of a client, applied as y-websocket applies it. */
function seenBy(listener: Peer & { received: Uint8Array[] }, clientId: number) {
  const view = new Awareness(new Y.Doc());
  for (const message of listener.received) {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder); // message type (awareness)
    applyAwarenessUpdate(view, decoding.readVarUint8Array(decoder), 'server');
  }
  const state = view.getStates().get(clientId) ?? null;
  view.destroy();
  return state;
}

/** Two processes of one document: the speaker's client connected to B, a listener connected to A. */
function speakerOnBListenerOnA(phase: Phase, renewMs?: number) {
  const a = instance(phase, renewMs);
  const b = instance(phase, renewMs);
  all.push(a.presence, b.presence);
  const speaker = peer('usr_speaker');
  const listener = peer('usr_listener');
  b.connections.add(speaker);
  a.connections.add(listener);
  return { a, b, speaker, listener, client: new Awareness(new Y.Doc()) };
}

describe('presence across processes when the blind phase ends', () => {
  for (const order of ['the publisher learns it first', 'the receiver learns it first'] as const) {
    it(`shows the field again on the other process whichever learns of the phase first (${order})`, async () => {
      const { a, b, speaker, listener, client } = speakerOnBListenerOnA('independent');

      speak(b, speaker, client, { user: { name: 'x' }, focus: { fieldKey: 'frame' } });
      await deliver(b, a);
      expect(seenBy(listener, client.clientID)).toEqual({ user: speakerIdentity });

      speak(b, speaker, client, { user: { name: 'x' }, focus: { fieldKey: 'impact' } });
      await deliver(b, a);
      expect(b.outbox).toEqual([]);
      expect(seenBy(listener, client.clientID)).toEqual({ user: speakerIdentity });

      if (order === 'the publisher learns it first') {
        b.presence.setPhase('joint');
        await deliver(b, a);
        expect(seenBy(listener, client.clientID)).toEqual({ user: speakerIdentity });
        a.presence.setPhase('joint');
      } else {
        a.presence.setPhase('joint');
        b.presence.setPhase('joint');
        await deliver(b, a);
      }
      expect(seenBy(listener, client.clientID)).toEqual({ user: speakerIdentity, focus: { fieldKey: 'impact' } });
      client.destroy();
    });
  }

  it('relays the removal of a client that left the other process (it keeps the clock of the state it removes)', async () => {
    const { a, b, speaker, listener, client } = speakerOnBListenerOnA('joint');
    speak(b, speaker, client, { focus: { fieldKey: 'frame' } });
    await deliver(b, a);
    expect(seenBy(listener, client.clientID)).toEqual({ user: speakerIdentity, focus: { fieldKey: 'frame' } });
    b.presence.leave(speaker);
    await deliver(b, a);
    expect(seenBy(listener, client.clientID)).toBeNull();
    client.destroy();
  });

  it("keeps another process's clients while that process renews them, and drops them once it has been silent past the timeout", async () => {
    vi.useFakeTimers();
    const { a, b, speaker, listener, client } = speakerOnBListenerOnA('joint', 10_000);
    speak(b, speaker, client, { focus: { fieldKey: 'frame' } });
    await deliver(b, a);
    const shown = () => a.presence.awareness.getStates().get(client.clientID);
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      await deliver(b, a);
    }
    expect(shown()).toEqual({ user: speakerIdentity, focus: { fieldKey: 'frame' } });
    // B stops publishing (its process died): A drops the client within the timeout and a renewal.
    await vi.advanceTimersByTimeAsync(45_000);
    expect(shown()).toBeUndefined();
    expect(seenBy(listener, client.clientID)).toBeNull();
    client.destroy();
  });
});
