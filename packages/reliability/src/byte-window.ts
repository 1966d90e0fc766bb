/**
 * The CSV input as a window of bytes that the scanners read forward: the whole input at once
 * (text or bytes in memory), or a source read piece by piece into one reused buffer (a file:
 * `concord reliability`). Reading a 21 MB file whole costs a page fault per fresh 4 KiB page,
 * 60-90 ms of kernel time on a loaded host against 4-6 ms through a 256 KiB window.
 *
 * The window also gives the wide scanner its sentinel: every region it scans ends with a line
 * break, so its per-byte loops stop at one without checking the end of the input.
 */
import { NEWLINE } from './csv-records.ts';

/** A source read in pieces: `read` fills `into` from `offset` on and returns the count, 0 at the end. */
export interface CsvByteSource {
  readonly read: (into: Uint8Array, offset: number) => number;
  /** The input's size when known (a file's): sizes the code array once. */
  readonly byteLength?: number;
  /** The window's starting size (default 256 KiB; it grows to hold the longest record). */
  readonly windowBytes?: number;
}

const WINDOW_BYTES = 256 * 1024;
/**
 * The first window is small: the wide scanner reaches the end of its first region, and the
 * code that moves to the next one, before V8 optimizes its row loop mid-way (on-stack
 * replacement). Optimized without type feedback for that code, the loop was thrown away at the
 * first window's end and compiled again: two compiles of the scanner, each 40-120 ms of a
 * compiler thread's CPU.
 */
const FIRST_WINDOW_BYTES = 4096;

export class ByteWindow {
  /** The window holds `bytes[0 .. length)`. */
  bytes: Uint8Array;
  length: number;
  /** No more input beyond the window. */
  done: boolean;
  /** The whole input's size, or an estimate from what has been read. */
  readonly totalBytes: number;
  private readonly source: CsvByteSource | null;
  /** The buffer is ours (a source's): it may be written and compacted. */
  private owned: boolean;

  constructor(input: Uint8Array | CsvByteSource) {
    if (input instanceof Uint8Array) {
      // In memory: the window is a prefix of the input, extended to all of it by `advance`.
      this.bytes = input;
      this.length = Math.min(input.length, FIRST_WINDOW_BYTES);
      this.done = this.length === input.length;
      this.source = null;
      this.owned = false;
      this.totalBytes = input.length;
      return;
    }
    this.source = input;
    this.bytes = new Uint8Array(Math.max(1, input.windowBytes ?? WINDOW_BYTES));
    this.length = 0;
    this.done = false;
    this.owned = true;
    this.fill(FIRST_WINDOW_BYTES);
    this.totalBytes = input.byteLength ?? this.length;
  }

  /**
   * Drops the bytes before `from` and reads more after what is left (growing the buffer when a
   * record outgrows it). Returns where `from` now lies, or -1, reading nothing, once the input
   * is exhausted.
   */
  advance(from: number): number {
    if (this.done) return -1;
    if (!this.owned) {
      this.length = this.bytes.length;
      this.done = true;
      return from;
    }
    if (from > 0) {
      this.bytes.copyWithin(0, from, this.length);
      this.length -= from;
    }
    if (this.length === this.bytes.length) this.resize(this.bytes.length * 2);
    this.fill(this.bytes.length);
    return 0;
  }

  /** Reads the rest of the input into the window (the long layout works on the whole text). */
  readAll(): void {
    while (this.advance(0) >= 0);
  }

  /**
   * Makes the window end with a line break once the input is exhausted, appending one when the
   * input lacks it (copying the unread tail when the buffer is the caller's). Returns where
   * `from` now lies.
   */
  terminate(from: number): number {
    if (this.length === from || this.bytes[this.length - 1] === NEWLINE) return from;
    if (!this.owned) {
      const tail = new Uint8Array(this.length - from + 1);
      tail.set(this.bytes.subarray(from, this.length));
      this.bytes = tail;
      this.length = tail.length - 1;
      this.owned = true;
      from = 0;
    } else if (this.length === this.bytes.length) this.resize(this.bytes.length + 1);
    this.bytes[this.length++] = NEWLINE;
    return from;
  }

  /** Reads until the window holds `limit` bytes or the input ends. */
  private fill(limit: number): void {
    const source = this.source;
    if (source === null) return;
    const end = Math.min(limit, this.bytes.length);
    while (this.length < end) {
      const n = source.read(this.bytes.subarray(0, end), this.length);
      if (n <= 0) {
        this.done = true;
        return;
      }
      this.length += n;
    }
  }

  private resize(size: number): void {
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
}

/** Index just past the last line break in `bytes[from .. to)`, or `from` when there is none. */
export function afterLastNewline(bytes: Uint8Array, from: number, to: number): number {
  // Not lastIndexOf(…, -1): a negative start counts from the buffer's end, past `to`, where a
  // compacted window keeps stale bytes.
  if (to <= from) return from;
  const at = bytes.lastIndexOf(NEWLINE, to - 1);
  return at >= from ? at + 1 : from;
}
