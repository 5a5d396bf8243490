/**
 * Which exact k-means algorithm runs the iterations, and the rule `algorithm: 'auto'` follows.
 *
 * All of them are exact: from the same initial centroids they give Lloyd's labels and iteration count (ties aside).
 * The accelerated ones keep per-row distance bounds and skip distance computations the triangle inequality proves
 * useless; they differ in how many bounds they keep per row:
 *
 * - 'hamerly': one upper and one lower bound (2 values per row).
 * - 'yinyang': one lower bound per group of about 10 centroids (Ding et al., ICML 2015).
 * - 'elkan': one lower bound per centroid (k values per row); prunes the most distances.
 */
import type { ExactAlgorithm } from './backend.js';

export type { ExactAlgorithm } from './backend.js';

/** What `options.algorithm` accepts. */
export type AlgorithmName = ExactAlgorithm | 'auto';

export const ALGORITHMS = ['auto', 'lloyd', 'hamerly', 'elkan', 'yinyang'] as const;

/** Centroids per Yinyang group (Ding et al. use k/10 groups). */
export const YINYANG_GROUP_SIZE = 10;

/** Number of Yinyang groups for k centroids. */
export function yinyangGroups(k: number): number {
  return Math.max(1, Math.ceil(k / YINYANG_GROUP_SIZE));
}

/** Bytes of per-row bound state each algorithm keeps for n rows and k centroids (4-byte values). */
export function boundBytes(algorithm: ExactAlgorithm, n: number, k: number): number {
  switch (algorithm) {
    case 'lloyd':
      return 0;
    case 'hamerly':
      return n * 2 * 4;
    case 'yinyang':
      return n * (1 + yinyangGroups(k)) * 4;
    case 'elkan':
      return n * (1 + Math.ceil(k / 8) * 8) * 4; // the wasm kernel pads each row's bounds to a multiple of 8
  }
}

/**
 * The rule of `algorithm: 'auto'`, for n rows, k centroids, d features and `budget` bytes the bounds may use:
 *
 * - k < 8 or d ≤ 4: 'lloyd'. The fused distance-and-argmin pass is then about as cheap as reading a row's bounds.
 * - k ≥ 128 and d ≥ 64: 'elkan' (per-centroid bounds prune nearly every distance, and each one is expensive).
 * - otherwise 'hamerly' (one bound per row: the cheapest test, and the fewest bytes to stream per step).
 *
 * A choice whose bounds do not fit in `budget` falls back to the next lighter one (elkan → hamerly → lloyd).
 * 'yinyang' is never chosen: in the measurements behind this rule (bench/README.md, "Choosing the algorithm") it was
 * never the fastest of the four.
 */
export function chooseAlgorithm(n: number, k: number, d: number, budget: number): ExactAlgorithm {
  let pick: ExactAlgorithm = k < 8 || d <= 4 ? 'lloyd' : k >= 128 && d >= 64 ? 'elkan' : 'hamerly';
  const lighter: Record<ExactAlgorithm, ExactAlgorithm> = {
    elkan: 'hamerly',
    yinyang: 'hamerly',
    hamerly: 'lloyd',
    lloyd: 'lloyd',
  };
  while (pick !== 'lloyd' && boundBytes(pick, n, k) > budget) pick = lighter[pick];
  return pick;
}
