/**
 * The seeded stream behind every generated data set (tests, benchmarks, the demo): mulberry32, 32 bits of state.
 * It is kept fixed so that a seed names the same data forever (saved benchmark results and test expectations depend
 * on it). k-means' own seeded choices use `Prng` (core/random.ts), whose stream is part of `kmeans`' results.
 */

/** A uniform double in [0, 1), from a 32-bit state: the same seed gives the same stream on every platform. */
export type Random = () => number;

/** The seeded uniform stream for generated data (mulberry32 over `seed >>> 0`). */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate (Box-Muller, cosine branch; two draws from `random`). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
