/**
 * What a V8 heap snapshot's objects keep alive, summed by constructor: for a server's snapshot
 * (`--node-args=--heapsnapshot-signal=SIGUSR2`, then `kill -USR2 <pid>`; the file lands in the
 * server's working directory or `--diagnostic-dir`).
 *
 *   pnpm exec tsx bench/heap-retained.ts FILE [--group Connection,WebSocket,Socket ...] [--top 30]
 *
 * Prints ONE JSON line: the reachable heap, the largest constructors by their own size, the
 * ArrayBuffer backing stores (count and bytes by size), and for each `--group` (constructor names,
 * comma-separated) the bytes only its objects keep alive: what would be freed if every object of
 * those constructors went (the heap reachable from the roots without passing through them,
 * subtracted from the whole). A group's figure counts what its objects share among themselves,
 * which a per-object retained size (a dominator tree) does not; `bytesPerObject` divides it by the
 * number of objects of the group's first constructor.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { group: { type: 'string', multiple: true, default: [] }, top: { type: 'string', default: '30' } },
});
if (positionals.length !== 1) throw new Error('usage: heap-retained.ts FILE [--group A,B] [--top 30]');

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}
const snap = JSON.parse(await readFile(positionals[0]!, 'utf8')) as Snapshot;
const meta = snap.snapshot.meta;
const [NF, EF] = [meta.node_fields.length, meta.edge_fields.length];
const [nodeTypes, edgeTypes] = [meta.node_types[0], meta.edge_types[0]];
const [TYPE, NAME, SIZE, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number];
const [E_TYPE, E_TO] = ['type', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number];
const { nodes, edges, strings } = snap;
const count = nodes.length / NF;
const firstEdge = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + EDGES]! * EF;
  firstEdge[i + 1] = e;
}
/** Objects by constructor; strings, code, arrays and the like by their kind. */
const nameOf = (i: number): string => {
  const type = nodeTypes[nodes[i * NF + TYPE]!]!;
  return type === 'object' || type === 'native' || type === 'hidden' ? strings[nodes[i * NF + NAME]!]! : `(${type})`;
};
const sizeOf = (i: number) => nodes[i * NF + SIZE]!;
// Weak references keep nothing alive; shortcuts repeat other paths.
const skippedEdges = new Set([edgeTypes.indexOf('weak'), edgeTypes.indexOf('shortcut')]);

/** Marks what the root (node 0) reaches without entering a node `blocked` says no to. */
function reachable(blocked: (node: number) => boolean): Uint8Array {
  const seen = new Uint8Array(count);
  const stack = [0];
  seen[0] = 1;
  while (stack.length) {
    const v = stack.pop()!;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) {
      if (skippedEdges.has(edges[e + E_TYPE]!)) continue;
      const w = edges[e + E_TO]! / NF;
      if (seen[w] || blocked(w)) continue;
      seen[w] = 1;
      stack.push(w);
    }
  }
  return seen;
}

const mb = (bytes: number) => Math.round(bytes / 1e4) / 100;
const all = reachable(() => false);
const byName = new Map<string, { count: number; bytes: number }>();
let total = 0;
const stores = { count: 0, bytes: 0, over8KB: 0, over8KBBytes: 0 };
for (let i = 0; i < count; i++) {
  if (!all[i]) continue;
  const name = nameOf(i);
  const entry = byName.get(name) ?? { count: 0, bytes: 0 };
  entry.count++;
  entry.bytes += sizeOf(i);
  byName.set(name, entry);
  total += sizeOf(i);
  if (name === 'system / JSArrayBufferData') {
    stores.count++;
    stores.bytes += sizeOf(i);
    if (sizeOf(i) > 8192) [stores.over8KB, stores.over8KBBytes] = [stores.over8KB + 1, stores.over8KBBytes + sizeOf(i)];
  }
}
const top = Number(flags.top);
const largest = [...byName].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top).map(([name, e]) => ({ name, count: e.count, mb: mb(e.bytes) }));

const groups = flags.group.map((group) => {
  const names = group.split(',');
  const members = new Set(names);
  const without = reachable((node) => members.has(nameOf(node)));
  const kept = new Map<string, number>();
  let bytes = 0;
  let objects = 0;
  for (let i = 0; i < count; i++) {
    if (!all[i] || without[i]) continue;
    bytes += sizeOf(i);
    kept.set(nameOf(i), (kept.get(nameOf(i)) ?? 0) + sizeOf(i));
    if (nameOf(i) === names[0]) objects++;
  }
  const what = [...kept].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, b]) => ({ name, mb: mb(b) }));
  // Per object of the group's first constructor (per connection, with `Connection,WebSocket,…`).
  return { group, objects, retainedMb: mb(bytes), bytesPerObject: objects ? Math.round(bytes / objects) : null, what };
});

console.log(JSON.stringify({ bench: 'heap-retained', file: positionals[0], reachableMb: mb(total), objects: count, arrayBuffers: { ...stores, mb: mb(stores.bytes) }, largest, groups }));
