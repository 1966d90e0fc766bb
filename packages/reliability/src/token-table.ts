/**
 * Interning of cell texts for the scanners: each distinct text is stored once (as UTF-8
 * bytes) with where it was first seen, and codes are token ids in growable typed arrays.
 */
import type { SourcePosition } from './errors.ts';

const encoder = new TextEncoder();
const SHORT_MASK = 1023;
const decoder = new TextDecoder();

/** The scanners' hash of a cell's bytes (31-multiplier, as the wide scan computes it inline). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (bytes[i] ?? 0)) | 0;
  return h;
}


/**
 * Interns cell texts (as UTF-8 bytes) and remembers where each was first
 * seen. An open-addressing table keyed by a 31-multiplier hash lets the wide
 * scanner look a cell up straight from the input bytes (`idForRange`); a
 * string is decoded only the first time a cell text is seen.
 */
export class TokenTable {
  readonly texts: string[] = [];
  readonly lines: number[] = [];
  readonly columns: number[] = [];
  // Typed arrays, not number[]: the probe in idForRange runs once per cell (millions of times).
  private hashes = new Int32Array(32);
  private starts = new Int32Array(33);
  private pool = new Uint8Array(256);
  private slots = new Int32Array(64);
  // Key 0 (no text has length 0) marks an empty slot.
  private readonly shortKeys = new Int32Array(SHORT_MASK + 1);
  private readonly shortIds = new Int32Array(SHORT_MASK + 1);

  idForRange(bytes: Uint8Array, start: number, end: number, hash: number, line: number, column: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === 0) return this.add(bytes, start, end, hash, line, column);
      const id = slot - 1;
      if (this.hashes[id] !== hash) continue;
      const from = this.starts[id]!;
      if (this.starts[id + 1]! - from !== length) continue;
      const pool = this.pool;
      let k = 0;
      while (k < length && pool[from + k] === bytes[start + k]) k++;
      if (k === length) return id;
    }
  }

  /**
   * `idForRange` for a cell of 1 to 3 bytes, through a direct-mapped cache keyed by the bytes
   * themselves (exact, so no byte comparison): short codes (`1`..`7`, `c3`, `yes`) are the
   * common case, millions of cells over a handful of texts.
   */
  idForShort(bytes: Uint8Array, start: number, end: number, hash: number, line: number, column: number): number {
    const length = end - start;
    const key = (length << 24) | (bytes[start]! << 16) | (length > 1 ? bytes[start + 1]! << 8 : 0) | (length > 2 ? bytes[start + 2]! : 0);
    const slot = hash & SHORT_MASK;
    if (this.shortKeys[slot] === key) return this.shortIds[slot]!;
    const id = this.idForRange(bytes, start, end, hash, line, column);
    this.shortKeys[slot] = key;
    this.shortIds[slot] = id;
    return id;
  }

  id(text: string, line: number, column: number): number {
    const bytes = encoder.encode(text);
    return this.idForRange(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length), line, column);
  }

  position(id: number): SourcePosition {
    return { line: this.lines[id] ?? 1, column: this.columns[id] ?? 1 };
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, line: number, column: number): number {
    const id = this.texts.length;
    const from = this.starts[id]!;
    if (from + end - start > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, from + end - start));
      pool.set(this.pool);
      this.pool = pool;
    }
    if (id + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, id + 2);
      this.starts = grow(this.starts, id + 3);
    }
    this.pool.set(bytes.subarray(start, end), from);
    this.starts[id + 1] = from + end - start;
    this.texts.push(decoder.decode(bytes.subarray(start, end)));
    this.hashes[id] = hash;
    this.lines.push(line);
    this.columns.push(column);
    if (this.texts.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let i = this.hashes[id]! & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.texts.length; id++) this.place(id);
  }
}

export class GrowableInt32 {
  array = new Int32Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.array.length) {
      const next = new Int32Array(this.array.length * 2);
      next.set(this.array);
      this.array = next;
    }
    this.array[this.length++] = x;
  }

  view(): Int32Array {
    return this.array.subarray(0, this.length);
  }
}

export function grow(codes: Int32Array<ArrayBuffer>, atLeast: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(atLeast, codes.length * 2));
  next.set(codes);
  return next;
}

