/**
 * mulberry32: a small, well-mixed 32-bit pseudo-random generator, the same numbers on every
 * platform, for data that must come out identical run after run (demo database, synthetic
 * benchmark databases, hostile-input bytes). Returns numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
