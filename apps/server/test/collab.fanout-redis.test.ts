/**
 * The live-document fan-out on a real Redis (collab/fanout.ts): a process publishes on the
 * connection it subscribes with (one socket per process); it publishes a document's messages
 * to the inboxes of the processes that have the document open, so it never gets its own back,
 * and nothing at all while it is the only one.
 */
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { itemDocName } from '@concord/shared';
import { createRedisFanout, type DocChannel, type DocMessage, type Fanout } from '../src/collab/fanout.ts';
import { encodeUpdate } from '../src/collab/protocol.ts';
import { createLogger } from '../src/logger.ts';
import { uniqueRedisPrefix } from './collab-helpers.ts';
import { eventually, reachableRedis } from './testing.ts';

const redisUrl = await reachableRedis(process.env);

describe.skipIf(!redisUrl)('the fan-out on Redis', () => {
  const opened: Fanout[] = [];
  afterAll(() => Promise.all(opened.map((f) => f.close())));

  /** Two processes' fan-outs on one Redis, under a prefix of their own. */
  async function twoProcesses(label: string): Promise<{ prefix: string; a: Fanout; b: Fanout }> {
    const prefix = uniqueRedisPrefix(label);
    const logger = createLogger({ logLevel: 'silent' });
    const [a, b] = await Promise.all([0, 1].map(() => createRedisFanout({ url: redisUrl!, prefix, logger })));
    return { prefix, a: a!, b: b! };
  }

  it('publishes on the connection it subscribes with: one connection per process', async () => {
    const { a, b } = await twoProcesses('fanout');
    opened.push(a, b);
    const name = itemDocName('itm_aaaaaaaaaaaaaaaa');
    const onB: DocMessage[] = [];
    const channel = await a.openDoc(name, () => {});
    await b.openDoc(name, (message) => onB.push(message));
    channel.publish({ type: 'hello' });
    await eventually(() => expect(onB).toEqual([{ type: 'hello' }]));
    await a.ping(); // the publish is answered before the ping, on the same connection

    const admin = new Redis(redisUrl!);
    try {
      const list = String(await admin.call('CLIENT', 'LIST'));
      const ofA = list.split('\n').filter((line) => line.includes(`name=concord:collab`) && line.includes(a.instanceId));
      expect(ofA).toHaveLength(1);
      // Subscribed to the control channel and the document's two (membership, its inbox), and it ran the PUBLISH and the PING.
      expect(ofA[0]).toMatch(/ sub=3 /);
      expect(ofA[0]).toMatch(/ cmd=ping /);
      expect(ofA[0]).toMatch(/ resp=3$/);
    } finally {
      admin.disconnect();
    }
  });

  /** An update message of one small change (its bytes tell the messages apart). */
  function updateMessage(value: number): DocMessage {
    const doc = new Y.Doc();
    doc.getMap('m').set('v', value);
    const update = Y.encodeStateAsUpdate(doc);
    return { type: 'update', updates: [{ update, frame: encodeUpdate(update) }] };
  }

  /**
   * Every PUBLISH to the prefix's document channels, as Redis's MONITOR shows it (a watcher
   * that subscribed would count as a receiver itself). `type` is the message's first byte.
   */
  async function watch(prefix: string): Promise<{ seen: { channel: string; type: number }[]; settled(): Promise<void>; stop(): void }> {
    // A bare socket: ioredis's monitor mode misreads a line that comes with MONITOR's own answer.
    const { hostname, port } = new URL(redisUrl!);
    const monitor = connect(Number(port || 6379), hostname);
    const marker = new Redis(redisUrl!);
    const seen: { channel: string; type: number }[] = [];
    let marks = 0;
    let onMark: (() => void) | null = null;
    let started!: () => void;
    const monitoring = new Promise<void>((resolve) => (started = resolve));
    let rest = '';
    monitor.setEncoding('latin1');
    monitor.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\r\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (line === '+OK') started();
        // +<time> [<db> <addr>] "publish" "<channel>" "<data>"; MONITOR writes bytes outside printable ASCII as \xHH.
        const m = /^\+\S+ \[[^\]]*\] "publish" "([^"]*)" "(?:\\x([0-9a-f]{2}))?/i.exec(line);
        if (!m) continue;
        if (m[1] === `${prefix}:mark`) onMark?.();
        else if (m[1]!.startsWith(`${prefix}:yjs:`)) seen.push({ channel: m[1]!, type: parseInt(m[2] ?? 'ff', 16) });
      }
    });
    monitor.write('MONITOR\r\n');
    await monitoring;
    /** Resolves once MONITOR showed everything Redis ran before it was called (a marker PUBLISH after it). */
    const settled = async () => {
      const seenMark = new Promise<void>((resolve) => (onMark = resolve));
      await marker.publish(`${prefix}:mark`, String(marks++));
      await seenMark;
    };
    await settled();
    return {
      seen,
      settled,
      stop: () => {
        monitor.destroy();
        marker.disconnect();
      },
    };
  }

  it('sends a process nothing of its own: no message while it alone has the document, then only to the inbox of the one that has it too', async () => {
    const { prefix, a, b } = await twoProcesses('fanout-inbox');
    opened.push(a, b);
    const name = itemDocName('itm_bbbbbbbbbbbbbbbb');
    const watcher = await watch(prefix);
    try {
      const onA: DocMessage[] = [];
      const channelA = await a.openDoc(name, (m) => onA.push(m));
      // Alone: nothing goes to Redis (before, every batch went to the document's channel, and back to its publisher).
      channelA.publish(updateMessage(1));
      await a.ping();
      await watcher.settled();
      expect(watcher.seen.filter((m) => m.type === 0)).toEqual([]);

      const onB: DocMessage[] = [];
      const channelB = await b.openDoc(name, (m) => onB.push(m));
      // Once B's openDoc resolved, A knows it: the next batch reaches B, on B's inbox only.
      channelA.publish(updateMessage(2));
      await eventually(() => expect(onB.map((m) => m.type)).toEqual(['update']));
      await watcher.settled();
      const updates = watcher.seen.filter((m) => m.type === 0);
      expect(updates).toHaveLength(1);
      expect(updates[0]!.channel).toMatch(new RegExp(`^${prefix}:yjs:${name}@[0-9a-f]{16}$`));
      // And A got nothing back.
      channelB.publish(updateMessage(3));
      await eventually(() => expect(onA.map((m) => m.type)).toEqual(['update']));
      await a.ping();
      expect(onA).toHaveLength(1);

      // B closes the document: A publishes nothing any more.
      channelB.close();
      await b.ping();
      await a.ping();
      const before = watcher.seen.filter((m) => m.type === 0).length;
      channelA.publish(updateMessage(4));
      await a.ping();
      await watcher.settled();
      expect(watcher.seen.filter((m) => m.type === 0)).toHaveLength(before);
    } finally {
      watcher.stop();
    }
  });

  it('two processes opening a document at the same time both learn of each other; a stopped one is forgotten', async () => {
    const { prefix, a, b } = await twoProcesses('fanout-join');
    opened.push(a);
    const name = itemDocName('itm_cccccccccccccccc');
    const onA: DocMessage[] = [];
    const onB: DocMessage[] = [];
    const [channelA, channelB] = (await Promise.all([a.openDoc(name, (m) => onA.push(m)), b.openDoc(name, (m) => onB.push(m))])) as [DocChannel, DocChannel];
    channelA.publish({ type: 'hello' });
    channelB.publish({ type: 'hello' });
    await eventually(() => expect([onA, onB]).toEqual([[{ type: 'hello' }], [{ type: 'hello' }]]));

    // B stops without a word (no leave): A's next publish finds no subscriber on B's inbox and forgets B.
    const watcher = await watch(prefix);
    try {
      await b.close();
      // The first publish after the stop still goes to B's inbox (nobody there); the next ones do not.
      channelA.publish(updateMessage(5));
      await a.ping();
      await a.ping();
      channelA.publish(updateMessage(6));
      await a.ping();
      await watcher.settled();
      expect(watcher.seen.filter((m) => m.type === 0)).toHaveLength(1);
    } finally {
      watcher.stop();
    }
  });
});
