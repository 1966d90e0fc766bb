/**
 * The V8 inspector of a bench's server process, without any change to the server: the bench
 * starts it with `--inspect=127.0.0.1:<port>` (`inspectorArgs`, through spawnServer's nodeArgs),
 * finds the debugger's WebSocket at http://127.0.0.1:<port>/json/list and speaks the Chrome
 * DevTools Protocol over it:
 *
 * - `collectGarbage()`: `HeapProfiler.collectGarbage`, which V8 runs as a low-memory
 *   notification: full, compacting collections until nothing more is freed, the young
 *   generation shrunk and free pages released. What is left is what the process retains.
 * - `startAllocationSampling()` / `stopAllocationSampling()`: V8's sampling heap profiler
 *   (`HeapProfiler.startSampling`, one sample per `intervalBytes` allocated on average) keeping
 *   the samples of objects that died since (minor and major GCs): every allocation of the
 *   interval, not only what survived it. V8 scales each sample by its probability, so the
 *   summed sizes estimate the bytes allocated; `top` lists the allocating functions by self size.
 *
 * A session costs nothing while it only waits; the sampling profiler costs CPU (a stack walk per
 * sample), so CPU figures of a run that samples are not comparable with one that does not.
 */
import WebSocket from 'ws';
import { freePort } from './concord-process.ts';

/** Node options that open the inspector on a free loopback port (pass the port to `openInspector`). */
export async function inspectorArgs(): Promise<{ port: number; nodeArgs: string[] }> {
  const port = await freePort();
  return { port, nodeArgs: [`--inspect=127.0.0.1:${port}`] };
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

export interface AllocationProfile {
  /** Estimated bytes allocated while sampling (dead and alive). */
  totalBytes: number;
  /** Functions by bytes allocated in them (self), largest first. */
  top: { fn: string; mb: number; pct: number }[];
}

export interface Inspector {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  collectGarbage(): Promise<void>;
  startAllocationSampling(intervalBytes?: number): Promise<void>;
  stopAllocationSampling(topN?: number): Promise<AllocationProfile>;
  close(): void;
}

/** A CDP session with the process whose inspector listens on `port` (retries for up to 10 s while it starts). */
export async function openInspector(port: number): Promise<Inspector> {
  let url: string | undefined;
  for (let attempt = 0; !url; attempt++) {
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl?: string }[];
      url = targets[0]?.webSocketDebuggerUrl;
    } catch (err) {
      if (attempt >= 100) throw err;
    }
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 2 ** 30 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.error) p.reject(new Error(`inspector: ${msg.error.message}`));
    else p.resolve(msg.result);
  });
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('inspector: closed'));
    pending.clear();
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    send,
    collectGarbage: () => send('HeapProfiler.collectGarbage'),
    startAllocationSampling: (intervalBytes = 32 * 1024) =>
      send('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
    async stopAllocationSampling(topN = 40) {
      const { profile } = await send<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
      const byFn = new Map<string, number>();
      let totalBytes = 0;
      const walk = (n: ProfileNode) => {
        totalBytes += n.selfSize;
        if (n.selfSize) {
          const f = n.callFrame;
          const file = f.url ? f.url.slice(f.url.lastIndexOf('/') + 1) : '';
          const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
          byFn.set(key, (byFn.get(key) ?? 0) + n.selfSize);
        }
        for (const c of n.children) walk(c);
      };
      walk(profile.head);
      const top = [...byFn]
        .sort((a, b) => b[1] - a[1])
        .slice(0, topN)
        .map(([fn, bytes]) => ({ fn, mb: Math.round((bytes / 2 ** 20) * 100) / 100, pct: Math.round((bytes / totalBytes) * 1000) / 10 }));
      return { totalBytes, top };
    },
    close: () => ws.close(),
  };
}
