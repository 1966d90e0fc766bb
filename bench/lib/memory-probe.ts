/**
 * Where a server process's resident memory is, for the realtime benches: RSS split by kind of
 * mapping (from /proc/<pid>/smaps) and V8's own view (from `/metrics`, when the server was
 * started with the bench's metrics token).
 *
 * - `v8HeapMb`: V8's committed heap (`heapTotal`), `v8UsedMb` what live objects use of it;
 * - `externalMb`: memory V8 objects hold outside the heap (ArrayBuffers: socket and Yjs buffers),
 *   allocated with malloc, so counted again in the malloc figures below;
 * - `mallocMainMb`: the main thread's malloc heap (`[heap]`, brk);
 * - `mallocArenasMb`: glibc's per-thread arenas: anonymous mappings of 64 MiB reserved at
 *   64 MiB-aligned addresses (glibc makes up to 8 per core for the threads that call malloc:
 *   libuv's pool, V8's platform workers; `MALLOC_ARENA_MAX` caps them);
 * - `otherAnonMb`: the rest of the anonymous memory (V8's heap pages and code space, large
 *   malloc blocks that glibc maps on their own, thread stacks);
 * - `fileMb`: mapped files (the node binary, shared libraries).
 */
import { readFile } from 'node:fs/promises';
import { gauge, metricsText } from './metrics-probe.ts';

export interface MemoryBreakdown {
  rssMb: number;
  mallocMainMb: number;
  mallocArenasMb: number;
  arenas: number;
  otherAnonMb: number;
  fileMb: number;
  v8HeapMb: number | null;
  v8UsedMb: number | null;
  externalMb: number | null;
}

const ARENA = 64 * 2 ** 20;
const mb = (kb: number) => Math.round(kb / 102.4) / 10;

interface Mapping {
  start: bigint;
  end: bigint;
  name: string;
  rssKb: number;
  anonymous: boolean;
}

async function mappings(pid: number): Promise<Mapping[]> {
  const text = await readFile(`/proc/${pid}/smaps`, 'utf8');
  const out: Mapping[] = [];
  let current: Mapping | null = null;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      current = { start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), name: head[4]!.trim(), rssKb: 0, anonymous: head[3] === '0' };
      out.push(current);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current) current.rssKb = Number(rss[1]);
  }
  return out;
}

async function v8Figures(baseUrl: string): Promise<Pick<MemoryBreakdown, 'v8HeapMb' | 'v8UsedMb' | 'externalMb'>> {
  const none = { v8HeapMb: null, v8UsedMb: null, externalMb: null };
  try {
    const text = await metricsText(baseUrl);
    if (text === null) return none;
    const mib = (name: string) => {
      const bytes = gauge(text, name);
      return bytes === null ? null : Math.round((bytes / 2 ** 20) * 10) / 10;
    };
    return { v8HeapMb: mib('concord_nodejs_heap_size_total_bytes'), v8UsedMb: mib('concord_nodejs_heap_size_used_bytes'), externalMb: mib('concord_nodejs_external_memory_bytes') };
  } catch {
    return none;
  }
}

/** The breakdown of a running server (null once it is gone). */
export async function memoryBreakdown(pid: number, baseUrl: string): Promise<MemoryBreakdown | null> {
  let maps: Mapping[];
  try {
    maps = await mappings(pid);
  } catch {
    return null;
  }
  let rss = 0;
  let main = 0;
  let arenas = 0;
  let arenaCount = 0;
  let otherAnon = 0;
  let file = 0;
  for (let i = 0; i < maps.length; i++) {
    const m = maps[i]!;
    rss += m.rssKb;
    if (m.name === '[heap]') main += m.rssKb;
    else if (!m.anonymous && m.name && !m.name.startsWith('[')) file += m.rssKb;
    else {
      // A thread arena: its used part and the reserved rest (---p) right after, 64 MiB in all, 64 MiB-aligned.
      const next = maps[i + 1];
      const whole = next && next.start === m.end && next.name === '' ? next.end - m.start : m.end - m.start;
      if (m.name === '' && m.start % BigInt(ARENA) === 0n && whole === BigInt(ARENA)) {
        arenas += m.rssKb + (next && next.start === m.end ? next.rssKb : 0);
        arenaCount++;
        if (next && next.start === m.end) {
          rss += next.rssKb;
          i++;
        }
      } else otherAnon += m.rssKb;
    }
  }
  return { rssMb: mb(rss), mallocMainMb: mb(main), mallocArenasMb: mb(arenas), arenas: arenaCount, otherAnonMb: mb(otherAnon), fileMb: mb(file), ...(await v8Figures(baseUrl)) };
}
