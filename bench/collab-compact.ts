/**
 * A compaction's merge on the main thread: a snapshot of 1,000 updates plus a log tail of 500
 * (bench/realtime.ts's edits of 4 clients: a map key, an annotation, 3 characters of text), the
 * CPU time of one merge (this process' user + system, median of --reps), per variant:
 * `perUpdate` (each row its own Yjs transaction, in one task: the merge before 2026-12-07
 * evening), `oneTransaction` (every row in one transaction), `mergeUpdates` (Y.mergeUpdates of
 * the tail, then one apply), and `slices` (store.ts `mergeStoredState`: 100 rows per transaction,
 * a turn of the event loop between) with its longest task. Checks that every variant gives the
 * same content. Prints one JSON line.
 *
 *   pnpm exec tsx bench/collab-compact.ts [--reps 8]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { MERGE_SLICE_UPDATES, mergeStoredState } from '../apps/server/src/services/collab/store.ts';
import { writeEdit } from './lib/bench-edit.ts';

const { values: flags } = parseArgs({ options: { reps: { type: 'string', default: '8' } } });
const REPS = Number(flags.reps);

/** Edits of 4 clients of one document, each applied at the others, in the order they were made. */
function history(n: number): Uint8Array[] {
  const docs = [0, 1, 2, 3].map(() => new Y.Doc());
  const out: Uint8Array[] = [];
  for (let seq = 0; seq < n; seq++) {
    const i = seq % 4;
    const update = writeEdit(docs[i]!, { index: i, seq, t: seq, authorId: `u${i}` });
    docs.forEach((d, j) => j !== i && Y.applyUpdate(d, update));
    out.push(update);
  }
  return out;
}

const all = history(1500);
const snapshotDoc = new Y.Doc();
for (const u of all.slice(0, 1000)) Y.applyUpdate(snapshotDoc, u);
const snapshot = Y.encodeStateAsUpdate(snapshotDoc);
const tail = all.slice(1000);

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const throughDoc = (apply: (doc: Y.Doc) => void) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, snapshot);
  apply(doc);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
};
const syncVariants: Record<string, () => Uint8Array> = {
  perUpdate: () => throughDoc((doc) => tail.forEach((u) => Y.applyUpdate(doc, u))),
  oneTransaction: () => throughDoc((doc) => doc.transact(() => tail.forEach((u) => Y.applyUpdate(doc, u)))),
  mergeUpdates: () => throughDoc((doc) => Y.applyUpdate(doc, Y.mergeUpdates(tail))),
};

const content = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return JSON.stringify(doc.toJSON());
};
const reference = content(syncVariants.perUpdate!());

const samples: Record<string, number[]> = { perUpdate: [], oneTransaction: [], mergeUpdates: [], slices: [] };
const longestTask: number[] = [];
let sameContent = true;
for (let r = 0; r < REPS; r++) {
  for (const [name, run] of Object.entries(syncVariants)) {
    const t0 = cpuMs();
    const state = run();
    samples[name]!.push(cpuMs() - t0);
    sameContent &&= content(state) === reference;
  }
  // The sliced merge: its CPU in all, and its longest stretch between two turns of the loop.
  let longest = 0;
  let mark = cpuMs();
  let ticking = true;
  const tick = () => {
    const t = cpuMs();
    longest = Math.max(longest, t - mark);
    mark = t;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const t0 = cpuMs();
  const state = await mergeStoredState(snapshot, tail);
  samples.slices!.push(cpuMs() - t0);
  ticking = false;
  longest = Math.max(longest, cpuMs() - mark);
  longestTask.push(longest);
  sameContent &&= content(state) === reference;
}

const median = (xs: number[]) => Number([...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(2));
console.log(
  JSON.stringify({
    bench: 'collab-compact',
    snapshotUpdates: 1000,
    tailUpdates: tail.length,
    sliceUpdates: MERGE_SLICE_UPDATES,
    reps: REPS,
    cpuMsMedian: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])),
    slicesLongestTaskCpuMsMedian: median(longestTask),
    sameContent,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  }),
);
