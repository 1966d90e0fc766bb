/**
 * Reads a running server's `/metrics` (Prometheus text) for the realtime benches' leak checks:
 * live documents held in memory and open /yjs connections. The bench starts the server with
 * CONCORD_METRICS_TOKEN; a server without metrics answers 404 and the probe returns null.
 */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

export interface LiveCounts {
  documentsOpen: number;
  yjsConnections: number;
  /** V8's used heap (MB), to tell a leak (it grows) from RSS the allocator keeps. */
  heapUsedMb: number | null;
}

/** A gauge's value in Prometheus text (its first series), or null. */
export function gauge(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

/** The server's `/metrics` text, or null without metrics. */
export async function metricsText(baseUrl: string): Promise<string | null> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  return res.ok ? res.text() : null;
}

export async function liveCounts(baseUrl: string): Promise<LiveCounts | null> {
  const text = await metricsText(baseUrl);
  if (text === null) return null;
  const documentsOpen = gauge(text, 'concord_live_documents_open');
  const yjsConnections = gauge(text, 'concord_yjs_connections');
  const heapUsed = gauge(text, 'concord_nodejs_heap_size_used_bytes');
  return documentsOpen === null || yjsConnections === null ? null : { documentsOpen, yjsConnections, heapUsedMb: heapUsed === null ? null : heapUsed / 2 ** 20 };
}

/** A histogram's cumulative bucket counts (upper bound in seconds → count), summed over its series (those with `label`, e.g. `phase="relay"`). */
function histogramBuckets(text: string, name: string, label = ''): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(label)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

/** The bucket bound (ms) under which a quantile of what was observed between two scrapes falls (null: nothing observed). */
function quantileBound(before: string, after: string, name: string, q: number, label = ''): number | null {
  const b0 = histogramBuckets(before, name, label);
  const b1 = [...histogramBuckets(after, name, label)].sort((x, y) => x[0] - y[0]).map(([bound, n]) => [bound, n - (b0.get(bound) ?? 0)] as const);
  const total = b1.at(-1)?.[1] ?? 0;
  if (!total) return null;
  const hit = b1.find(([, n]) => n >= q * total)!;
  return hit[0] === Infinity ? Infinity : Number((hit[0] * 1000).toFixed(1));
}

const delta = (before: string, after: string, name: string) => (gauge(after, name) ?? 0) - (gauge(before, name) ?? 0);

/** Seconds of garbage collection between two scrapes, by kind (minor, major, incremental, weakcb). */
function gcSeconds(before: string, after: string): Record<string, number> {
  const sums = (text: string) =>
    new Map(
      text
        .split('\n')
        .filter((l) => l.startsWith('concord_nodejs_gc_duration_seconds_sum{'))
        .map((l) => [/kind="([^"]+)"/.exec(l)?.[1] ?? '?', Number(l.slice(l.lastIndexOf(' ') + 1))] as const),
    );
  const [s0, s1] = [sums(before), sums(after)];
  return Object.fromEntries([...s1].map(([kind, s]) => [kind, Number((s - (s0.get(kind) ?? 0)).toFixed(3))]));
}

/** The phases of `concord_live_delivery_phase_seconds` (apps/server/src/metrics.ts `LIVE_PHASES`). */
const PHASES = ['room_wait', 'commit_queue', 'commit_driver', 'commit_siblings', 'relay'] as const;

/** p50 and p99 as bucket bounds (ms) and the exact mean (ms, from the sum) of a histogram between two scrapes. */
function spread(before: string, after: string, name: string, label = '') {
  const series = (suffix: string) => `${name}_${suffix}${label ? `{${label}}` : ''}`;
  const [count, sum] = [delta(before, after, series('count')), delta(before, after, series('sum'))];
  return {
    p50: quantileBound(before, after, name, 0.5, label),
    p99: quantileBound(before, after, name, 0.99, label),
    mean: count ? Number(((sum / count) * 1000).toFixed(3)) : null,
  };
}

const share = (part: number, whole: number) => (whole ? Number((part / whole).toFixed(3)) : null);

/**
 * Where a delivery's time goes inside the server, between two scrapes of its `/metrics`: the
 * relay latency (an update received → its batch relayed, after the commit) and the commit's
 * duration (p50/p99 as bucket bounds in ms, buckets 0.05 … 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5,
 * 10, 15, 20, 30 … ms; and the exact mean), the same for each phase of a delivery
 * (`phasesMs`: room_wait, commit_queue, commit_driver, commit_siblings, relay, which add up to
 * the relay latency), the updates per stored batch, the group commits (how many, batches in
 * each, the share started beside another in flight, the share of batches that waited behind a
 * commit in flight), the garbage collector's time by kind, and the event loop's delay (p99 and
 * max, ms, since the scrape before: prom-client resets it at each scrape; its samples include
 * its 10 ms timer interval).
 */
export function liveFigures(before: string, after: string) {
  const batches = delta(before, after, 'concord_live_commit_batch_updates_count');
  const groupCommits = delta(before, after, 'concord_live_group_commit_batches_count');
  const ms = (s: number | null) => (s === null ? null : Number((s * 1000).toFixed(1)));
  return {
    relayMs: spread(before, after, 'concord_live_relay_latency_seconds'),
    commitMs: spread(before, after, 'concord_live_commit_duration_seconds'),
    phasesMs: Object.fromEntries(PHASES.map((p) => [p, spread(before, after, 'concord_live_delivery_phase_seconds', `phase="${p}"`)])),
    batches,
    updatesPerBatch: batches ? Number((delta(before, after, 'concord_live_commit_batch_updates_sum') / batches).toFixed(2)) : null,
    groupCommits,
    batchesPerGroupCommit: groupCommits ? Number((delta(before, after, 'concord_live_group_commit_batches_sum') / groupCommits).toFixed(2)) : null,
    overlappedShare: share(delta(before, after, 'concord_live_group_commits_overlapped_total'), groupCommits),
    behindCommitShare: share(delta(before, after, 'concord_live_batches_behind_commit_total'), batches),
    updatesJoined: delta(before, after, 'concord_live_updates_joined_total'),
    gcS: gcSeconds(before, after),
    eventLoopDelayMs: { p99: ms(gauge(after, 'concord_nodejs_eventloop_lag_p99_seconds')), max: ms(gauge(after, 'concord_nodejs_eventloop_lag_max_seconds')) },
  };
}
