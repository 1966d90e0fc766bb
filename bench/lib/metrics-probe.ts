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
