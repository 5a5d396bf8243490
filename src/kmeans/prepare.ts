/**
 * From a validated matrix to the float32 problem the backends run: data centred on its per-feature mean in float64
 * (as scikit-learn does, it keeps the ‖x‖² − 2x·c + ‖c‖² form of the distance accurate), then rounded to float32;
 * and the tolerance scale (mean of per-feature variances).
 */
import type { LloydProblem } from './backend.js';
import type { Matrix } from './validate.js';

export interface Prepared {
  problem: LloydProblem;
  /** Per-feature mean that was subtracted (float64, dims). */
  mean: Float64Array;
  /** Mean over features of the per-feature variance (unweighted, as scikit-learn's `_tolerance`). */
  meanVariance: number;
}

/** Per-feature mean of an n × dims matrix (float64). */
export function columnMeans(values: ArrayLike<number>, n: number, dims: number): Float64Array {
  const mean = new Float64Array(dims);
  for (let r = 0; r < n; r++) for (let j = 0; j < dims; j++) mean[j] += values[r * dims + j];
  for (let j = 0; j < dims; j++) mean[j] /= n;
  return mean;
}

/** Subtracts `mean` from every row, rounding to float32. */
export function centre(values: ArrayLike<number>, n: number, dims: number, mean: Float64Array): Float32Array {
  const out = new Float32Array(n * dims);
  for (let r = 0; r < n; r++) for (let j = 0; j < dims; j++) out[r * dims + j] = values[r * dims + j] - mean[j];
  return out;
}

export function prepare(m: Matrix, k: number, weights: Float64Array | null): Prepared {
  const { values, n, dims } = m;
  const mean = columnMeans(values, n, dims);
  const data = centre(values, n, dims, mean);
  const sq = new Float64Array(dims);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dims; j++) {
      const d = values[r * dims + j] - mean[j];
      sq[j] += d * d;
    }
  }
  let meanVariance = 0;
  for (let j = 0; j < dims; j++) meanVariance += sq[j] / n;
  meanVariance /= dims;
  return { problem: { data, n, dims, k, weights: weights ? Float32Array.from(weights) : null }, mean, meanVariance };
}

/** Adds the mean back to centred centroids (float64, rounded to float32). */
export function uncentre(centroids: Float32Array, dims: number, mean: Float64Array): Float32Array {
  const out = new Float32Array(centroids.length);
  for (let i = 0; i < centroids.length; i++) out[i] = centroids[i] + mean[i % dims];
  return out;
}
