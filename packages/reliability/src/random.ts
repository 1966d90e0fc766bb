/**
 * Seeded pseudo-random numbers for reproducible bootstrap and property tests.
 *
 * xoshiro128** (Blackman & Vigna, 2018), seeded through SplitMix32 so that any
 * 32-bit integer is a good seed. Period 2^128 - 1; four Uint32 words of state.
 */
export type RandomSource = () => number;

function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A uniform generator on [0, 1) with 32 bits of resolution. The state lives in
 * an Int32Array so that no step allocates (uint32 values above 2^31 would be
 * boxed as heap numbers in closure variables).
 */
export function createRandom(seed: number): RandomSource {
  const next = splitMix32(seed);
  const state = new Int32Array([next(), next(), next(), next()]);
  if (((state[0] ?? 0) | (state[1] ?? 0) | (state[2] ?? 0) | (state[3] ?? 0)) === 0) state[0] = 1;
  return () => {
    const s0 = (state[0] ?? 0);
    const s1 = (state[1] ?? 0);
    const s2 = (state[2] ?? 0) ^ s0;
    const s3 = (state[3] ?? 0) ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    state[0] = s0 ^ s3;
    state[1] = s1 ^ s2;
    state[2] = s2 ^ (s1 << 9);
    state[3] = rotl(s3, 11);
    return (result >>> 0) / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** An integer uniform on [0, n); the modulo bias is below n / 2^32. */
export function randomInt(random: RandomSource, n: number): number {
  return Math.floor(random() * n);
}
