/**
 * A small seeded generator (mulberry32) of numbers uniform in [0, 1), seeded
 * by a string (FNV-1a). Each worker draws its lease picks from one seeded by
 * its id: workers pick differently (so they rarely race for one lease), and
 * a run in virtual time repeats exactly.
 */
export function seededRandom(seed: string): () => number {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) {
    state ^= seed.charCodeAt(i);
    state = Math.imul(state, 0x01000193);
  }
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
