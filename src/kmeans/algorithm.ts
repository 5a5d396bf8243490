/**
 * Which exact k-means algorithm runs the iterations, and the rule `algorithm: 'auto'` follows.
 *
 * All of them are exact: from the same initial centroids they give Lloyd's labels and iteration count (ties aside).
 * The accelerated ones keep per-row distance bounds and skip distance computations the triangle inequality proves
 * useless; they differ in how many bounds they keep per row:
 *
 * - 'hamerly': one upper and one lower bound (2 values per row); best for small k and low dimension.
 * - 'yinyang': one lower bound per group of about 10 centroids (Ding et al., ICML 2015); best at large k.
 * - 'elkan': one lower bound per centroid (k values per row); prunes most at high dimension, when memory allows.
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
      return n * (1 + k) * 4;
  }
}

/**
 * The rule of `algorithm: 'auto'`, for n rows, k centroids, d features and `budget` bytes the bounds may use:
 *
 * - k < 8: 'lloyd'. With so few centroids a fused distance-and-argmin pass costs about as much as keeping bounds.
 * - d ≥ 64 and k ≤ 64: 'elkan' (per-centroid bounds pay off when each distance is expensive).
 * - k ≥ 32: 'yinyang' (group bounds; Hamerly's single lower bound becomes loose when many centroids are close).
 * - otherwise 'hamerly'.
 *
 * A choice whose bounds do not fit in `budget` falls back to the next lighter one (elkan → yinyang → hamerly → lloyd).
 * The thresholds follow the comparisons of Newling & Fleuret (2016) and Ding et al. (2015); bench/kmeans.mjs measures
 * each algorithm on this project's bench cases.
 */
export function chooseAlgorithm(n: number, k: number, d: number, budget: number): ExactAlgorithm {
  let pick: ExactAlgorithm = k < 8 ? 'lloyd' : d >= 64 && k <= 64 ? 'elkan' : k >= 32 ? 'yinyang' : 'hamerly';
  const lighter: Record<ExactAlgorithm, ExactAlgorithm> = {
    elkan: 'yinyang',
    yinyang: 'hamerly',
    hamerly: 'lloyd',
    lloyd: 'lloyd',
  };
  while (pick !== 'lloyd' && boundBytes(pick, n, k) > budget) pick = lighter[pick];
  return pick;
}
