/**
 * The CPU cost of a live update on the server, without network or database: what each step
 * of a room's apply path costs per update, in process CPU time (process.cpuUsage), so the
 * figures hold on a loaded machine where wall-clock latencies do not.
 *
 *   pnpm exec tsx bench/collab-apply.ts [--docs 50] [--clients 4] [--edits 25] [--reps 5]
 *
 * The updates are generated first (the edit of bench/realtime.ts: a map key, an annotation
 * entry with its author, 3 characters of text; each client sees the others' edits), then
 * replayed onto fresh server documents in arrival order, per variant:
 * - `apply+updateListener`: Y.applyUpdate with an 'update' listener (Yjs encodes the
 *   transaction again for it: how rooms listened before);
 * - `apply+afterTransaction`: with the change test rooms use now (collab/room.ts);
 * - `guard+apply`: the item-document integrity check (collab/item-integrity.ts: these
 *   updates are plainly allowed, decided from the decoded update) before the apply, as for
 *   every client update of an item document;
 * - `shadow-follow`: one more apply to a second document: what the guard cost per update
 *   until 2026-12-07, when it kept a shadow copy that every update was applied to (through
 *   its check, or following another process's batch).
 * Prints ONE JSON line: microseconds of CPU per update, median over the repetitions.
 */
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { ItemDocGuard } from '../apps/server/src/collab/item-integrity.ts';
import { writeEdit } from './lib/bench-edit.ts';

const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '50' },
    clients: { type: 'string', default: '4' },
    edits: { type: 'string', default: '25' },
    reps: { type: 'string', default: '5' },
  },
});
const DOCS = Number(flags.docs);
const CLIENTS = Number(flags.clients);
const EDITS = Number(flags.edits);
const REPS = Number(flags.reps);

interface Arrival {
  doc: number;
  client: number;
  update: Uint8Array;
}

/** Every client's edits in a round-robin arrival order, each client in sync with the others before its edit. */
function generate(): Arrival[] {
  const arrivals: Arrival[] = [];
  const groups = Array.from({ length: DOCS }, () => Array.from({ length: CLIENTS }, () => new Y.Doc()));
  for (let seq = 1; seq <= EDITS; seq++) {
    for (let d = 0; d < DOCS; d++) {
      const group = groups[d]!;
      group.forEach((doc, c) => {
        const update = writeEdit(doc, { index: c, seq, t: seq, authorId: `usr_${c}` });
        for (const other of group) if (other !== doc) Y.applyUpdate(other, update);
        arrivals.push({ doc: d, client: c, update });
      });
    }
  }
  return arrivals;
}

/** CPU microseconds per arrival of one replay. */
function cpuPerUpdate(arrivals: Arrival[], replay: (arrivals: Arrival[]) => void): number {
  const before = process.cpuUsage();
  replay(arrivals);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / arrivals.length;
}

const docs = () => Array.from({ length: DOCS }, () => new Y.Doc());

const variants: Record<string, (arrivals: Arrival[]) => void> = {
  'apply+updateListener'(arrivals) {
    const server = docs();
    for (const doc of server) doc.on('update', () => {});
    for (const a of arrivals) Y.applyUpdate(server[a.doc]!, a.update, 'client');
  },
  'apply+afterTransaction'(arrivals) {
    const server = docs();
    const last = { changed: false };
    for (const doc of server) {
      doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.deleteSet.clients.size > 0 || [...tr.afterState].some(([client, clock]) => tr.beforeState.get(client) !== clock)) last.changed = true;
      });
    }
    for (const a of arrivals) {
      last.changed = false;
      Y.applyUpdate(server[a.doc]!, a.update, 'client');
      if (!last.changed) throw new Error('an arrival changed nothing');
    }
  },
  'guard+apply'(arrivals) {
    const server = docs();
    const guards = server.map((doc) => new ItemDocGuard(doc));
    for (const a of arrivals) {
      const check = guards[a.doc]!.check(a.update, { userId: `usr_${a.client}`, mayModerate: false });
      if (check.verdict !== 'apply') throw new Error(`not applied: ${JSON.stringify(check)}`);
      Y.applyUpdate(server[a.doc]!, a.update, 'client');
    }
  },
  /** The protocol's validating decode alone (protocol.ts decodeMessage; the guard reads its result). */
  decode(arrivals) {
    for (const a of arrivals) Y.decodeUpdate(a.update);
  },
  'shadow-follow'(arrivals) {
    const shadows = docs();
    for (const a of arrivals) Y.applyUpdate(shadows[a.doc]!, a.update);
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const arrivals = generate();
// Warm-up: every variant once, so the JIT has compiled the paths being compared.
for (const replay of Object.values(variants)) replay(arrivals);
const perUpdateUs: Record<string, number> = {};
const runs: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let rep = 0; rep < REPS; rep++) {
  // Interleaved, so a burst of load on the machine hits every variant alike.
  for (const [name, replay] of Object.entries(variants)) runs[name]!.push(cpuPerUpdate(arrivals, replay));
}
for (const [name, xs] of Object.entries(runs)) perUpdateUs[name] = Number(median(xs).toFixed(1));
const bytes = arrivals.reduce((n, a) => n + a.update.byteLength, 0);
console.log(
  JSON.stringify({
    bench: 'collab-apply',
    docs: DOCS,
    clients: CLIENTS,
    edits: EDITS,
    updates: arrivals.length,
    meanUpdateBytes: Math.round(bytes / arrivals.length),
    reps: REPS,
    cpuUsPerUpdate: perUpdateUs,
    guardShare: Number(((perUpdateUs['guard+apply']! - perUpdateUs['apply+afterTransaction']!) / perUpdateUs['guard+apply']!).toFixed(2)),
  }),
);
