/**
 * A preload for a server under a bench (`--node-args=--import=./bench/lib/gc-log.mjs`, the path from
 * the repository root): every 500 ms its RSS and V8 heap (committed, used, old space, external
 * memory), and each full collection with the heap used right after it, appended to
 * `<tmpdir>/concord-gc-<pid>.log`. What survives a full collection is the live heap; V8 lets the
 * old space grow to a multiple of it before the next one, so the peak follows both
 * (bench/README.md, "Where the RSS at 1,000 connections goes").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const fd = fs.openSync(path.join(os.tmpdir(), `concord-gc-${process.pid}.log`), 'w');
const t0 = performance.now();
const mb = (bytes) => Math.round(bytes / 1e5) / 10;
const seconds = (ms) => ((ms - t0) / 1000).toFixed(2);
const KINDS = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak' };

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = KINDS[entry.detail.kind];
    if (!kind) continue;
    const heap = v8.getHeapStatistics();
    fs.writeSync(fd, `${seconds(entry.startTime)} gc ${kind} ${entry.duration.toFixed(1)}ms used ${mb(heap.used_heap_size)} total ${mb(heap.total_heap_size)}\n`);
  }
}).observe({ entryTypes: ['gc'] });

setInterval(() => {
  const heap = v8.getHeapStatistics();
  const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
  fs.writeSync(
    fd,
    `${seconds(performance.now())} rss ${mb(process.memoryUsage.rss())} heapTotal ${mb(heap.total_heap_size)} used ${mb(heap.used_heap_size)} old ${mb(old.space_used_size)}/${mb(old.space_size)} external ${mb(heap.external_memory)}\n`,
  );
}, 500).unref();
