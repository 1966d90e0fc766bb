/**
 * The live-document fan-out on a real Redis (collab/fanout.ts): a process publishes on the
 * connection it subscribes with, so Redis's answer to a PUBLISH and the publisher's own copy of
 * the message (every subscriber gets it, the publisher too) reach it on one socket, read at
 * once, instead of on two sockets, each a wake-up and a read of its own.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { itemDocName } from '@concord/shared';
import { createRedisFanout, type DocMessage, type Fanout } from '../src/collab/fanout.ts';
import { createLogger } from '../src/logger.ts';
import { uniqueRedisPrefix } from './collab-helpers.ts';
import { eventually, reachableRedis } from './testing.ts';

const redisUrl = await reachableRedis(process.env);

describe.skipIf(!redisUrl)('the fan-out on Redis', () => {
  const opened: Fanout[] = [];
  afterAll(() => Promise.all(opened.map((f) => f.close())));

  it('publishes on the connection it subscribes with: one connection per process', async () => {
    const prefix = uniqueRedisPrefix('fanout');
    const logger = createLogger({ logLevel: 'silent' });
    const [a, b] = await Promise.all([0, 1].map(() => createRedisFanout({ url: redisUrl!, prefix, logger })));
    opened.push(a!, b!);
    const name = itemDocName('itm_aaaaaaaaaaaaaaaa');
    const onB: DocMessage[] = [];
    const channel = await a!.openDoc(name, () => {});
    await b!.openDoc(name, (message) => onB.push(message));
    channel.publish({ type: 'hello' });
    await eventually(() => expect(onB).toEqual([{ type: 'hello' }]));
    await a!.ping(); // the publish is answered before the ping, on the same connection

    const admin = new Redis(redisUrl!);
    try {
      const list = String(await admin.call('CLIENT', 'LIST'));
      const ofA = list.split('\n').filter((line) => line.includes(`name=concord:collab`) && line.includes(a!.instanceId));
      expect(ofA).toHaveLength(1);
      // Subscribed to the control channel and the document's, and it ran the PUBLISH and the PING.
      expect(ofA[0]).toMatch(/ sub=2 /);
      expect(ofA[0]).toMatch(/ cmd=ping /);
      expect(ofA[0]).toMatch(/ resp=3$/);
    } finally {
      admin.disconnect();
    }
  });
});
