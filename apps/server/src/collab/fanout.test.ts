import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { filterRemoteAwarenessUpdate } from './awareness-filter.ts';
import { createLocalFanout, decodeDocMessage, encodeDocMessage } from './fanout.ts';

function awarenessUpdate(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

describe('fan-out messages', () => {
  it('carry their sender and type, and round-trip their payload', () => {
    const update = new Uint8Array([1, 2, 3, 250]);
    expect(decodeDocMessage(encodeDocMessage('host:1:abc', { type: 'update', update }))).toEqual({ origin: 'host:1:abc', message: { type: 'update', update } });
    expect(decodeDocMessage(encodeDocMessage('host:2:def', { type: 'awareness', update }))).toEqual({ origin: 'host:2:def', message: { type: 'awareness', update } });
    expect(decodeDocMessage(encodeDocMessage('x', { type: 'hello' }))).toEqual({ origin: 'x', message: { type: 'hello' } });
  });

  it('without Redis: one process, nothing shared, nothing sent', async () => {
    const local = createLocalFanout();
    expect(local.shared).toBe(false);
    const received: unknown[] = [];
    const channel = await local.openDoc('item:x', (m) => received.push(m));
    channel.publish({ type: 'hello' });
    await local.broadcast({ type: 'itemAccessChanged', itemId: 'x' });
    expect(received).toEqual([]);
    expect(createLocalFanout().instanceId).not.toBe(local.instanceId);
  });
});

describe('presence from another process', () => {
  it('is rewritten to the allow-list again (values and unknown keys dropped), keeps removals, and drops states without a user id', () => {
    const entries = filterRemoteAwarenessUpdate(
      awarenessUpdate([
        { clientId: 1, clock: 3, state: { user: { id: 'usr_a', name: 'A', color: '#112233' }, focus: { fieldKey: 'frame' }, values: { frame: 'security' } } },
        { clientId: 2, clock: 4, state: null },
        { clientId: 3, clock: 1, state: { values: { frame: 'leader' } } },
      ]),
    );
    expect(entries).toEqual([
      { clientId: 1, clock: 3, state: { user: { id: 'usr_a', name: 'A', color: '#112233' }, focus: { fieldKey: 'frame' } } },
      { clientId: 2, clock: 4, state: null },
    ]);
  });
});
