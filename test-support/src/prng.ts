/**
 * mulberry32: a tiny seeded pseudo-random generator. The same seed always gives the same
 * sequence, which is all test data needs; it is not cryptographic.
 *
 * @param seed Any number; it is reduced to an unsigned 32-bit integer.
 * @returns A function giving the next value in `[0, 1)`, a multiple of 2^-32.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
