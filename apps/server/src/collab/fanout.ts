/**
 * Fan-out of live documents between server processes. Without REDIS_URL there is one
 * process and nothing to fan out (`createLocalFanout`). With it (`createRedisFanout`), every
 * loaded document has a Redis pub/sub channel `<prefix>:yjs:<docName>` carrying its persisted
 * updates and its (already filtered) presence, and one channel `<prefix>:yjs-control`
 * carries access re-checks to every process. Each process has an instance id; every message
 * carries its sender's (document messages as 8 bytes in a binary header, fanout-wire.ts), and
 * a process ignores its own.
 *
 * Redis pub/sub is at-most-once: after a reconnect (messages may have been lost) the
 * `onResync` handlers run, and rooms re-read their stored state from the database.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { noopMetrics, type Metrics } from '../metrics.ts';
import { loadRedis } from '../redis.ts';
import { decodeDocMessage, encodeDocMessage, isFrom, newSender, type DocMessage } from './fanout-wire.ts';

export type { DocMessage, UpdateFrame } from './fanout-wire.ts';

export type ControlMessage =
  | { type: 'itemAccessChanged'; itemId: string }
  | { type: 'memberAccessChanged'; projectId: string; userId: string }
  /** Sessions ended: their /yjs and /socket.io connections close (http/live-sessions.ts). */
  | { type: 'sessionsEnded'; sessionIds: string[] };

export interface DocChannel {
  /** Fire and forget: persistence never waits for Redis. */
  publish(message: DocMessage): void;
  /** Unsubscribes (idempotent). */
  close(): void;
}

export interface Fanout {
  readonly instanceId: string;
  /** True when other processes may serve the same documents (so the database, not memory, is the merged truth). */
  readonly shared: boolean;
  /** Subscribes to a document's channel; resolves once subscribed, so nothing published afterwards is missed. */
  openDoc(name: string, onMessage: (message: DocMessage) => void): Promise<DocChannel>;
  /** Runs the control handler of every other process; resolves once each acknowledged (or after CONTROL_ACK_TIMEOUT_MS). */
  broadcast(message: ControlMessage): Promise<void>;
  /** Adds a handler for control messages from other processes (the rooms registry, the live sessions); each ignores the types it does not handle. */
  onControl(handler: (message: ControlMessage) => Promise<void>): void;
  /** Called after the connection to Redis was lost and restored. */
  onResync(handler: () => void): void;
  /** Round-trips to Redis (readiness); resolves at once with one process. */
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

/** How long a control broadcast waits for the other processes' acknowledgements. */
export const CONTROL_ACK_TIMEOUT_MS = 5_000;
/** How long opening a document waits for the subscription before going on (a reconnect resyncs it). */
const SUBSCRIBE_TIMEOUT_MS = 5_000;
/** How long closing waits for Redis to confirm QUIT before dropping the connection. */
const QUIT_WAIT_MS = 2_000;

export const newInstanceId = (): string => `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

/** One process: no channels, no Redis. */
export function createLocalFanout(): Fanout {
  const channel: DocChannel = { publish() {}, close() {} };
  return {
    instanceId: newInstanceId(),
    shared: false,
    openDoc: () => Promise.resolve(channel),
    broadcast: () => Promise.resolve(),
    onControl() {},
    onResync() {},
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

type ControlEnvelope = { origin: string; id: string } & (ControlMessage | { type: 'ack'; to: string });

interface PendingAck {
  received: number;
  expected: number;
  resolve(): void;
}

/** Async only to import ioredis (redis.ts); everything after the import runs as one synchronous step. */
export async function createRedisFanout(options: { url: string; prefix: string; logger: Logger; metrics?: Metrics }): Promise<Fanout> {
  const { url, prefix, logger, metrics = noopMetrics } = options;
  const connectRedis = await loadRedis();
  const instanceId = newInstanceId();
  // The instance id as document messages carry it (fanout-wire.ts).
  const sender = newSender();
  const log = logger.child({ component: 'collab-fanout', instanceId });
  // One connection subscribes and publishes (RESP3 allows commands on a subscribed connection):
  // Redis answers a PUBLISH and delivers the publisher's own copy of the message on the same
  // socket, in one write, so the process reads both at once instead of waking for each on two
  // sockets. Named per instance (CLIENT LIST shows which process a connection belongs to).
  const redis: Redis = connectRedis(url, `collab:${instanceId}`, log);
  const controlChannel = `${prefix}:yjs-control`;
  const docChannel = (name: string) => `${prefix}:yjs:${name}`;
  const handlers = new Map<string, (message: DocMessage) => void>();
  const pendingAcks = new Map<string, PendingAck>();
  const controlHandlers: ((message: ControlMessage) => Promise<void>)[] = [];
  const resyncHandlers: (() => void)[] = [];
  let wasReady = false;
  let closed = false;
  let nextId = 0;

  const publish = (channel: string, data: Buffer | string) => {
    const startedAt = performance.now();
    redis.publish(channel, data).then(
      () => metrics.redisPublished(startedAt),
      (err: unknown) => {
        if (!closed) log.warn({ err, channel }, 'fan-out publish failed');
      },
    );
  };

  redis.on('ready', () => {
    // ioredis re-subscribes by itself; whatever was published meanwhile is gone.
    if (wasReady && !closed) {
      log.warn('redis reconnected: re-reading live documents from the database');
      for (const h of resyncHandlers) h();
    }
    wasReady = true;
  });

  async function onControlMessage(envelope: ControlEnvelope): Promise<void> {
    if (envelope.type === 'ack') {
      if (envelope.to !== instanceId) return;
      const pending = pendingAcks.get(envelope.id);
      if (!pending) return;
      pending.received++;
      if (pending.received >= pending.expected) pending.resolve();
      return;
    }
    try {
      const { origin: _o, id: _i, ...message } = envelope;
      await Promise.all(controlHandlers.map((handler) => handler(message)));
    } finally {
      publish(controlChannel, JSON.stringify({ type: 'ack', origin: instanceId, id: envelope.id, to: envelope.origin } satisfies ControlEnvelope));
    }
  }

  redis.on('messageBuffer', (channelBuffer: Buffer, data: Buffer) => {
    // Every subscriber gets what it published itself: dropped on the header, before anything is decoded.
    if (isFrom(data, sender)) return;
    const channel = channelBuffer.toString();
    try {
      if (channel === controlChannel) {
        const envelope = JSON.parse(data.toString()) as ControlEnvelope;
        if (envelope.origin !== instanceId) void onControlMessage(envelope).catch((err: unknown) => log.error({ err }, 'control message failed'));
        return;
      }
      handlers.get(channel)?.(decodeDocMessage(data));
    } catch (err) {
      log.error({ err, channel }, 'malformed fan-out message dropped');
    }
  });

  const subscribed = withTimeout(redis.subscribe(controlChannel), log, controlChannel);

  return {
    instanceId,
    shared: true,

    async openDoc(name, onMessage) {
      const channel = docChannel(name);
      handlers.set(channel, onMessage);
      await withTimeout(redis.subscribe(channel), log, channel);
      let open = true;
      return {
        publish(message) {
          if (open) publish(channel, encodeDocMessage(sender, message));
        },
        close() {
          if (!open) return;
          open = false;
          // A newer room of the same document may already listen here: leave it alone.
          if (handlers.get(channel) !== onMessage) return;
          handlers.delete(channel);
          if (!closed) redis.unsubscribe(channel).catch((err: unknown) => log.debug({ err, channel }, 'unsubscribe failed'));
        },
      };
    },

    async broadcast(message) {
      await subscribed;
      const id = `${instanceId}#${nextId++}`;
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      const pending: PendingAck = { received: 0, expected: Infinity, resolve };
      pendingAcks.set(id, pending);
      const timer = setTimeout(() => {
        log.warn({ message, acknowledged: pending.received, expected: pending.expected }, 'not every process acknowledged a live-document access change in time');
        resolve();
      }, CONTROL_ACK_TIMEOUT_MS);
      timer.unref();
      // Not awaited by itself: while Redis is down the command waits in ioredis's queue, and the timeout still ends the wait.
      redis.publish(controlChannel, JSON.stringify({ ...message, origin: instanceId, id } satisfies ControlEnvelope)).then(
        (receivers) => {
          // Every subscriber received it, this process included.
          pending.expected = receivers - 1;
          if (pending.received >= pending.expected) resolve();
        },
        (err: unknown) => {
          log.error({ err, message }, 'live-document access change could not be sent to the other processes');
          resolve();
        },
      );
      try {
        await done;
      } finally {
        clearTimeout(timer);
        pendingAcks.delete(id);
      }
    },

    onControl(handler) {
      controlHandlers.push(handler);
    },

    onResync(handler) {
      resyncHandlers.push(handler);
    },

    ping: () => redis.ping(),

    async close() {
      if (closed) return;
      closed = true;
      for (const p of pendingAcks.values()) p.resolve();
      // QUIT goes after every queued publish (presence removals of this process's clients);
      // with Redis unreachable it would wait in the offline queue for ever, so not past QUIT_WAIT_MS.
      await quitWithin(redis);
    },
  };
}

async function quitWithin(redis: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_WAIT_MS)));
  await Promise.race([redis.quit().catch(() => undefined), waited]);
  clearTimeout(timer);
  redis.disconnect();
}

async function withTimeout(subscription: Promise<unknown>, log: Logger, channel: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), SUBSCRIBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const result = await Promise.race([subscription, timeout]);
    // ioredis keeps the subscription queued; when Redis is back, the resync repairs what was missed.
    if (result === 'timeout') log.warn({ channel }, 'redis subscription not confirmed in time; going on');
  } catch (err) {
    log.warn({ err, channel }, 'redis subscription failed; going on');
  } finally {
    clearTimeout(timer);
  }
}
