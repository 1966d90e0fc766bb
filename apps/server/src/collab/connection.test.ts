/**
 * A connection's two ways out on a real socket: messages through ws.send and relayed frames
 * built once for every receiver (ws-frame.ts), written past ws when no extension was
 * negotiated. The client must get every message whole and in the order they were sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_COLLAB_LIMITS } from '../config.ts';
import { createLogger } from '../logger.ts';
import { Connection } from './connection.ts';
import type { PeerRoom } from './peer.ts';
import { Frames } from './ws-frame.ts';

const open: { server: Server; client: WebSocket }[] = [];
afterEach(async () => {
  for (const { server, client } of open.splice(0)) {
    client.terminate();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server-side ws and the socket it was upgraded on, and a client that records what it gets. */
async function pair(deflate: boolean) {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: deflate });
  const server = createServer();
  const accepted = new Promise<{ ws: WebSocket; socket: Duplex }>((resolve) =>
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, socket }))),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, { perMessageDeflate: deflate });
  open.push({ server, client });
  const received: Buffer[] = [];
  client.on('message', (data: Buffer) => received.push(data));
  const { ws, socket } = await accepted;
  const connection = new Connection(ws, socket, { userId: 'usr_a', isAdmin: false }, { content: true } as Connection['access'], {} as PeerRoom, DEFAULT_COLLAB_LIMITS, createLogger({ logLevel: 'silent' }));
  return { ws, socket, connection, received };
}

const message = (n: number, length: number) => new Uint8Array(length).fill(n);

describe('a connection sending to its client', () => {
  for (const deflate of [false, true]) {
    it(`keeps the order of ws.send and relayed frames, every message whole (${deflate ? 'permessage-deflate: through ws' : 'no extension: past ws'})`, async () => {
      const { ws, connection, received } = await pair(deflate);
      expect(ws.extensions).toBe(deflate ? 'permessage-deflate' : '');
      const send = vi.spyOn(ws, 'send');
      // Sync replies, presence (ws.send) and relays (frames) interleaved, at several header forms.
      const frames = Frames.ofMessages([message(2, 10), message(3, 300), message(4, 70_000)]);
      const expected: Uint8Array[] = [];
      connection.send(message(1, 200));
      expected.push(message(1, 200));
      connection.sendFrames(frames, 0, 3);
      expected.push(...frames.messages);
      connection.sendFrames(frames, 1, 2);
      expected.push(frames.messages[1]!);
      connection.send(message(5, 5));
      expected.push(message(5, 5));
      connection.sendFrames(Frames.ofUpdates([message(6, 126)]), 0, 1);
      expected.push(Frames.ofUpdates([message(6, 126)]).messages[0]!);
      await vi.waitFor(() => expect(received.length).toBe(expected.length));
      received.forEach((got, i) => expect(got.equals(Buffer.from(expected[i]!)), `message ${i}`).toBe(true));
      // Past ws only without an extension: then ws.send carried just the two messages sent through it.
      expect(send).toHaveBeenCalledTimes(deflate ? 2 + 3 + 1 + 1 : 2);
    });
  }

  it('writes nothing once closing', async () => {
    const { ws, socket, connection, received } = await pair(false);
    connection.sendFrames(Frames.ofMessages([message(1, 3)]), 0, 1);
    await vi.waitFor(() => expect(received.length).toBe(1));
    connection.close('INTERNAL', 'test');
    // After ws's close frame, nothing: neither through ws nor past it.
    const [send, write] = [vi.spyOn(ws, 'send'), vi.spyOn(socket, 'write')];
    connection.sendFrames(Frames.ofMessages([message(2, 3)]), 0, 1);
    connection.send(message(3, 3));
    expect(send).not.toHaveBeenCalled();
    expect(write).not.toHaveBeenCalled();
    await new Promise((resolve) => ws.once('close', resolve));
    expect(received.length).toBe(1);
  });
});
