/**
 * Operator metrics (`GET /metrics`, Prometheus text). One `Metrics` per app instance, made
 * by createDeps(): its own prom-client Registry, never the library's global one, so several
 * servers in one process (tests) keep separate counts. Without CONCORD_METRICS_TOKEN the
 * endpoint is off and every hook is a no-op (`noopMetrics`).
 *
 * The hooks sit on hot paths (every live-document batch), so each is a histogram observe or
 * a counter increment on a metric without labels; gauges of live state are read at scrape
 * time from `watch` sources instead of being kept up to date.
 *
 * prom-client is imported by `createMetrics`, not at start: a server without metrics never
 * loads it (bench/README.md, "Memory at start").
 */

/** What the metrics read at scrape time (set once the server has built them). */
export interface MetricSources {
  openDocuments(): number;
  yjsConnections(): number;
  socketioConnections(): number;
}

export interface Metrics {
  readonly enabled: boolean;
  /** One finished HTTP request; `route` is the matched route pattern, never the raw path. */
  httpRequest(route: string, method: string, status: number, seconds: number): void;
  /** A live-document batch stored and relayed to the other connections (just now): its phases. */
  liveDelivered(delivery: LiveDelivery): void;
  /** An item documents' group commit of `batches` started; `overlapped`: beside another in flight (collab/item-log.ts). */
  liveGroupCommit(batches: number, overlapped: boolean): void;
  /** A batch was handed to the group commit while a commit was in flight. */
  liveBatchBehindCommit(): void;
  /** `updates` joined their room's batch waiting for its group commit. */
  liveUpdatesJoined(updates: number): void;
  /** Redis acknowledged a fan-out publish started at `startedAt`. */
  redisPublished(startedAt: number): void;
  importedRows(rows: number): void;
  /** One reliability computation (cache misses only) that started at `startedAt`. */
  reliabilityComputed(startedAt: number): void;
  /** One mail handed to the SMTP server (`kind`: invitation, password-reset, mention, digest). */
  mailSent(kind: string): void;
  /** One mail that could not be sent (logged once by services/mail/). */
  mailFailed(kind: string): void;
  watch(sources: MetricSources): void;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * One batch's way through the server (`performance.now()` times): its first update applied and
 * queued (`receivedAt`), the batch handed to the store (`handedAt`; later when the room's
 * previous batch was still being stored), its commit handed to the driver (`startedAt`; later
 * when it waited in the group commit's queue) and answered (`doneAt`), the room's flush loop
 * resumed (`resumedAt`; later when other rooms of the same commit relayed first); it is
 * relayed when the hook is called.
 */
export interface LiveDelivery {
  updates: number;
  receivedAt: number;
  handedAt: number;
  startedAt: number;
  doneAt: number;
  resumedAt: number;
}

/** The phases of `concord_live_delivery_phase_seconds`, in order; together they make the relay latency. */
export const LIVE_PHASES = ['room_wait', 'commit_queue', 'commit_driver', 'commit_siblings', 'relay'] as const;

const noop = () => {};

export const noopMetrics: Metrics = {
  enabled: false,
  httpRequest: noop,
  liveDelivered: noop,
  liveGroupCommit: noop,
  liveBatchBehindCommit: noop,
  liveUpdatesJoined: noop,
  redisPublished: noop,
  importedRows: noop,
  reliabilityComputed: noop,
  mailSent: noop,
  mailFailed: noop,
  watch: noop,
  render: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
};

/** Seconds buckets from 0.5 ms to 10 s: live relays sit in the low milliseconds, API requests above. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/**
 * Finer in the low milliseconds for the live documents (a delivery's goal is p50 under 2 ms; a
 * commit on PostgreSQL takes 0.4-3 ms): 50 µs to 5 s.
 */
const LIVE_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 5,
];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

const since = (startedAt: number) => (performance.now() - startedAt) / 1000;

export async function createMetrics(): Promise<Metrics> {
  const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = await import('prom-client');
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'concord_' });
  let sources: MetricSources = { openDocuments: () => 0, yjsConnections: () => 0, socketioConnections: () => 0 };

  const http = new Histogram({
    name: 'concord_http_request_duration_seconds',
    help: 'HTTP requests by matched route pattern, method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const commitSeconds = new Histogram({ name: 'concord_live_commit_duration_seconds', help: 'Time to store one live-document batch', buckets: LIVE_BUCKETS, registers });
  const commitUpdates = new Histogram({ name: 'concord_live_commit_batch_updates', help: 'Updates per stored live-document batch', buckets: BATCH_BUCKETS, registers });
  const relaySeconds = new Histogram({
    name: 'concord_live_relay_latency_seconds',
    help: 'From receiving a live-document update to relaying it (after its batch committed), per batch, for its oldest update',
    buckets: LIVE_BUCKETS,
    registers,
  });
  const phaseSeconds = new Histogram({
    name: 'concord_live_delivery_phase_seconds',
    help: 'A live-document batch relayed, by phase: room_wait (behind the room\'s batch being stored), commit_queue (the group commit\'s queue), commit_driver (the database round trip), commit_siblings (other rooms of the commit relayed first), relay',
    labelNames: ['phase'] as const,
    buckets: LIVE_BUCKETS,
    registers,
  });
  // Bound once: a labelled observe would hash its labels on every batch.
  const phase = {
    room_wait: phaseSeconds.labels('room_wait'),
    commit_queue: phaseSeconds.labels('commit_queue'),
    commit_driver: phaseSeconds.labels('commit_driver'),
    commit_siblings: phaseSeconds.labels('commit_siblings'),
    relay: phaseSeconds.labels('relay'),
  } satisfies Record<(typeof LIVE_PHASES)[number], unknown>;
  const groupBatches = new Histogram({
    name: 'concord_live_group_commit_batches',
    help: 'Batches per item documents\' group commit (its count: the commits)',
    buckets: BATCH_BUCKETS,
    registers,
  });
  const groupOverlapped = new Counter({ name: 'concord_live_group_commits_overlapped_total', help: 'Group commits started beside another in flight', registers });
  const behindCommit = new Counter({
    name: 'concord_live_batches_behind_commit_total',
    help: 'Batches handed to the group commit while a commit was in flight',
    registers,
  });
  const joined = new Counter({
    name: 'concord_live_updates_joined_total',
    help: 'Updates that joined their room\'s batch waiting for its group commit',
    registers,
  });
  const publishSeconds = new Histogram({
    name: 'concord_redis_publish_lag_seconds',
    help: 'From a fan-out publish to its acknowledgement by Redis',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const importRows = new Counter({ name: 'concord_import_rows_total', help: 'Item rows written by imports', registers });
  const reliability = new Histogram({
    name: 'concord_reliability_computation_duration_seconds',
    help: 'Reliability computations (cache misses), count and duration',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const mailSent = new Counter({ name: 'concord_mail_sent_total', help: 'Mails accepted by the SMTP server, by kind', labelNames: ['kind'] as const, registers });
  const mailFailed = new Counter({ name: 'concord_mail_failures_total', help: 'Mails that could not be sent, by kind', labelNames: ['kind'] as const, registers });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  gauge('concord_live_documents_open', 'Live documents loaded in memory', () => sources.openDocuments());
  gauge('concord_yjs_connections', 'Open live-document (/yjs) connections', () => sources.yjsConnections());
  gauge('concord_socketio_connections', 'Open socket.io (/socket.io) connections', () => sources.socketioConnections());

  return {
    enabled: true,
    httpRequest(route, method, status, seconds) {
      http.observe({ route, method, status: `${Math.floor(status / 100)}xx` }, seconds);
    },
    liveDelivered(d) {
      const relayedAt = performance.now();
      commitUpdates.observe(d.updates);
      commitSeconds.observe((d.resumedAt - d.handedAt) / 1000);
      relaySeconds.observe((relayedAt - d.receivedAt) / 1000);
      phase.room_wait.observe((d.handedAt - d.receivedAt) / 1000);
      phase.commit_queue.observe((d.startedAt - d.handedAt) / 1000);
      phase.commit_driver.observe((d.doneAt - d.startedAt) / 1000);
      phase.commit_siblings.observe((d.resumedAt - d.doneAt) / 1000);
      phase.relay.observe((relayedAt - d.resumedAt) / 1000);
    },
    liveGroupCommit(batches, overlapped) {
      groupBatches.observe(batches);
      if (overlapped) groupOverlapped.inc();
    },
    liveBatchBehindCommit: () => behindCommit.inc(),
    liveUpdatesJoined: (updates) => joined.inc(updates),
    redisPublished: (startedAt) => publishSeconds.observe(since(startedAt)),
    importedRows: (rows) => importRows.inc(rows),
    reliabilityComputed: (startedAt) => reliability.observe(since(startedAt)),
    mailSent: (kind) => mailSent.inc({ kind }),
    mailFailed: (kind) => mailFailed.inc({ kind }),
    watch(next) {
      sources = next;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
