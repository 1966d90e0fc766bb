/**
 * Fan-out of live documents between server processes. Without REDIS_URL there is one
 * process and nothing to fan out (`createLocalFanout`). With it (`createRedisFanout`), every
 * loaded document has, in each process that has it open, an inbox channel
 * `<prefix>:yjs:<docName>@<sender>` carrying the other processes' persisted updates and
 * their (already filtered) presence, and one membership channel `<prefix>:yjs:<docName>` on
 * which a process says it opened (`join`) or closed (`leave`) the document. A process
 * publishes to the inboxes of the processes it knows to have the document open, so it never
 * receives what it publishes itself, and publishes nothing while no other process has it.
 * One channel `<prefix>:yjs-control` carries access re-checks to every process.
 *
 * Opening a document: subscribe to both channels, publish `join` (the answer of PUBLISH
 * counts the subscribers), and wait for every other subscriber's `here` before the room
 * reads the database. A process that gets a `join` adds the joiner to the document's peers
 * before answering, so whatever it commits once the joiner reads the database goes to the
 * joiner's inbox, and whatever it committed before is in what the joiner reads.
 *
 * Redis pub/sub is at-most-once: after a reconnect (messages may have been lost) the process
 * joins every open document again, then the `onResync` handlers run, and rooms re-read their
 * stored state from the database.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { noopMetrics, type Metrics } from '../metrics.ts';
import { loadRedis } from '../redis.ts';
import { decodeDocMessage, encodeDocMessage, isFrom, newSender, senderOf, type DocMessage } from './fanout-wire.ts';

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

/** A document this process has open. */
interface OpenDoc {
  onMessage: (message: DocMessage) => void;
  /** The other processes that have it open (sender ids, hex): the inboxes its messages go to. */
  peers: Set<string>;
  /** Joins waiting for their answers, by join id (hex). */
  joins: Map<string, PendingAck>;
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
  const membersChannel = (name: string) => `${prefix}:yjs:${name}`;
  const inboxChannel = (name: string, senderHex: string) => `${prefix}:yjs:${name}@${senderHex}`;
  const ownHex = sender.toString('hex');
  const docs = new Map<string, OpenDoc>();
  /** Channel → the document it belongs to (membership and this process's inbox). */
  const routes = new Map<string, { name: string; doc: OpenDoc }>();
  const pendingAcks = new Map<string, PendingAck>();
  const controlHandlers: ((message: ControlMessage) => Promise<void>)[] = [];
  const resyncHandlers: (() => void)[] = [];
  let wasReady = false;
  let closed = false;
  let nextId = 0;

  /** Resolves with the number of receivers (0 when it failed). */
  const publish = (channel: string, data: Buffer | string): Promise<number> => {
    const startedAt = performance.now();
    return redis.publish(channel, data).then(
      (receivers) => {
        metrics.redisPublished(startedAt);
        return receivers;
      },
      (err: unknown) => {
        if (!closed) log.warn({ err, channel }, 'fan-out publish failed');
        return 0;
      },
    );
  };

  /** To another process's inbox of a document; a process no longer subscribed there (stopped, or closed it) is forgotten. */
  const publishTo = (name: string, doc: OpenDoc, peer: string, data: Buffer) => {
    void publish(inboxChannel(name, peer), data).then((receivers) => {
      if (receivers === 0 && !closed) doc.peers.delete(peer);
    });
  };

  /** Says this process opened the document; resolves once every other subscriber answered (or after SUBSCRIBE_TIMEOUT_MS). */
  async function join(name: string, doc: OpenDoc): Promise<void> {
    const id = newSender();
    const key = id.toString('hex');
    let resolve!: () => void;
    const answered = new Promise<void>((r) => (resolve = r));
    const pending: PendingAck = { received: 0, expected: Infinity, resolve };
    doc.joins.set(key, pending);
    redis.publish(membersChannel(name), encodeDocMessage(sender, { type: 'join', id })).then(
      (receivers) => {
        // Every subscriber received it, this process included.
        pending.expected = receivers - 1;
        if (pending.received >= pending.expected) resolve();
      },
      (err: unknown) => {
        log.warn({ err, doc: name }, 'join could not be published');
        resolve();
      },
    );
    try {
      // A process that does not answer in time has not added this one: what it publishes meanwhile is lost here until a resync.
      await withTimeout(answered, log, `join ${name}`);
    } finally {
      doc.joins.delete(key);
    }
  }

  redis.on('ready', () => {
    // ioredis re-subscribes by itself (after this event: the joins go after the SUBSCRIBEs);
    // whatever was published meanwhile is gone, and the others may have forgotten this process.
    if (wasReady && !closed) {
      log.warn('redis reconnected: re-reading live documents from the database');
      setImmediate(() => {
        void Promise.all([...docs].map(([name, doc]) => join(name, doc))).then(() => {
          for (const h of resyncHandlers) h();
        });
      });
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
      void publish(controlChannel, JSON.stringify({ type: 'ack', origin: instanceId, id: envelope.id, to: envelope.origin } satisfies ControlEnvelope));
    }
  }

  /** A message on a document's membership channel or this process's inbox of it. */
  function onDocMessage(name: string, doc: OpenDoc, data: Buffer): void {
    const message = decodeDocMessage(data);
    switch (message.type) {
      case 'join': {
        // Added before answering: what this process commits from now on reaches the joiner.
        const peer = senderOf(data);
        doc.peers.add(peer);
        void publish(inboxChannel(name, peer), encodeDocMessage(sender, { type: 'here', id: message.id }));
        return;
      }
      case 'here': {
        doc.peers.add(senderOf(data));
        const pending = doc.joins.get(Buffer.from(message.id).toString('hex'));
        if (pending && ++pending.received >= pending.expected) pending.resolve();
        return;
      }
      case 'leave':
        doc.peers.delete(senderOf(data));
        return;
      default:
        doc.onMessage(message);
    }
  }

  redis.on('messageBuffer', (channelBuffer: Buffer, data: Buffer) => {
    // A process's own `join` comes back on the membership channel: dropped on the header, before anything is decoded.
    if (isFrom(data, sender)) return;
    const channel = channelBuffer.toString();
    try {
      if (channel === controlChannel) {
        const envelope = JSON.parse(data.toString()) as ControlEnvelope;
        if (envelope.origin !== instanceId) void onControlMessage(envelope).catch((err: unknown) => log.error({ err }, 'control message failed'));
        return;
      }
      const route = routes.get(channel);
      if (route) onDocMessage(route.name, route.doc, data);
    } catch (err) {
      log.error({ err, channel }, 'malformed fan-out message dropped');
    }
  });

  const subscribed = withTimeout(redis.subscribe(controlChannel), log, controlChannel);

  return {
    instanceId,
    shared: true,

    async openDoc(name, onMessage) {
      const members = membersChannel(name);
      const inbox = inboxChannel(name, ownHex);
      // A room of the same document being closed keeps nothing: its peers stay (they still have it open).
      const doc: OpenDoc = { onMessage, peers: docs.get(name)?.peers ?? new Set(), joins: new Map() };
      docs.set(name, doc);
      routes.set(members, { name, doc });
      routes.set(inbox, { name, doc });
      await withTimeout(redis.subscribe(members, inbox), log, members);
      await join(name, doc);
      let open = true;
      return {
        publish(message) {
          if (!open || doc.peers.size === 0) return;
          const data = encodeDocMessage(sender, message);
          for (const peer of doc.peers) publishTo(name, doc, peer, data);
        },
        close() {
          if (!open) return;
          open = false;
          // A newer room of the same document may already listen here: leave it alone.
          if (docs.get(name) !== doc) return;
          docs.delete(name);
          routes.delete(members);
          routes.delete(inbox);
          if (closed) return;
          void publish(members, encodeDocMessage(sender, { type: 'leave' }));
          redis.unsubscribe(members, inbox).catch((err: unknown) => log.debug({ err, channel: members }, 'unsubscribe failed'));
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

/** Waits for a subscription (or a join's answers) at most SUBSCRIBE_TIMEOUT_MS, logging when it went on without. */
async function withTimeout(subscription: Promise<unknown>, log: Logger, channel: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), SUBSCRIBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const result = await Promise.race([subscription, timeout]);
    // ioredis keeps the subscription queued; when Redis is back, the resync repairs what was missed.
    if (result === 'timeout') log.warn({ channel }, 'redis subscription (or the answers to a join) not confirmed in time; going on');
  } catch (err) {
    log.warn({ err, channel }, 'redis subscription failed; going on');
  } finally {
    clearTimeout(timer);
  }
}
